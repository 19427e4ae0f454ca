"""Helpers for device-use permission tests: a school day, a valid request, posting the real forms."""
from datetime import datetime, timezone

import pytest

from webapp.clock import iso

# A Tuesday in January: school time (GMT) is UTC, so typed times and stored times read the same.
MORNING = datetime(2026, 1, 13, 9, 0, tzinfo=timezone.utc)

REQUEST = {
    "for_whom": "self",
    "device": "phone",
    "purpose": "emergency_contact",
    "detail": "My mother is in hospital and the ward may ring.",
    "location": "staffroom",
    "starts_at": "2026-01-13T09:00",
    "ends_at": "2026-01-13T15:30",
}
CONTRACTOR = {**REQUEST, "for_whom": "visitor", "visitor_name": "Dan Roofer",
              "visitor_organisation": "Kent Roofing Ltd", "purpose": "photos_of_premises",
              "detail": "Photos of the hall roof for a quote.", "location": "hall"}


@pytest.fixture
def morning(time_machine):
    """Stand still at 09:00 on a school day; return the traveller to move on from there."""
    time_machine.move_to(MORNING, tick=False)
    return time_machine


class Requests:
    """Ask, decide and read through the real pages, signed in as whoever is named."""

    def __init__(self, client, auth, db):
        self.client, self.auth, self.db = client, auth, db
        self.signed_in = None

    def sign_in(self, who):
        """Become `who` (signing the last person out first)."""
        if self.signed_in != who:
            if self.signed_in:
                self.auth.logout()
            self.auth.login(who)
            self.signed_in = who

    def ask(self, who="staff", **fields):
        self.sign_in(who)
        data = {**REQUEST, **fields, "csrf_token": self.auth.csrf("/requests/new")}
        return self.client.post("/requests/new", data={k: v for k, v in data.items() if v is not None})

    def decide(self, request_id, who="head", **fields):
        """Post a decision; an approval has conditions and ends when asked, unless the test says otherwise."""
        if fields.get("outcome") == "approved":
            asked = list(self.db.query("SELECT ends_at FROM device_requests WHERE id = ?", [str(request_id)]))
            fields = {"conditions": "Only in the office.",
                      "ends_at": asked[0]["ends_at"][:16] if asked else "2026-01-13T15:30", **fields}  # GMT: UTC
        self.sign_in(who)
        data = {"request_id": request_id, **fields, "csrf_token": self.auth.csrf("/requests/decide")}
        return self.client.post("/requests/decide", data={k: v for k, v in data.items() if v is not None})

    def approve(self, request_id, **fields):
        return self.decide(request_id, outcome="approved", **fields)

    def rows(self, table="device_requests"):
        return list(self.db.query(f"SELECT * FROM {table} ORDER BY id"))

    def last_id(self):
        return self.rows()[-1]["id"]


@pytest.fixture
def requests(client, auth, db):
    return Requests(client, auth, db)


def insert_request(db, requester_id, **fields):
    """Write a request row directly (for tests about reading and deciding)."""
    from webapp.permissions import store
    row = {"requester_id": requester_id, "for_whom": "self", "visitor_name": None, "visitor_organisation": None,
           "device": "phone", "purpose": "work_task", "detail": "", "location": "office",
           "starts_at": iso(MORNING), "ends_at": iso(MORNING.replace(hour=15)), "during_teaching": 0,
           "urgent": 0, "refused_rule": None, "refused_clause": None, "created_at": iso(MORNING),
           "received_at": iso(MORNING), "source": "web", "item_id": None, **fields}
    with db.atomic():
        return store.insert_request(db, row)
