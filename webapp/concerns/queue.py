"""The DSLs' queue: urgent and newest first, filtered, searched and paginated."""
from datetime import date, datetime, time, timedelta

from flask import render_template, request
from wtforms.fields.choices import SelectChoice

from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..clock import from_local_naive, iso
from ..db import get_db
from ..learners import store as learner_store
from ..sync import returned
from . import store, visibility
from .categories import BY_KEY
from .chronology import STATUSES
from .forms import QueueFilterForm
from .views import bp

PER_PAGE = 25
MAX_PAGE = 100_000  # past any real queue: a larger page number shows an empty page, never an error


def school_day_start(day):
    """Return the UTC time at which a school-calendar day starts."""
    return iso(from_local_naive(datetime.combine(day, time())))


def filters_from(form, people):
    """Turn valid filter choices into store filters; ignore anything unknown."""
    form.validate()
    status, assignee = form.status.data, form.assignee.data
    found = {"status": status if status in STATUSES else None, "open": status == "open",
             "category": form.category.data if form.category.data in BY_KEY else None,
             "unassigned": assignee == "none",
             "assignee_id": int(assignee) if assignee in {str(p["id"]) for p in people} else None,
             "match": store.search_terms(form.q.data) if not form.q.errors else ""}
    if form.date_from.data and not form.date_from.errors:
        found["created_from"] = school_day_start(form.date_from.data)
    if form.date_to.data and not form.date_to.errors and form.date_to.data < date.max:
        found["created_before"] = school_day_start(form.date_to.data + timedelta(days=1))
    return found


MAX_PAGE = 10 ** 9  # beyond any queue; keeps the offset inside SQLite's integers


@bp.route("/queue")
@role_required("dsl", "head", "chair")
def queue():
    db = get_db()
    people = store.case_workers(db)
    form = QueueFilterForm(request.args)
    form.assignee.choices = form.assignee.choices + [SelectChoice(str(p["id"]), p["name"])
                                                     for p in people]
    page = min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
    filters = filters_from(form, people)
    pupil = learner_store.get(db, request.args.get("learner", type=int))  # unknown: not filtered
    filters["learner_id"] = pupil["id"] if pupil else None
    visible = visibility.where(current_user)
    rows, total = store.queue(db, filters, PER_PAGE + 1, (page - 1) * PER_PAGE, visible)
    if filters["match"]:
        with db.atomic():
            audit.record(db, current_user.id, "queue.search", "queue", {"q": form.q.data})
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("concerns/queue.html", form=form, rows=rows[:PER_PAGE], total=total,
                           page=page, returned_waiting=returned.waiting_over_a_day(db),
                           has_next=len(rows) > PER_PAGE, counted=total <= store.COUNT_CAP,
                           pages=max(1, -(-total // PER_PAGE)), args=args, per_page=PER_PAGE,
                           cap=store.COUNT_CAP, unopened=store.unopened_count(db, visible),
                           pupil=pupil)
