"""Keeping a child's record: review due at date of birth + 25 years, legal holds, and the head's
recorded decision (never automatic)."""
from tests.conftest import csrf_from


def post(client, learner_id, path, **data):
    token = csrf_from(client.get(f"/learners/{learner_id}").get_data(as_text=True))
    return client.post(f"/learners/{learner_id}/{path}", data={"csrf_token": token, **data})


def make_old(db, upn, dob):
    """Give a pupil an older date of birth than an import allows (their record has been kept for years)."""
    db.execute("UPDATE learners SET dob = ? WHERE upn = ?", [dob, upn])
    db.conn.commit()


def test_the_review_date_and_the_list_of_records_due(pupils, auth, client, db):
    ids = pupils.load()
    make_old(db, "A123456789015", "2000-01-10")   # review due 10 January 2025
    auth.login("dsl")
    html = client.get("/learners?review=due").get_data(as_text=True)
    assert "Aisha Khan" in html and "Review from 10 January 2025" in html
    assert "Ollie Smith" not in html and "Grace Smith" not in html
    record = client.get(f"/learners/{ids['A123456789012']}").get_data(as_text=True)
    assert "Review due 14 March 2042" in record


def test_a_legal_hold_stops_the_heads_decision_to_destroy(pupils, auth, client, db):
    ids = pupils.load()
    make_old(db, "A123456789015", "2000-01-10")
    aisha = ids["A123456789015"]
    auth.login("dsl")
    response = post(client, aisha, "hold", **{"hold-change": "hold_set", "hold-on_date": "2026-06-01",
                                              "hold-body": "Police investigation, ref KT-1"})
    assert response.status_code == 302
    page = client.get(f"/learners/{aisha}").get_data(as_text=True)
    assert "A legal hold is in force" in page and "Police investigation, ref KT-1" in page
    # DSLs cannot decide; the head can, but not to destroy while the hold holds.
    assert post(client, aisha, "review", **{"review-decision": "review_destroy", "review-on_date": "2026-12-01",
                                            "review-body": "Past retention"}).status_code == 403
    auth.logout()
    auth.login("head")
    refused = post(client, aisha, "review", **{"review-decision": "review_destroy", "review-on_date": "2026-12-01",
                                               "review-body": "Past retention"})
    assert "A legal hold is in force" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM learner_entries WHERE kind LIKE 'review%'").fetchone()[0] == 0
    post(client, aisha, "hold", **{"hold-change": "hold_cleared", "hold-on_date": "2026-11-30",
                                   "hold-body": "Investigation closed"})
    done = post(client, aisha, "review", **{"review-decision": "review_destroy", "review-on_date": "2026-12-01",
                                            "review-body": "Past retention, no hold"})
    # The head is shown what destroying would delete (tests/learners/test_destruction.py confirms it).
    assert done.headers["Location"].endswith(f"/learners/{aisha}/destroy")
    assert "Decision recorded: destroy the record" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Reviewed: to be destroyed" in client.get(f"/learners/{aisha}").get_data(as_text=True)
    # Recorded, not done: the pupil and every entry are still there.
    assert db.execute("SELECT count(*) FROM learners WHERE id = ?", [aisha]).fetchone()[0] == 1
    kinds = [r[0] for r in db.execute("SELECT kind FROM learner_entries WHERE learner_id = ? ORDER BY id", [aisha])]
    assert kinds == ["hold_set", "hold_cleared", "review_destroy"]


def test_no_review_decision_before_the_review_date_and_bad_input_is_named(pupils, auth, client, db):
    ids = pupils.load()
    ollie = ids["A123456789012"]
    auth.login("head")
    early = post(client, ollie, "review", **{"review-decision": "review_keep", "review-on_date": "2026-12-01",
                                             "review-body": "Keep"})
    assert "not due for review until 14 March 2042" in client.get(early.headers["Location"]).get_data(as_text=True)
    bad = post(client, ollie, "hold", **{"hold-change": "explode", "hold-on_date": "", "hold-body": ""})
    page = client.get(bad.headers["Location"]).get_data(as_text=True)
    assert "Choose set or clear" in page and "Enter the date" in page and "Say why" in page
    assert db.execute("SELECT count(*) FROM learner_entries").fetchone()[0] == 0
    from webapp.learners import store
    assert ollie in {p["id"] for p in store.review_due(db, "2042-03-14")}
    assert ollie not in {p["id"] for p in store.review_due(db, "2042-03-13")}
