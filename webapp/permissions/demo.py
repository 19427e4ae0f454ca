"""Demo device-use requests, decisions and school devices for `flask seed-demo`."""
from datetime import timedelta

from ..clock import iso, utcnow
from . import store

TEACHER, HEAD, ADMIN = "teacher@demo.school", "head@demo.school", "admin@demo.school"


def _ask(db, people, now, hours_ago, **fields):
    row = {"requester_id": people[TEACHER], "for_whom": "self", "visitor_name": None,
           "visitor_organisation": None, "detail": "", "during_teaching": 0, "urgent": 0,
           "refused_rule": None, "refused_clause": None, "source": "web", "item_id": None,
           "created_at": iso(now - timedelta(hours=hours_ago)), "received_at": iso(now - timedelta(hours=hours_ago))}
    row.update(fields)
    return store.insert_request(db, row)


def _decide(db, people, now, request_id, outcome, **fields):
    row = {"request_id": request_id, "outcome": outcome, "conditions": "", "ends_at": None, "reason": "",
           "decided_by": people[HEAD], "decided_at": iso(now - timedelta(hours=1)),
           "received_at": iso(now - timedelta(hours=1)), "source": "web", "item_id": None}
    row.update(fields)
    store.insert_decision(db, row)


def _requests(db, people, now):
    day = timedelta(days=1)
    contractor = _ask(db, people, now, 26, for_whom="visitor", visitor_name="Dan Roofer",
                      visitor_organisation="Kent Roofing Ltd", device="phone", purpose="photos_of_premises",
                      detail="Photos of the hall roof for the repair quote.", location="hall",
                      starts_at=iso(now - timedelta(hours=2)), ends_at=iso(now + 2 * day))
    _decide(db, people, now, contractor, "approved", ends_at=iso(now + day),
            conditions="Only before 8:30 or after 15:30, with no learners in the hall. Sign in at reception.")
    mine = _ask(db, people, now, 30, device="phone", purpose="emergency_contact", location="staffroom",
                detail="My father is in hospital; the ward may call.", starts_at=iso(now - day),
                ends_at=iso(now + 6 * day))
    _decide(db, people, now, mine, "approved", ends_at=iso(now + 6 * day),
            conditions="Keep it on silent in your bag; take calls in the staffroom only.")
    declined = _ask(db, people, now, 50, device="wearable", purpose="work_task", location="classroom",
                    during_teaching=1, detail="Step counter challenge with my class.",
                    starts_at=iso(now - day), ends_at=iso(now + 20 * day))
    _decide(db, people, now, declined, "declined", reason="Use the school pedometers from the PE store instead.")
    _ask(db, people, now, 1, for_whom="visitor", visitor_name="Priya Shah", visitor_organisation="Openreach",
         device="laptop", purpose="work_task", location="office", urgent=1,
         detail="Engineer needs a laptop to test the broadband line today.",
         starts_at=iso(now), ends_at=iso(now + timedelta(hours=4)))
    _ask(db, people, now, 3, device="phone", purpose="photos_of_learners", location="field",
         refused_rule="photos_of_learners", refused_clause="5.2.4", detail="Sports day photos.",
         starts_at=iso(now + day), ends_at=iso(now + day + timedelta(hours=3)))


def _devices(db, people, now):
    admin, names = people[ADMIN], {p["id"]: p["name"] for p in store.staff_people(db)}
    long_ago = iso(now - timedelta(days=200))
    for tag, kind, holder, status in [("NAG-PH-01", "phone", TEACHER, "in_use"),
                                      ("NAG-PH-02", "phone", "dsl@demo.school", "in_use"),
                                      ("NAG-TB-07", "tablet", None, "in_use"),
                                      ("NAG-TB-03", "tablet", None, "retired")]:
        device_id = store.add_device(db, {"asset_tag": tag, "kind": kind, "status": status,
                                          "issued_to": people.get(holder),
                                          "holder_name": names.get(people.get(holder))},
                                     admin, long_ago)
        if tag == "NAG-PH-02":
            store.confirm_passcode(db, device_id, people[holder], iso(now - timedelta(days=10)))


def seed(db, people):
    """Add a few realistic requests (staff and contractors) and school devices."""
    now = utcnow()
    with db.atomic():
        _requests(db, people, now)
        _devices(db, people, now)
