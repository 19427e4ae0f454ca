"""`flask create-user` from the command line."""
from webapp.auth import store


def test_create_user_with_password_on_stdin(runner, db):
    result = runner.invoke(args=["create-user", "New.Person@Test.School", "--name", "Nia New",
                                 "--role", "staff", "--role", "dsl", "--password-stdin"],
                           input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    user = store.get_user_by_email(db, "new.person@test.school")
    assert user["name"] == "Nia New" and user["roles"] == ["staff", "dsl"]
    assert user["password_hash"].startswith("$argon2id$")


def test_create_user_prompts_for_password(runner, db):
    result = runner.invoke(args=["create-user", "p@test.school", "--name", "P", "--role", "governor"],
                           input="another fine passphrase\nanother fine passphrase\n")
    assert result.exit_code == 0, result.output
    assert store.get_user_by_email(db, "p@test.school")["roles"] == ["governor"]


def test_create_user_refuses_weak_password_and_changes_nothing(runner, db):
    before = db.execute("SELECT count(*) FROM users").fetchone()[0]
    result = runner.invoke(args=["create-user", "w@test.school", "--name", "W", "--role", "staff",
                                 "--password-stdin"], input="password123\n")
    assert result.exit_code != 0 and "common" in result.output
    short = runner.invoke(args=["create-user", "w@test.school", "--name", "W", "--role", "staff",
                                "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 10" in short.output
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == before


def test_create_user_refuses_duplicate_email_and_unknown_role(runner):
    dup = runner.invoke(args=["create-user", "STAFF@test.school", "--name", "X", "--role", "staff",
                              "--password-stdin"], input="a long enough passphrase\n")
    assert dup.exit_code != 0 and "already exists" in dup.output
    bad = runner.invoke(args=["create-user", "r@test.school", "--name", "R", "--role", "wizard",
                              "--password-stdin"], input="a long enough passphrase\n")
    assert bad.exit_code != 0 and "wizard" in bad.output


def test_seed_demo_runs_once_and_keeps_records(tmp_path):
    from webapp import create_app
    from webapp.db import connect
    app = create_app({"SECRET_KEY": "x", "DATABASE": str(tmp_path / "demo.db"),
                      "UPLOAD_FOLDER": str(tmp_path / "up")})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    for email in ("teacher@demo.school", "dsl@demo.school", "deputy.dsl@demo.school", "head@demo.school",
                  "governor@demo.school", "admin@demo.school", "chair@demo.school"):
        assert email in first.output
    db = connect(str(tmp_path / "demo.db"))
    users = db.execute("SELECT count(*) FROM users").fetchone()[0]
    dsls = len(store.users_with_role(db, "dsl"))
    assert users == 7 and dsls == 2
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "nothing seeded" in second.output
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == users
