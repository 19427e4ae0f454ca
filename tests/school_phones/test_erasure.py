"""Destroying a child's record takes a case logged on a school phone whole, with who it was credited to."""
from tests.learners.conftest import pupils  # noqa: F401  (fixture)
from tests.learners.test_destruction import AISHA, confirm, decide
from tests.learners.test_retention import make_old

from .conftest import rows
from .test_answers import answer


def test_a_school_phone_case_about_one_child_goes_whole(app, client, auth, db, school_phone, pupils):  # noqa: F811
    ids = pupils.load()
    make_old(db, AISHA, "2000-01-10")
    item = school_phone.concern("ERASE-1 Aisha was sent a message", {"user_id": app.people["staff"],
                                                                     "name": "Sally Staff"})
    assert school_phone.statuses([item]) == ["stored"]
    concern_id = rows(app, "SELECT id FROM concerns")[0]["id"]
    auth.login("staff")
    answer(client, concern_id, "confirmed")
    auth.logout()
    auth.login("dsl")
    assert pupils.link(concern_id, ids[AISHA]).status_code == 302
    auth.logout()
    auth.login("head")
    decide(client, ids[AISHA])
    assert confirm(client, ids[AISHA]).status_code == 302
    assert not rows(app, "SELECT * FROM concerns")
    assert not rows(app, "SELECT * FROM school_phone_concerns")
    assert not rows(app, "SELECT * FROM school_phone_answers")
    assert not rows(app, "SELECT * FROM school_phone_items WHERE ref IS NOT NULL")
