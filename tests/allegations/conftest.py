"""Allegations about staff: people with chosen roles, and concerns about them linked at triage."""
import pytest

from tests.concerns.conftest import Concerns, png, school_time  # noqa: F401  (fixtures' helpers)
from tests.conftest import PASSWORD

SECRET = "Narrative-about-the-accused"
SEARCH_WORD = "Zebracrossing"


@pytest.fixture
def concerns(client, auth):
    return Concerns(client, auth)


@pytest.fixture
def person(app, db):
    """Make an account holding these roles; return its email (usable with auth.login) and id."""
    from webapp.auth import store

    def make(roles, name="Xavier Accused", email="accused@test.school"):
        user_id = store.create_user(db, email, name, PASSWORD, list(roles))
        return email, user_id
    return make


@pytest.fixture
def chair(person):
    return person(["chair"], name="Carol Chair", email="chair@test.school")


def link_subject(client, concerns, concern_id, user_id):
    """Record who a concern is about from the case page (the caller is signed in)."""
    return concerns.add(concern_id, "subject_link", user_id=user_id)


def allegation(concerns, auth, client, linker, subject_id, about_head=False):
    """Log an allegation about staff with a picture, then record its subject; return its id."""
    data = {"account": f"{SECRET} {SEARCH_WORD}", "category": "staff_personal_contact", "staff_involved": "y"}
    if about_head:
        data["about_head"] = "y"
    concern_id = concerns.log("staff", data, files=[("evidence.png", png())])
    auth.login(linker)
    response = link_subject(client, concerns, concern_id, subject_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return concern_id
