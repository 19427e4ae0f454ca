"""The offline case-entry page: the same form, a hidden case number, nothing personal."""
import re

from webapp.concerns import demo


def test_the_entry_page_carries_the_case_number_and_nothing_personal(client, auth, concerns):
    concern_id = concerns.log("staff", {"account": "Private narrative", "learners": "Pupil Yolanda"})
    auth.login("dsl")
    html = client.get(f"/concerns/entry?concern={concern_id}").get_data(as_text=True)
    assert 'data-outbox="case_event"' in html
    assert f'id="concern_id" name="concern_id" type="hidden" value="{concern_id}"' in html
    for personal in ("Private narrative", "Pupil Yolanda", "Sally Staff", "Year 4 classroom"):
        assert personal not in html
    assert "call 999" in html


def test_the_entry_page_opens_without_a_case_for_offline_use(client, auth):
    auth.login("head")
    html = client.get("/concerns/entry").get_data(as_text=True)
    assert 'data-outbox="case_event"' in html and 'name="concern_id"' in html


def test_an_entry_posted_from_the_entry_page_lands_on_its_case(client, auth, concerns, db):
    concern_id = concerns.log("staff")
    auth.login("dsl")
    token = auth.csrf(f"/concerns/entry?concern={concern_id}")
    response = client.post(f"/concerns/entry?concern={concern_id}",
                           data={"csrf_token": token, "concern_id": concern_id, "kind": "advice_sought",
                                 "body": "Rang the Education Safeguarding Service."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/concerns/{concern_id}#chronology"
    assert db.execute("SELECT kind, source FROM case_events").fetchone() == ("advice_sought", "web")


def test_an_entry_for_no_case_says_so(client, auth, db):
    auth.login("dsl")
    token = auth.csrf("/concerns/entry")
    html = client.post("/concerns/entry", data={"csrf_token": token, "concern_id": "999", "kind": "note",
                                                "body": "x"}).get_data(as_text=True)
    assert "There is no such case" in html
    html = client.post("/concerns/entry", data={"csrf_token": token, "kind": "note", "body": "x"}).get_data(as_text=True)
    assert "Say which case this entry is for." in html
    assert db.execute("SELECT count(*) FROM case_events").fetchone()[0] == 0


def test_demo_concerns_cover_a_chronology_and_a_closed_case(app, db):
    people = {email: app.people[key] for key, email in [("staff", demo.TEACHER), ("dsl", demo.DSL),
                                                         ("dsl2", demo.DEPUTY), ("head", demo.HEAD)]}
    with app.test_request_context():
        demo.seed(db, people)
    statuses = [r[0] for r in db.execute("SELECT status FROM concern_state ORDER BY concern_id")]
    assert statuses == ["closed", "in_progress", "received", "received", "received"]
    assert db.execute("SELECT count(DISTINCT category) FROM concerns").fetchone()[0] == 5


def test_pages_kept_on_a_phone_name_nobody_and_carry_no_stale_time(client, auth):
    auth.login("dsl")
    shell = {"X-Offline-Shell": "1"}
    entry = client.get("/concerns/entry", headers=shell).get_data(as_text=True)
    for name in ("Diane Lead", "Derek Deputy", "Helen Head"):
        assert name not in entry
    assert 'value="me"' in entry and 'data-from-query="concern"' in entry
    new = client.get("/concerns/new", headers=shell).get_data(as_text=True)
    assert re.search(r'<input [^>]*id="occurred_at"[^>]* value="">', new)
    online = client.get("/concerns/entry?concern=1").get_data(as_text=True)
    assert "Derek Deputy" in online


def test_assigning_to_me_assigns_the_author(client, auth, concerns, db, app):
    concern_id = concerns.log("staff")
    auth.login("dsl2")
    assert concerns.add(concern_id, "assignment", assignee_id="me").status_code == 302
    assert db.execute("SELECT assignee_id FROM concern_state").fetchone()[0] == app.people["dsl2"]
    assert db.execute("SELECT assignee_id FROM case_events").fetchone()[0] == app.people["dsl2"]


def test_the_case_page_posts_straight_away_and_the_entry_page_uses_the_outbox(client, auth, concerns):
    concern_id = concerns.log("staff")
    auth.login("dsl")
    case = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "data-outbox=" not in case and f'href="/concerns/entry?concern={concern_id}"' in case
    assert 'data-outbox="case_event"' in client.get(f"/concerns/entry?concern={concern_id}").get_data(as_text=True)
