"""`POST /api/audit/offline-views`: what a person read on a phone without signal, into the audit log."""
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from ..clock import parse_iso
from ..db import get_db
from ..sync.shapes import DEVICE_ID
from . import record
from .actions import register_action

bp = Blueprint("audit_offline", __name__, url_prefix="/api/audit")
KINDS = {"concern": "case.view.offline", "request": "request.view.offline"}
register_action("case.view.offline", "Read a case on a phone without signal")
register_action("request.view.offline", "Read a device-use request on a phone without signal")
MOST = 500


def _is_whole(value):
    """Say whether a JSON number is whole (JSON has one number type: 3.0 is 3)."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


def refused(message, errors=None):
    """Answer 400 with the API's error shape: a message, the status and messages by field."""
    body = {"error": message, "status": 400}
    if errors:
        body["errors"] = errors
    return jsonify(body), 400


def problem(view):
    """Return why one recorded view cannot be kept, or None."""
    if not isinstance(view, dict) or not isinstance(view.get("kind"), str) or view["kind"] not in KINDS:
        return "Each view names a kind: concern or request."
    if not _is_whole(view.get("id")) or view["id"] < 1:
        return "Each view names the number of what was read."
    try:
        parse_iso(str(view.get("at", "")))
    except ValueError:
        return "Each view says when it happened, as an ISO-8601 time."
    return None


@bp.route("/offline-views", methods=["POST"])
@login_required
def offline_views():
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        current_app.extensions["csrf"].protect()
    body = request.get_json(silent=True)
    views = body.get("views") if isinstance(body, dict) else None
    if not isinstance(views, list) or len(views) > MOST:
        return refused(f"Send {{\"views\": [...]}} with at most {MOST} views.",
                       {"views": [f"Not a list of at most {MOST} views."]})
    errors = {f"views[{n}]": [p] for n, p in ((n, problem(v)) for n, v in enumerate(views)) if p}
    device = body.get("device_id")  # null or left out: the phone did not say
    if device is not None and (not isinstance(device, str) or not DEVICE_ID.match(device)):
        errors["device_id"] = ["Not a valid phone id."]
    if errors:
        return refused("Some views could not be recorded; nothing was recorded.", errors)
    db = get_db()
    with db.atomic():
        for view in views:
            record(db, current_user.id, KINDS[view["kind"]], f"{view['kind']}:{int(view['id'])}",
                   {"read_at": view["at"], "device_id": device or ""})
    return jsonify({"recorded": len(views)})


def init_app(app):
    app.extensions["csrf"].exempt(bp)
    app.register_blueprint(bp)
