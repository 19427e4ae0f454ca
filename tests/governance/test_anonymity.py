"""Nothing in any report output identifies a child, a member of staff or an incident."""
import re
from datetime import datetime, timezone

import pytest
import time_machine

from tests.conftest import PEOPLE
from webapp.governance import store
from webapp.permissions import store as permissions_store
from webapp.sync import store as sync_store

from .conftest import add_concern, add_request

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
MARKERS = {
    "learners": "Zebedee Quillfeather", "adults": "Ozymandias Prendergast",
    "account": "the purple giraffe incident", "action_taken": "confiscated the kazoo",
    "location": "Boathouse annexe", "body": "spoke to grandmother Ermintrude", "reference": "POLREF-77Q9",
    "visitor_name": "Balthazar Nightingale", "visitor_organisation": "Acme Drainage Ltd",
    "detail": "to mend the boiler flue", "conditions": "only in the plant room",
    "reason": "declined because of the marmalade", "asset_tag": "ASSET-MARKER-991",
    "with_whom": "Persephone Wobblebottom", "declaration": "babysits on Thursdays",
    "arrangement": "messages via the tortoise club", "device_id": "phone-marker-xyz",
}
RECORD_DATES = ["2026-10-07", "7 October", "07/10/2026", "2026-11-13", "13 November", "13/11/2026"]


def seed(db, people):
    """Several records of every kind, each carrying a distinctive marker."""
    text = {k: MARKERS[k] for k in ("learners", "adults", "account", "action_taken", "location")}
    events = [("note", "2026-10-07T10:00:00Z", {"body": MARKERS["body"]}),
              ("police_contacted", "2026-10-07T11:00:00Z", {"reference": MARKERS["reference"]})]
    for at in ("2026-10-07T09:13:00Z", "2026-11-13T14:27:00Z"):
        add_concern(db, people, "illegal_content", at, events, **text)
    add_concern(db, people, "restricted_area", "2026-10-07T09:13:00Z", **text)
    for outcome in ("approved", "declined", None):
        add_request(db, people, "2026-11-13T14:27:00Z", outcome=outcome, visitor_name=MARKERS["visitor_name"],
                    visitor_organisation=MARKERS["visitor_organisation"], detail=MARKERS["detail"],
                    conditions=MARKERS["conditions"], reason=MARKERS["reason"])
    add_request(db, people, "2026-10-07T09:13:00Z", refused_rule="photos_of_learners", detail=MARKERS["detail"])
    permissions_store.add_device(db, {"asset_tag": MARKERS["asset_tag"], "kind": "phone",
                                      "issued_to": people["staff2"], "status": "lost"},
                                 people["admin"], "2026-10-07T09:13:00Z")
    sync_store.record_phone(db, MARKERS["device_id"], people["staff"], "push", 3, "2026-11-13T14:27:00Z",
                            "2026-11-30T09:00:00Z")
    declaration_id = store.add_declaration(
        db, {"relationship": "relative", "with_whom": MARKERS["with_whom"], "details": MARKERS["declaration"]},
        people["staff"], 2026)
    store.add_declaration_review(db, declaration_id, MARKERS["arrangement"], people["dsl"])


def forbidden_for(viewer):
    """Every marker, every person's name but the viewer's own (shown in the page header), every record date."""
    names = [name for key, (_, name, _) in PEOPLE.items() if key != viewer]
    emails = [email for _, (email, _, _) in PEOPLE.items()]
    return list(MARKERS.values()) + names + emails + RECORD_DATES


@pytest.mark.parametrize("viewer", ["governor", "head", "dsl"])
def test_no_name_narrative_reference_or_date_in_any_report_output(app, db, people, client, auth, viewer):
    seed(db, people)
    with time_machine.travel(NOW, tick=False):
        auth.login(viewer)
        outputs = {"csv": client.get("/reports.csv?from=2026-09-01&to=2026-12-31").get_data(as_text=True)}
        for query in ("", "?from=2026-09-01&to=2026-12-31", "?from=2026-10-01&to=2026-11-30"):
            html = client.get(f"/reports{query}").get_data(as_text=True)
            outputs[f"html{query}"] = html
            svgs = re.findall(r"<svg.*?</svg>", html, re.S)
            assert svgs, "the report draws its charts"
            outputs[f"svg{query}"] = "\n".join(svgs)
    assert "fewer than 3" in outputs["csv"]  # the seeded records are really counted
    assert PEOPLE[viewer][1] in outputs["html"]  # the scan reads the whole page, header included
    for name, text in outputs.items():
        lowered = text.lower()
        leaks = [s for s in forbidden_for(viewer) if s.lower() in lowered]
        assert not leaks, f"{name} shows {leaks}"
