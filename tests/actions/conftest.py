"""Helpers for action tests: a concern logged by staff, and actions added through the case page."""
import pytest


@pytest.fixture
def concerns(client, auth):
    from tests.concerns.conftest import Concerns
    return Concerns(client, auth)


@pytest.fixture
def case(concerns, auth):
    """A concern logged by Sally Staff; a DSL is left signed in."""
    concern_id = concerns.log("staff", {"account": "Ollie Smith was sent a cruel message by Tom."})
    auth.login("dsl")
    return concern_id


@pytest.fixture
def add_action(concerns, app):
    def add(concern_id, owner, due_on, body="Talk to the class about kind messages"):
        return concerns.add(concern_id, "action", body=body, assignee_id=app.people[owner], due_on=due_on)
    return add
