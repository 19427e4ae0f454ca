"""Declarations from a phone's outbox: the web form's rules, the same rows, and what each person pulls."""
import uuid

from webapp import change_log
from webapp.governance import store
from webapp.governance.sync import KINDS, changes_since

GOOD = {"relationship": "relative", "with_whom": "My nephew in Year 3", "details": "Family parties."}


def author(db, people, who):
    roles = [r[0] for r in db.execute("SELECT role FROM user_roles WHERE user_id = ?", [people[who]])]
    return {"id": people[who], "name": who, "email": f"{who}@test.school", "roles": roles, "active": 1}


def meta(item_id=None):
    return {"item_id": item_id or str(uuid.uuid4()), "created_at": "2026-10-01T09:00:00Z",
            "device_id": "phone-1", "uploader_id": 1}


def accept(app, db, payload, person, item=None):
    with app.test_request_context():
        with db.atomic():
            return KINDS["declaration"](db, payload, person, meta(item))


def test_a_phone_declaration_writes_the_same_row_as_the_form(app, db, people, mailbox):
    outcome = accept(app, db, GOOD, author(db, people, "staff"))
    declaration_id = int(outcome["ref"].split(":")[1])
    row = store.get_declaration(db, declaration_id)
    assert (row["relationship"], row["with_whom"], row["source"]) == ("relative", "My nephew in Year 3", "phone")
    assert row["created_at"] == "2026-10-01T09:00:00Z" and row["confirmed_year"] == 2026
    assert outcome["after_commit"] is None  # the emails were queued in the declaration's transaction
    assert len(mailbox.messages) == 3


def test_a_bad_phone_declaration_is_refused_with_the_forms_messages(app, db, people):
    for payload, field in [({"relationship": "relative"}, "with_whom"), ({**GOOD, "relationship": 7}, "relationship"),
                           ("not a dict", "payload")]:
        outcome = accept(app, db, payload, author(db, people, "staff"))
        assert field in outcome["errors"]
    assert "errors" in accept(app, db, GOOD, author(db, people, "governor"))
    assert db.execute("SELECT count(*) FROM declarations").fetchone()[0] == 0


def test_the_same_item_twice_is_one_declaration(app, db, people):
    item = str(uuid.uuid4())
    first = accept(app, db, GOOD, author(db, people, "staff"), item)
    again = accept(app, db, GOOD, author(db, people, "staff"), item)
    assert first["ref"] == again["ref"]
    assert db.execute("SELECT count(*) FROM declarations").fetchone()[0] == 1


def test_staff_pull_their_own_declarations_and_reviewers_pull_all(app, db, people):
    accept(app, db, GOOD, author(db, people, "staff"))
    accept(app, db, {**GOOD, "with_whom": "A neighbour's child"}, author(db, people, "staff2"))
    mine = changes_since(db, author(db, people, "staff"), None)
    assert [c["data"]["with_whom"] for c in mine] == ["My nephew in Year 3"]
    assert "declared_by" not in mine[0]["data"]
    everything = changes_since(db, author(db, people, "dsl"), None)
    assert len(everything) == 2 and all(c["type"] == "declaration" for c in everything)
    assert changes_since(db, author(db, people, "governor"), None) == []
    cursor, _ = change_log.newest(db)
    assert changes_since(db, author(db, people, "dsl"), cursor) == []


def test_a_review_a_confirmation_or_an_ending_is_pulled_again_after_the_cursor(app, db, people):
    accept(app, db, GOOD, author(db, people, "staff"))
    [declared] = changes_since(db, author(db, people, "staff"), None)
    for change in (lambda: store.add_declaration_review(db, declared["id"], "Another teacher marks tests.",
                                                         people["dsl"]),
                   lambda: store.confirm_declaration(db, declared["id"], 2099, people["staff"]),
                   lambda: store.end_declaration(db, declared["id"])):
        cursor, _ = change_log.newest(db)
        change()
        [again] = changes_since(db, author(db, people, "staff"), cursor)
        assert again["id"] == declared["id"]
    assert again["data"]["arrangement"] == "Another teacher marks tests." and again["data"]["ended_at"]
