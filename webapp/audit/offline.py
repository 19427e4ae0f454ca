"""`POST /api/audit/offline-views`: what a person read on a phone without signal, into the audit log."""
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from ..clock import parse_iso
from ..db import get_db
from . import record
from .actions import register_action

bp = Blueprint("audit_offline", __name__, url_prefix="/api/audit")
KINDS = {"concern": "case.view.offline", "request": "request.view.offline"}
register_action("case.view.offline", "Read a case on a phone without signal")
register_action("request.view.offline", "Read a device-use request on a phone without signal")
MOST = 500


def problem(view):
    """Return why one recorded view cannot be kept, or None."""
    if not isinstance(view, dict) or view.get("kind") not in KINDS:
        return "Each view names a kind: concern or request."
    if not isinstance(view.get("id"), int) or isinstance(view.get("id"), bool) or view["id"] < 1:
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
        return jsonify({"error": f"Send {{\"views\": [...]}} with at most {MOST} views."}), 400
    errors = {str(n): p for n, p in ((n, problem(v)) for n, v in enumerate(views)) if p}
    if errors:
        return jsonify({"error": "Some views could not be recorded; nothing was recorded.", "errors": errors}), 400
    db = get_db()
    with db.atomic():
        for view in views:
            record(db, current_user.id, KINDS[view["kind"]], f"{view['kind']}:{view['id']}",
                   {"read_at": view["at"], "device_id": str(body.get("device_id", ""))[:100]})
    return jsonify({"recorded": len(views)})


def init_app(app):
    app.extensions["csrf"].exempt(bp)
    app.register_blueprint(bp)
