"""`/audit`: the log for the head and the chair; for governors, how many of each kind per month."""
from datetime import datetime, timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..auth.roles import role_required
from ..clock import iso, utcnow
from ..db import get_db
from . import record, store
from .actions import action_label
from .lines import lines_for

bp = Blueprint("audit", __name__)

FULL_READERS = ("head", "chair")
PER_PAGE = 300
COUNT_MONTHS = 12


@bp.route("/audit")
@role_required(*FULL_READERS, "governor")
def log():
    db = get_db()
    if not current_user.has_role(*FULL_READERS):
        return render_template("audit/counts.html", counts=_counts(db), months=COUNT_MONTHS)
    before = request.args.get("before", type=int)
    before = before if before is not None and 0 < before < 2 ** 62 else None
    entries = store.newest(db, PER_PAGE, before)
    lines = lines_for(db, current_user, entries)
    with db.atomic():
        record(db, current_user.id, "audit.view")
    older = entries[-1]["id"] if len(entries) == PER_PAGE else None
    return render_template("audit/log.html", lines=lines, older=older, paged=before is not None)


def _counts(db):
    since = iso(utcnow() - timedelta(days=31 * COUNT_MONTHS))[:7]
    return [dict(row, label=action_label(row["action"]),
                 month=datetime.strptime(row["month"], "%Y-%m").strftime("%B %Y"))
            for row in store.monthly_counts(db, since)]
