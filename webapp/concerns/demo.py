"""A few realistic concerns for the demo school (invented people only)."""
from datetime import timedelta

from ..clock import iso, utcnow
from . import capture, store
from .forms import CaseEventForm, ConcernForm
from ..sync.payload import formdata

TEACHER, DSL, DEPUTY, HEAD = ("teacher@demo.school", "dsl@demo.school", "deputy.dsl@demo.school",
                              "head@demo.school")

# (reporter, days ago, what they wrote)
CONCERNS = [
    (TEACHER, 9, {
        "category": "abusive_message", "location": "Year 5 classroom",
        "learners": "Year 5 pupil (girl)", "told_dsl_in_person": True,
        "account": "She showed me a group-chat message on her tablet at home calling her names. "
                   "She was upset and said it had happened every evening this week.",
        "action_taken": "Reassured her and told her I would pass it on today."}),
    (TEACHER, 4, {
        "category": "restricted_area", "location": "Swimming pool changing area",
        "adults": "Parent helper on the swimming trip", "urgent": True,
        "account": "A parent helper was using their phone in the changing area while pupils "
                   "got changed.",
        "action_taken": "Asked them to put it away and leave the changing area."}),
    (DEPUTY, 2, {
        "category": "staff_images_of_learners", "location": "Sports day, field",
        "adults": "Member of teaching staff", "staff_involved": True,
        "account": "I saw a colleague taking photos of Year 2 pupils on what looked like a "
                   "personal phone.",
        "action_taken": "Nothing yet: I did not want to confront them in front of pupils."}),
    (TEACHER, 1, {
        "category": "visitor_device", "location": "Main hall",
        "adults": "Contractor fixing the hall lights",
        "account": "The contractor was filming the hall during assembly rehearsal with pupils "
                   "present.",
        "action_taken": "Asked him to stop; he said he needed it for his quote."}),
    (TEACHER, 0, {
        "category": "school_device", "location": "Year 3 classroom",
        "account": "A class iPad was left unlocked on the trolley at lunchtime with no passcode.",
        "action_taken": "Locked it away and told the office."}),
]
CLOSED_CASE = [
    ("assignment", {"assignee": DSL}),
    ("note", {"body": "Spoke with the pupil and her mother."}),
    ("parents_informed", {"body": "Both sets of parents told by phone."}),
    ("behaviour_action", {"body": "Anti-bullying plan agreed with the other pupil and parents."}),
    ("outcome", {"body": "Messages stopped. Both pupils are being checked on weekly."}),
    ("lessons_learnt", {"body": "Run the online kindness lesson with Year 5 next term."}),
    ("closed", {}),
]
OPEN_CASE = [
    ("assignment", {"assignee": DEPUTY}),
    ("note", {"body": "Spoke to the parent helper; reminded them of the rules for trips."}),
]


def seed(db, people):
    """Add the demo concerns, one with a chronology and one closed."""
    ids = []
    for reporter, days_ago, payload in CONCERNS:
        when = utcnow() - timedelta(days=days_ago, hours=2)
        payload = {**payload, "occurred_at": iso(when - timedelta(hours=1))}
        form = ConcernForm(formdata=formdata(payload)[0], meta={"csrf": False})
        checked(form)
        with db.atomic():
            ids.append(capture.log_concern(db, form, people[reporter], created_at=iso(when)))
    add_entries(db, people, ids[0], CLOSED_CASE, utcnow() - timedelta(days=8))
    add_entries(db, people, ids[1], OPEN_CASE, utcnow() - timedelta(days=3))


def add_entries(db, people, concern_id, entries, start):
    """Write a chronology through the same checks a DSL's entries go through."""
    workers = store.case_workers(db)
    for n, (kind, fields) in enumerate(entries):
        payload = {"concern_id": concern_id, "kind": kind, "body": fields.get("body")}
        if "assignee" in fields:
            payload["assignee_id"] = people[fields["assignee"]]
        form = CaseEventForm(formdata=formdata(payload)[0], meta={"csrf": False})
        form.set_assignees(workers)
        checked(form)
        with db.atomic():
            _, errors = capture.add_entry(db, form, people[DSL],
                                          created_at=iso(start + timedelta(hours=n)))
        if errors:
            raise ValueError(f"Demo entry refused: {errors}")


def checked(form):
    """Refuse to seed demo data the forms would not accept."""
    if not form.validate():
        raise ValueError(f"Demo data refused: {form.errors}")
