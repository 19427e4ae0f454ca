"""Items from a phone's outbox go through the same forms and write the same rows as the web."""
import base64
import io

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

from webapp import change_log
from webapp.auth.store import get_user
from webapp.concerns.sync import KINDS, changes_since

from .conftest import REPORT, b64, png

PAYLOAD = {"category": "abusive_message", "occurred_at": "2026-11-25T10:30", "location": "Year 4 classroom",
           "learners": "Year 4 pupil (boy)", "adults": "", "account": REPORT["account"],
           "action_taken": REPORT["action_taken"], "told_dsl_in_person": True, "urgent": False}
NOW = "2026-11-25T13:00:00Z"


@pytest.fixture
def push(app, db):
    """Deliver one item as the sync code would: in a transaction, then after_commit."""
    def deliver(kind, payload, who="staff", item_id="item-1", created_at="2026-11-25T12:59:00Z"):
        author = get_user(db, app.people[who])
        meta = {"item_id": item_id, "created_at": created_at, "device_id": "d1", "uploader_id": author["id"]}
        with app.test_request_context():
            with db.atomic():
                result = KINDS[kind](db, payload, author, meta)
            if result.get("after_commit"):
                result["after_commit"]()
        return result
    with time_machine.travel(NOW, tick=False):
        yield deliver


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_synced_concern_writes_the_same_row_as_the_web_form(push, db, concerns, app):
    result = push("concern", PAYLOAD)
    assert result["ref"] == "concerns:1"
    assert db.execute("SELECT count(*) FROM mail_outbox").fetchone()[0] == 0  # no SMTP_HOST: nothing queued
    phone = dict(next(db.query("SELECT * FROM concerns WHERE id = 1")))
    with time_machine.travel(NOW, tick=False):
        concerns.log("staff", {"occurred_at": "2026-11-25T10:30", "told_dsl_in_person": "y"})
    web = dict(next(db.query("SELECT * FROM concerns WHERE id = 2")))
    differ = {"id", "source", "item_id", "created_at"}
    assert {k: v for k, v in phone.items() if k not in differ} == {k: v for k, v in web.items() if k not in differ}
    assert (phone["source"], phone["item_id"], phone["created_at"]) == ("phone", "item-1", "2026-11-25T12:59:00Z")
    assert (web["source"], web["item_id"]) == ("web", None)


def test_a_replayed_item_writes_nothing_new(push, db):
    first = push("concern", PAYLOAD)
    again = push("concern", PAYLOAD)
    assert first["ref"] == again["ref"] == "concerns:1" and again["after_commit"] is None
    assert count(db, "concerns") == 1


@pytest.mark.parametrize("occurred_at, stored", [
    ("2026-11-25T10:30", "2026-11-25T10:30:00Z"),
    ("2026-07-01T10:30", "2026-07-01T09:30:00Z"),
    ("2026-11-25T10:30:00Z", "2026-11-25T10:30:00Z"),
    ("2026-11-25T11:30:00+01:00", "2026-11-25T10:30:00Z"),
])
def test_times_arrive_in_school_time_or_iso_with_offset(push, db, occurred_at, stored):
    push("concern", {**PAYLOAD, "occurred_at": occurred_at})
    assert db.execute("SELECT occurred_at FROM concerns").fetchone()[0] == stored


def test_a_phone_clock_ahead_of_the_server_is_not_trusted(push, db):
    push("concern", PAYLOAD, created_at="2027-01-01T00:00:00Z")
    assert db.execute("SELECT created_at FROM concerns").fetchone()[0] == NOW


def test_synced_pictures_obey_the_same_rules(push, db):
    pic = {"filename": "chat.png", "content_type": "image/png", "data": b64(png())}
    assert push("concern", {**PAYLOAD, "attachments": [pic]})["ref"] == "concerns:1"
    assert db.execute("SELECT filename, content_type FROM concern_attachments").fetchone() == ("chat.png", "image/png")


@pytest.mark.parametrize("change, field, message", [
    ({"category": "bullying"}, "category", "Choose one of the kinds of concern listed."),
    ({"account": ""}, "account", "Say what happened."),
    ({"occurred_at": "2026-11-25T16:00"}, "occurred_at", "That time is in the future"),
    ({"occurred_at": "soon"}, "occurred_at", "Enter the date and time"),
    ({"location": "x" * 201}, "location", "Use at most 200 characters."),
    ({"location": {"nested": 1}}, "location", "This must be text"),
    ({"attachments": "abc"}, "attachments", "must be a list"),
    ({"attachments": [{"filename": "a.png", "data": "%%%"}]}, "attachments", "could not be read"),
    ({"attachments": [{"filename": "a.png", "content_type": "image/png", "data": b64(b"MZ\x90\x00")}]},
     "attachments", "is not a JPEG, PNG, WebP or GIF picture"),
    ({"category": "illegal_content", "attachments": [{"filename": "a.png", "data": b64(png())}]},
     "attachments", "must never be copied"),
])
def test_bad_concerns_come_back_as_errors_and_write_nothing(push, db, app, change, field, message):
    result = push("concern", {**PAYLOAD, **change})
    assert set(result) == {"errors"} and any(message in m for m in result["errors"][field])
    assert count(db, "concerns") == count(db, "concern_attachments") == 0


def test_only_staff_may_log_and_only_case_workers_add_entries(push, db):
    assert "author" in push("concern", PAYLOAD, who="governor")["errors"]
    push("concern", PAYLOAD)
    entry = {"concern_id": 1, "kind": "note", "body": "from a phone"}
    assert "author" in push("case_event", entry, who="staff", item_id="e1")["errors"]
    assert push("case_event", entry, who="head", item_id="e2")["ref"] == "case_events:1"


def test_case_entries_from_a_phone_follow_the_closing_rules(push, db, app):
    push("concern", {**PAYLOAD, "category": "illegal_content"})
    result = push("case_event", {"concern_id": 1, "kind": "closed"}, who="dsl", item_id="e1")
    assert "police contacted, with the police reference" in result["errors"]["kind"][0]
    steps = [{"kind": "assignment", "assignee_id": app.people["dsl2"]},
             {"kind": "police_contacted", "reference": "KC-99", "body": None},
             {"kind": "lado_informed"}, {"kind": "outcome", "body": "Police took the device."},
             {"kind": "lessons_learnt", "body": "Staff reminded of 5.2.6."}, {"kind": "closed"}]
    for n, step in enumerate(steps):
        assert "ref" in push("case_event", {"concern_id": 1, **step}, who="dsl", item_id=f"s{n}")
    row = db.execute("SELECT status, assignee_id FROM concern_state").fetchone()
    assert tuple(row) == ("closed", app.people["dsl2"])
    assert db.execute("SELECT count(*) FROM case_events WHERE source = 'phone'").fetchone()[0] == len(steps)


def test_an_entry_for_a_case_that_does_not_exist_is_refused(push, db):
    assert "concern_id" in push("case_event", {"concern_id": 42, "kind": "note", "body": "x"}, who="dsl")["errors"]
    assert "concern_id" in push("case_event", {"kind": "note", "body": "x"}, who="dsl")["errors"]


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                         max_size=3), max_leaves=8)
FIELDS = list(PAYLOAD) + ["attachments", "concern_id", "kind", "body", "reference", "assignee_id", "status"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["concern", "case_event"]),
       payload=st.dictionaries(st.sampled_from(FIELDS), json_values) | json_values)
def test_any_payload_gives_errors_or_a_ref_never_an_exception(push, kind, payload):
    result = push(kind, payload, who="dsl", item_id=None)
    assert set(result) in ({"errors"}, {"ref", "after_commit"})


def test_changes_since_for_staff_is_their_own_status_only(push, db, app):
    push("concern", PAYLOAD, item_id="a")
    push("concern", PAYLOAD, who="staff2", item_id="b")
    push("case_event", {"concern_id": 1, "kind": "note", "body": "private DSL note"}, who="dsl", item_id="c")
    staff = get_user(db, app.people["staff"])
    changes = changes_since(db, staff, None)
    assert changes == [{"type": "concern_status", "id": 1, "changed_at": NOW,
                        "data": {"id": 1, "category": "abusive_message", "status": "received",
                                 "created_at": "2026-11-25T12:59:00Z"}}]
    cursor, _ = change_log.newest(db)
    assert changes_since(db, staff, cursor) == []
    with time_machine.travel("2026-11-25T13:10:00Z", tick=False):
        push("case_event", {"concern_id": 1, "kind": "outcome", "body": "Sorted"}, who="dsl", item_id="d")
    [change] = changes_since(db, staff, cursor)
    assert change["data"]["status"] == "in_progress" and change["changed_at"] == "2026-11-25T13:10:00Z"


def test_changes_since_for_case_workers_is_the_queue_with_each_whole_case(push, db, app):
    push("concern", {**PAYLOAD, "category": "staff_personal_contact", "urgent": True})
    push("case_event", {"concern_id": 1, "kind": "assignment", "assignee_id": app.people["dsl"]}, who="dsl",
         item_id="e")
    with app.app_context():
        [change] = [c for c in changes_since(db, get_user(db, app.people["head"]), None) if c["type"] == "concern"]
    case = change["data"].pop("case")
    assert change["data"] == {"id": 1, "category": "staff_personal_contact", "urgent": True, "status": "in_progress",
                              "created_at": "2026-11-25T12:59:00Z", "location": "Year 4 classroom",
                              "reporter": "Sally Staff", "assignee": "Diane Lead", "flagged_for_head": True,
                              "category_label": "Staff contact from a personal device",
                              "status_label": "Being dealt with"}
    assert case["account"] == REPORT["account"] and case["action_taken"] == REPORT["action_taken"]
    assert case["reporter"] == "Sally Staff" and case["learners"] == "Year 4 pupil (boy)"
    assert case["category_label"] == change["data"]["category_label"] and case["status_label"] == "Being dealt with"
    assert case["occurred_at"] == "25 Nov 2026, 10:30" and case["logged_at"] == "25 Nov 2026, 12:59"
    assert case["chronology"] == [{"kind": "Assigned to a DSL", "body": "", "reference": "", "by": "Diane Lead",
                                   "at": "25 Nov 2026, 12:59", "assignee": "Diane Lead", "status": ""}]
    assert "staff_personal_contact" not in str(case) and "assignment" not in str(case)  # labels, never keys


def test_a_case_closed_more_than_thirty_days_ago_is_dropped_from_the_phone(push, db, app):
    push("concern", PAYLOAD)
    for n, kind in enumerate(("outcome", "lessons_learnt", "behaviour_action")):
        push("case_event", {"concern_id": 1, "kind": kind, "body": "Done"}, who="dsl", item_id=f"e{n}")
    push("case_event", {"concern_id": 1, "kind": "closed"}, who="dsl", item_id="close")
    dsl = get_user(db, app.people["dsl"])
    with app.app_context():
        [kept] = [c for c in changes_since(db, dsl, None) if c["type"] == "concern"]
    assert kept["data"]["status"] == "closed" and kept["data"]["case"]["account"] == REPORT["account"]
    with time_machine.travel("2026-12-26T13:00:00Z", tick=False), app.app_context():
        [dropped] = [c for c in changes_since(db, dsl, None) if c["type"] == "concern"]
    assert dropped["data"]["case"] is None and REPORT["account"] not in str(dropped)


    for who in ("governor", "admin"):
        assert changes_since(db, get_user(db, app.people[who]), None) == []


def test_pictures_reach_the_phone_as_small_thumbnails_only(push, db, app):
    big = png(900, 600)
    pic = {"filename": "chat.png", "content_type": "image/png", "data": b64(big)}
    push("concern", {**PAYLOAD, "attachments": [pic, {**pic, "filename": "broken.png", "data": b64(png()[:40])}]})
    with app.app_context():
        [change] = [c for c in changes_since(db, get_user(db, app.people["dsl"]), None) if c["type"] == "concern"]
    first, broken = change["data"]["case"]["pictures"]
    assert first["name"] == "chat.png" and first["about"].startswith("PNG picture")
    prefix = "data:image/jpeg;base64,"
    assert first["thumbnail"].startswith(prefix)
    small = base64.b64decode(first["thumbnail"][len(prefix):])
    assert Image.open(io.BytesIO(small)).size == (160, 107) and len(small) < 20_000
    assert broken["name"] == "broken.png" and broken["thumbnail"] is None
