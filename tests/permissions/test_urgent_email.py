"""An urgent request emails the headteacher: categories and a link only, through a real SMTP server."""
from webapp.auth.store import get_user
from webapp.permissions import sync

from .conftest import CONTRACTOR


def test_an_urgent_request_emails_the_head(morning, requests, mailbox, app):
    app.config["BASE_URL"] = "https://school.example/"
    requests.ask(**CONTRACTOR, urgent="y")
    [message] = mailbox.messages
    assert message["to"] == ["head@test.school"]
    assert message["subject"] == "Urgent device-use request waiting"
    body = message["body"]
    assert "https://school.example/requests/decisions" in body
    assert "a visitor or contractor" in body and "The hall" in body and "Mobile phone" in body
    for personal in ("Dan Roofer", "Kent Roofing", "roof", "Sally"):
        assert personal not in body


def test_an_ordinary_request_sends_nothing(morning, requests, mailbox):
    requests.ask(**CONTRACTOR)
    assert mailbox.messages == []


def test_a_refused_urgent_request_sends_nothing(morning, requests, mailbox):
    requests.ask(**{**CONTRACTOR, "urgent": "y", "location": "changing_rooms"})
    assert mailbox.messages == []


def test_an_urgent_request_from_a_phone_emails_once_committed(morning, app, db, mailbox):
    payload = {**CONTRACTOR, "urgent": True, "starts_at": "2026-01-13T09:00", "ends_at": "2026-01-13T12:00"}
    with app.test_request_context():
        author = get_user(db, app.people["staff"])
        with db.atomic():
            result = sync.KINDS["device_request"](db, payload, author, {"item_id": "u-1",
                                                                        "created_at": "2026-01-13T09:00:00Z"})
            assert mailbox.queued() == 0  # queued in the request's transaction: unseen until it commits
        assert result["after_commit"] is None
    assert [m["to"] for m in mailbox.messages] == [["head@test.school"]]
