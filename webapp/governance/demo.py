"""Demo records: the policy as first put in the app (its review long overdue) and one declaration."""
from datetime import timedelta

from ..clock import iso, utcnow
from . import store, terms

PLACEHOLDER = """\
This version stands in for the school's Mobile Technology and Social Media Policy. The full text,
as agreed by the governing body, is held by the school office; an administrator should add it here
as a new version, by pasting its text or uploading it as a PDF, once it has been reviewed.

## What it asks of everyone, in brief

- Personal phones and devices are never used in the toilets, the changing rooms or the swimming
  pool (clause 5.1.4).
- Staff keep their own devices put away and on silent during lessons, and use them in teaching time
  only with the headteacher's written permission (5.2.2).
- Staff never contact learners, parents or carers from their own devices; a relationship outside
  school that could make this hard is declared to the DSL and the headteacher (5.2.3).
- Photos and video of learners are taken only on school equipment (5.2.4).
- Visitors and contractors ask the headteacher before using a device (5.3.1).
- School phones and tablets are locked with a passcode and used only by staff (5.4.2).
- Anyone with a worry tells a DSL. In immediate danger call 999; for suspected illegal activity,
  call the police on 101 (7.8).
"""


def seed(db, people):
    """Add the policy as written in July 2020 (review due July 2021) and a declared relationship."""
    admin, teacher = people["admin@demo.school"], people["teacher@demo.school"]
    store.add_version(db, {"title": "Mobile technology and social media policy (summary)",
                           "body_markdown": PLACEHOLDER, "written_on": "2020-07-01",
                           "effective_on": "2020-09-01", "next_review_on": "2021-07-01"}, admin)
    declaration_id = store.add_declaration(
        db, {"relationship": "neighbour", "with_whom": "The family of a learner in Year 2",
             "details": "We live next door and sometimes message about lifts."},
        teacher, terms.school_year_of(terms.today()) - 1, at=iso(utcnow() - timedelta(days=365)))
    store.add_declaration_review(db, declaration_id, "Only neighbourly messages; anything about school "
                                 "goes through the office or the class email.", people["dsl@demo.school"])
