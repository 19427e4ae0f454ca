"""The demo school: the policy as written in July 2020, its review long overdue."""
from webapp.db import connect
from webapp.governance import store


def test_demo_seeds_the_overdue_policy_and_a_declaration(tmp_path):
    from webapp import create_app
    app = create_app({"SECRET_KEY": "x", "DATABASE": str(tmp_path / "demo.db"), "UPLOAD_FOLDER": str(tmp_path / "up")})
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db"])
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db = connect(str(tmp_path / "demo.db"))
    (version,) = store.list_versions(db)
    assert (version["written_on"], version["next_review_on"]) == ("2020-07-01", "2021-07-01")
    assert "held by the school office" in version["body_markdown"]
    with app.test_request_context():
        from webapp.governance.policy import review_state
        from webapp.governance.terms import today
        assert review_state(version, today()) == "overdue"
    (declaration,) = store.current_declarations(db)
    assert declaration["arrangement"] and declaration["relationship"] == "neighbour"
