"""Actions with an owner and a due date: added by a DSL, seen by their owner, done or cancelled."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import csrf_from


def day(offset):
    """Return the school-calendar date `offset` days from today, as ISO text."""
    return (datetime.now(ZoneInfo("Europe/London")).date() + timedelta(days=offset)).isoformat()


def actions_shown(html):
    return re.findall(r'<li class="action action-(\w+)">\s*<p><strong>([^<]+)</strong>', html)


def test_a_dsl_adds_an_action_and_its_owner_sees_it_overdue_first(case, add_action, concerns, auth, client, db):
    assert add_action(case, "staff", day(5), "Second job").status_code == 302
    assert add_action(case, "staff", day(-2), "First job").status_code == 302
    assert add_action(case, "staff", day(0), "Today job").status_code == 302
    assert add_action(case, "staff2", day(-1), "Someone else's job").status_code == 302
    row = next(db.query("SELECT * FROM case_events WHERE kind = 'action' ORDER BY id"))
    assert (row["assignee_id"], row["due_on"], row["body"]) == (client.application.people["staff"],
                                                                day(5), "Second job")
    auth.logout()
    auth.login("staff")
    page = client.get("/actions").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert actions_shown(page) == [("overdue", "First job"), ("today", "Today job"), ("later", "Second job")]
    assert "Someone else" not in page and "cruel message" not in page
    assert f'href="/concerns/{case}' not in page  # staff never get a link into the case
    assert actions_shown(home[home.index('id="my-actions"'):]) == actions_shown(page)
    # Everyone's list for DSLs, with owners.
    auth.logout()
    auth.login("dsl")
    everyone = client.get("/actions").get_data(as_text=True)
    assert [body for _, body in actions_shown(everyone)] == ["First job", "Someone else&#39;s job", "Today job",
                                                            "Second job"]
    assert "Owner: Sam Second" in everyone


def test_the_owner_marks_an_action_done_as_a_chronology_entry(case, add_action, auth, client, db):
    add_action(case, "staff", "2026-11-25")
    action_id = db.execute("SELECT id FROM case_events WHERE kind = 'action'").fetchone()[0]
    auth.logout()
    auth.login("staff2")  # not theirs
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post(f"/actions/{action_id}/done", data={"csrf_token": token}).status_code == 404
    auth.logout()
    auth.login("staff")
    page = client.get("/actions").get_data(as_text=True)
    response = client.post(f"/actions/{action_id}/done", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert "You have no open actions" in client.get("/actions").get_data(as_text=True)
    done = next(db.query("SELECT * FROM case_events WHERE kind = 'action_done'"))
    assert (done["action_id"], done["author_id"]) == (action_id, client.application.people["staff"])
    again = client.post(f"/actions/{action_id}/done", data={"csrf_token": csrf_from(page)})
    assert "already marked done" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM case_events WHERE kind = 'action_done'").fetchone()[0] == 1


def test_a_dsl_cancels_an_action_with_a_reason(case, add_action, concerns, client, db):
    add_action(case, "staff", "2026-11-25")
    action_id = db.execute("SELECT id FROM case_events WHERE kind = 'action'").fetchone()[0]
    refused = concerns.add(case, "action_cancelled", action_id=action_id)
    assert refused.status_code == 200 and "Write the details" in refused.get_data(as_text=True)
    assert concerns.add(case, "action_cancelled", action_id=action_id, body="Parents moved school").status_code == 302
    assert "No actions are open" in client.get("/actions").get_data(as_text=True)
    page = client.get(f"/concerns/{case}").get_data(as_text=True)
    assert "Action cancelled" in page and "Parents moved school" in page


def test_an_action_needs_an_owner_a_real_date_and_a_known_person(case, add_action, concerns, app, db):
    for fields, message in (({"assignee_id": app.people["staff"], "due_on": ""}, "Enter the day the action"),
                            ({"assignee_id": "", "due_on": "2026-11-25"}, "Choose who will do this action"),
                            ({"assignee_id": app.people["governor"], "due_on": "2026-11-25"}, "Choose a member of staff"),
                            ({"assignee_id": app.people["staff"], "due_on": "2026-02-31"}, "Not a valid date")):
        response = concerns.add(case, "action", body="Do it", **fields)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM case_events WHERE kind = 'action'").fetchone()[0] == 0


def test_staff_cannot_add_actions_and_the_page_is_for_signed_in_people(case, auth, client, app):
    assert client.get("/actions").status_code == 200
    auth.logout()
    assert client.get("/actions").status_code in (302, 401)
    auth.login("governor")
    assert client.get("/actions").status_code == 403


def test_an_action_arrives_from_a_phone_like_any_case_entry(case, app, db):
    from webapp.auth.store import get_user
    from webapp.concerns.sync import KINDS
    from webapp.sync.ingest import hand_over
    author = get_user(db, app.people["dsl"])
    payload = {"concern_id": case, "kind": "action", "body": "Check the class blog", "due_on": "2026-12-01",
               "assignee_id": str(app.people["staff"])}
    meta = {"item_id": "phone-action-1", "created_at": "2026-11-25T12:00:00Z", "device_id": "d1",
            "uploader_id": author["id"]}
    with app.test_request_context(), db.atomic():
        outcome = hand_over(db, KINDS["case_event"], payload, author, meta)
    assert "ref" in outcome, outcome
    row = next(db.query("SELECT * FROM case_events WHERE item_id = 'phone-action-1'"))
    assert (row["kind"], row["assignee_id"], row["due_on"], row["source"]) == (
        "action", app.people["staff"], "2026-12-01", "phone")
    with app.test_request_context(), db.atomic():
        done = hand_over(db, KINDS["case_event"], {"concern_id": case, "kind": "action_done",
                                                  "action_id": str(row["id"])}, author,
                         {**meta, "item_id": "phone-action-2"})
    assert "ref" in done, done
    with app.test_request_context(), db.atomic():
        bad = hand_over(db, KINDS["case_event"], {**payload, "due_on": "someday"}, author,
                        {**meta, "item_id": "phone-action-3"})
    assert "due_on" in bad["errors"]
