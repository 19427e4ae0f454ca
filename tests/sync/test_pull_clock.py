"""Property: however the server's clock steps, a phone pulling with the cursors it was given misses nothing.

Concerns, case entries, device requests, decisions, declarations and their reviews are written through
the real domains while the server's clock jumps forwards and back; after every pull, what each
phone holds (merged as static/js/pulled.js merges) equals what a first pull would give it now.
"""
import shutil
from datetime import timedelta

import time_machine
from hypothesis import HealthCheck, given, settings, strategies as st

from webapp.auth.store import get_user
from webapp.clock import iso, parse_iso
from webapp.concerns.sync import KINDS as CONCERN_KINDS
from webapp.db import connect
from webapp.governance import store as governance_store
from webapp.governance.sync import KINDS as DECLARATION_KINDS
from webapp.permissions.sync import KINDS as PERMISSION_KINDS
from webapp.sync import changes

KINDS = {**CONCERN_KINDS, **PERMISSION_KINDS, **DECLARATION_KINDS}
START = parse_iso("2026-11-25T13:00:00Z")
PHONES = ("staff", "dsl", "head")
WRITES = ("concern", "case_event", "device_request", "decision", "declaration", "review")
# Steps of the server's clock, in seconds: small ones, ones past the old 300 s overlap, days.
STEPS = st.one_of(st.sampled_from([0, 1, -1, -301, 301, -3600, -86400, 86400]),
                  st.integers(min_value=-3 * 86400, max_value=3 * 86400))


class School:
    """The real domains' writes, as a push hands them over, at whatever time the server's clock says."""

    def __init__(self, app, db):
        self.app, self.db, self.count = app, db, 0

    def person(self, who):
        return get_user(self.db, self.app.people[who])

    def send(self, kind, payload, who, now):
        self.count += 1
        meta = {"item_id": f"item-{self.count}", "created_at": iso(now), "device_id": "d1",
                "uploader_id": self.app.people[who]}
        with self.db.atomic():
            outcome = KINDS[kind](self.db, payload, self.person(who), meta)
        assert "ref" in outcome, outcome  # every write is a real one: the property is about them
        if outcome["after_commit"]:
            outcome["after_commit"]()

    def newest(self, table, where="1"):
        row = self.db.execute(f"SELECT max(id) FROM {table} WHERE {where}").fetchone()
        return row[0]

    def write(self, what, now):
        later = lambda hours: iso(now + timedelta(hours=hours))  # noqa: E731
        concern, request = self.newest("concerns"), self.newest(
            "device_requests", "refused_rule IS NULL AND id NOT IN (SELECT request_id FROM decisions)")
        declaration = self.newest("declarations")
        if what == "concern" or (what == "case_event" and concern is None):
            self.send("concern", {"category": "other_online_safety", "occurred_at": later(-1), "location": "Hall",
                                  "account": "A pupil showed a video.", "told_dsl_in_person": False,
                                  "urgent": False}, "staff", now)
        elif what == "case_event":
            self.send("case_event", {"concern_id": concern, "kind": "outcome", "body": f"Entry {self.count}"},
                      "dsl", now)
        elif what == "device_request" or (what == "decision" and request is None):
            self.send("device_request", {"for_whom": "self", "device": "phone", "purpose": "emergency_contact",
                                         "detail": "Waiting for a call", "location": "hall", "starts_at": later(1),
                                         "ends_at": later(3), "during_teaching": False, "urgent": False},
                      "staff", now)
        elif what == "decision":
            self.send("decision", {"request_id": request, "outcome": "declined", "reason": "Not needed."}, "head", now)
        elif what == "declaration" or declaration is None:
            self.send("declaration", {"relationship": "relative", "with_whom": "My nephew in Year 3",
                                      "details": "Family parties."}, "staff", now)
        else:
            governance_store.add_declaration_review(self.db, declaration, f"Review {self.count}",
                                                    self.app.people["dsl"])


def merge(records, found, everything=False):
    """Keep what static/js/pulled.js keeps: the last copy of each (type, id), minus what is removed;
    only the changes themselves when they are everything."""
    if everything:
        records.clear()
    for change in found:
        key = f"{change['type']}:{change['id']}"
        if change.get("removed") or (change["type"] == "concern" and change["data"]["case"] is None):
            records.pop(key, None)
        else:
            records[key] = change
    return records


def pull(app, school, who, cursor):
    return changes.gather(school.db, school.person(who), cursor, app.extensions["sync_sources"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(STEPS, st.sampled_from(WRITES + ("pull",) * 3)), min_size=1, max_size=20))
def test_no_change_is_skipped_however_the_clock_steps(app, school_template, tmp_path_factory, steps):
    fresh = tmp_path_factory.mktemp("clock") / "school.db"  # each example starts from the empty school
    shutil.copyfile(school_template[0], fresh)
    app.config["DATABASE"] = str(fresh)
    db = connect(str(fresh))
    school = School(app, db)
    phones = {who: {"cursor": None, "records": {}} for who in PHONES}
    now = START
    try:
        with app.test_request_context():
            for step, what in steps + [(0, "pull")]:
                now = min(max(now + timedelta(seconds=step), START - timedelta(days=300)),
                          START + timedelta(days=300))
                with time_machine.travel(now, tick=False):
                    if what != "pull":
                        school.write(what, now)
                        continue
                    for who, phone in phones.items():
                        first = phone["cursor"] is None
                        found, phone["cursor"], everything = pull(app, school, who, phone["cursor"])
                        assert everything == first, who  # only a first pull is whole here
                        merge(phone["records"], found, everything)
                        assert phone["records"] == merge({}, *pull(app, school, who, None)[::2]), who
    finally:
        db.conn.close()
