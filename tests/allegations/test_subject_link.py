"""Recording who a concern is about: plain refusals for someone unknown, someone who has left, or yourself."""
import pytest

from .conftest import link_subject


@pytest.fixture
def case(concerns, auth):
    concern_id = concerns.log("staff", {"category": "staff_personal_contact", "staff_involved": "y"})
    auth.login("dsl")
    return concern_id


def subject_links(db):
    return db.execute("SELECT count(*) FROM case_events WHERE kind = 'subject_link'").fetchone()[0]


def test_a_dsl_records_who_a_concern_is_about(client, concerns, case, db, person):
    _, x_id = person(("staff",))
    response = link_subject(client, concerns, case, x_id)
    assert response.status_code == 302
    row = db.execute("SELECT user_id, kind FROM case_events").fetchone()
    assert tuple(row) == (x_id, "subject_link")


@pytest.mark.parametrize("who, message", [
    (lambda app, made: 9999, "There is no such member of staff"),
    (lambda app, made: app.people["dsl"], "You cannot record yourself"),
    (lambda app, made: made, "no longer has an account here (they have left)"),
    (lambda app, made: "", "Choose the member of staff this concern is about."),
    (lambda app, made: "abc", "Not a valid integer value"),
])
def test_bad_subjects_are_refused_plainly_and_nothing_is_stored(app, client, concerns, case, db, person, who,
                                                               message):
    from webapp.auth.store import set_active
    _, left_id = person(("staff",), name="Lena Left", email="left@test.school")
    set_active(db, left_id, False)
    db.conn.commit()
    response = link_subject(client, concerns, case, who(app, left_id))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert subject_links(db) == 0


def test_the_same_person_is_not_recorded_twice(client, concerns, case, db, person):
    _, x_id = person(("staff",))
    link_subject(client, concerns, case, x_id)
    response = link_subject(client, concerns, case, x_id)
    assert "already recorded" in response.get_data(as_text=True)
    assert subject_links(db) == 1


def test_a_subject_link_from_a_phone_is_checked_the_same_way(app, db, case, person):
    from webapp.auth.store import get_user
    from webapp.concerns.sync import KINDS
    _, x_id = person(("staff", "dsl"))
    dsl = get_user(db, app.people["dsl"])
    with app.test_request_context():
        refused = KINDS["case_event"](db, {"concern_id": case, "kind": "subject_link", "user_id": dsl["id"]},
                                      dsl, {"item_id": "item-1"})
        assert "You cannot record yourself" in refused["errors"]["user_id"][0]
        stored = KINDS["case_event"](db, {"concern_id": case, "kind": "subject_link", "user_id": x_id},
                                     dsl, {"item_id": "item-2"})
        assert "ref" in stored
        # the subject's own phone can add nothing to the case now: it is as if it did not exist
        x = get_user(db, x_id)
        hidden = KINDS["case_event"](db, {"concern_id": case, "kind": "note", "body": "hello"}, x,
                                     {"item_id": "item-3"})
        assert hidden["errors"]["concern_id"] == ["There is no such case: open it from the queue and try again."]
    assert subject_links(db) == 1
