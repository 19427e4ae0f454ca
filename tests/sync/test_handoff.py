"""The one handoff between sync and the domains: the shared steps hold for every kind alike."""
from datetime import timedelta

import pytest

from webapp.clock import iso, parse_iso
from webapp.governance import store as declarations
from webapp.sync.handoff import Kind
from webapp.sync.ingest import written_at

from .conftest import signed_in_phone, switch
from .phone import concern
from .test_domains import device_request

NOW = "2026-11-25T13:00:00Z"
FUTURE, RESET_CLOCK, JUST_BEFORE_2000 = "2099-10-01T09:00:00Z", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z"
DECLARATION = {"relationship": "neighbour", "with_whom": "The parent of a Year 4 learner",
               "details": "We live on the same street."}


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def deliver(client, auth, db, kind, created_at):
    """Push one valid item of `kind` written at `created_at`; return (its status, the time stored with it)."""
    phone = signed_in_phone(client, auth, "staff")
    if kind == "concern":
        return push_one(phone, "concern", concern("Phone out in the hall"), created_at), \
            stored_time(db, "SELECT created_at FROM concerns")
    if kind == "declaration":
        status = push_one(phone, "declaration", DECLARATION, created_at)
        row = declarations.get_declaration(db, stored_time(db, "SELECT id FROM declarations"))
        return status, (row["created_at"], row["confirmed_year"])
    asked = device_request()
    if kind == "device_request":
        return push_one(phone, "device_request", asked, created_at), \
            stored_time(db, "SELECT created_at FROM device_requests")
    if kind == "decision":
        push_one(phone, "device_request", asked, NOW)
        switch(auth, phone, "head")
        decision = {"request_id": next(db.query("SELECT id FROM device_requests"))["id"], "outcome": "approved",
                    "conditions": "Office only", "ends_at": asked["ends_at"], "reason": ""}
        return push_one(phone, "decision", decision, created_at), stored_time(db, "SELECT decided_at FROM decisions")
    push_one(phone, "concern", concern("Phone out in the hall"), NOW)
    switch(auth, phone, "dsl")
    entry = {"concern_id": next(db.query("SELECT id FROM concerns"))["id"], "kind": "note",
             "body": "Spoke to the class teacher.", "reference": "", "assignee_id": "", "status": ""}
    return push_one(phone, "case_event", entry, created_at), stored_time(db, "SELECT created_at FROM case_events")


def push_one(phone, kind, payload, created_at):
    item = phone.item(kind, payload, created_at=created_at)
    return phone.statuses([item])[item["id"]]


def stored_time(db, sql):
    return next(db.execute(sql))[0]


KINDS = ["concern", "case_event", "device_request", "decision", "declaration"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("created_at", [FUTURE, RESET_CLOCK, JUST_BEFORE_2000])
def test_a_phone_time_in_the_future_or_before_2000_is_taken_as_the_time_it_arrived(
        client, auth, db, frozen, kind, created_at):
    status, stored = deliver(client, auth, db, kind, created_at)
    assert status == "stored"
    assert stored == ((NOW, 2026) if kind == "declaration" else NOW)


@pytest.mark.parametrize("kind", KINDS)
def test_a_believable_phone_time_is_kept_for_every_kind(client, auth, db, frozen, kind):
    earlier = iso(parse_iso(NOW) - timedelta(hours=3))
    status, stored = deliver(client, auth, db, kind, earlier)
    assert status == "stored"
    assert stored == ((earlier, 2026) if kind == "declaration" else earlier)


def test_the_clamp_keeps_its_bounds_and_nothing_outside_them():
    now = parse_iso(NOW)
    assert written_at("2000-01-01T00:00:00Z", now) == "2000-01-01T00:00:00Z"
    assert written_at(NOW, now) == NOW
    assert written_at("2026-11-25T13:00:01Z", now) == NOW
    assert written_at("not a time", now) == NOW
    assert written_at(None, now) == NOW


def test_every_synced_kind_is_declared_once_through_the_contract(app):
    kinds = app.extensions["sync_kinds"]
    assert set(KINDS) <= set(kinds)
    assert all(isinstance(kind, Kind) for kind in kinds.values())
    assert len({kind.table for kind in kinds.values()}) == len(kinds)


def test_a_kind_declared_twice_or_not_as_a_kind_stops_the_start(app):
    from webapp.sync import handoff
    with pytest.raises(ValueError, match="concern"):
        handoff.register(app, kinds={"concern": app.extensions["sync_kinds"]["concern"]})
    with pytest.raises(TypeError, match="gossip"):
        handoff.register(app, kinds={"gossip": lambda *args: {}})
