"""The sync API for phones: session, device keys, push and pull (DESIGN.md section 4)."""
import json
import sqlite3
from datetime import timedelta
from functools import wraps

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from .. import audit
from ..clock import iso, utcnow
from ..db import get_db
from . import changes, keys, phone_status, quota, returned, shapes, store
from .envelope import Person
from .ingest import Push, ServerFault, ingest, run_after_commit
from .request_body import DrainUnreadBody

bp = Blueprint("sync_api", __name__, url_prefix="/api")


def csrf_after_sign_in(view):
    """Check the X-CSRFToken header after the sign-in check, so a phone with no session gets 401.

    The blueprint is exempt from the app-wide check (see init_app); every POST here carries this.
    """
    @wraps(view)
    def checked(*args, **kwargs):
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            current_app.extensions["csrf"].protect()
        return view(*args, **kwargs)
    return checked


@bp.before_request
def allow_big_pushes():
    """Let a push be as big as one sealed concern with all its pictures (before anything reads it)."""
    if request.endpoint == "sync_api.push":
        request.max_content_length = int(current_app.config["SYNC_MAX_PUSH_BYTES"])


def init_app(app):
    app.extensions["csrf"].exempt(bp)
    app.register_blueprint(bp)
    # A body refused unread (too big, signed out) is read to its end so the phone can read the answer.
    app.wsgi_app = DrainUnreadBody(app.wsgi_app, bp.url_prefix + "/",
                                   lambda: 2 * int(app.config["SYNC_MAX_PUSH_BYTES"]))


@bp.errorhandler(shapes.BadInput)
def bad_input(exc):
    response = jsonify({"error": exc.message, "status": exc.status, "errors": exc.errors})
    response.status_code = exc.status
    return response


TOO_BIG = ("This batch is too big for the school's server to take in one go (at most {limit}). "
           "Nothing in it was accepted: send fewer items at once. This phone keeps every item.")


@bp.errorhandler(RequestEntityTooLarge)
def too_big(exc):
    """Answer a body over the limit in plain words; for a push, say to send fewer items at once."""
    if request.endpoint != "sync_api.push":
        return bad_input(shapes.BadInput("What was sent is too large.", status=413))
    limit = int(current_app.config["SYNC_MAX_PUSH_BYTES"])
    size = f"{limit / 2 ** 20:.0f} MB" if limit >= 2 ** 20 else f"{limit // 1024} KB"
    return bad_input(shapes.BadInput(TOO_BIG.format(limit=size), {"items": ["Too big for one push: send fewer."]},
                                     status=413))


@bp.errorhandler(changes.BadCursor)
def bad_cursor(exc):
    return bad_input(shapes.BadInput("The cursor was not recognised: pull again without `since`.",
                                     {"since": ["Not a cursor from this server."]}))


BUSY = ("The school's server is busy. Nothing was accepted: this phone keeps every item "
        "and will send them again in a few seconds.")
CANNOT_SAVE = ("The school's server could not save this just now. Nothing was accepted: this phone "
               "keeps every item and will send them again shortly.")


def busy(message, retry_after):
    """Answer 503 with Retry-After: the server's own trouble, never the phone's."""
    response = jsonify({"error": message, "status": 503})
    response.status_code = 503
    response.headers["Retry-After"] = str(int(retry_after))
    return response


def _is_lock(exc):
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


def server_faults_answer_503(view):
    """Turn the server's own faults (disk, database, its code) into 503 + Retry-After, never 500.

    Whatever was written is rolled back by the write transaction before this answers.
    """
    @wraps(view)
    def guarded(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (HTTPException, shapes.BadInput, changes.BadCursor):
            raise
        except Exception as exc:
            cause = exc.cause if isinstance(exc, ServerFault) else exc
            if _is_lock(cause):
                current_app.logger.warning("Sync %s answered 503: database locked", request.path)
                return busy(BUSY, current_app.config["SYNC_RETRY_AFTER_SECONDS"])
            if not isinstance(exc, ServerFault):
                current_app.logger.exception("Sync %s answered 503", request.path)
            return busy(CANNOT_SAVE, current_app.config["SYNC_RETRY_AFTER_SECONDS"] * 6)
    return guarded


def _person():
    return Person(id=current_user.id, name=current_user.name, email=current_user.email,
                  roles=list(current_user.roles), active=True)


@bp.get("/session")
@login_required
def session():
    """Tell the phone who is signed in, a fresh CSRF token and the key to seal items to."""
    return {"user": {"id": current_user.id, "name": current_user.name, "roles": list(current_user.roles)},
            "csrf_token": generate_csrf(), "sealing_key": keys.current_public_jwk(),
            "server_time": iso(utcnow())}


@bp.post("/devices/keys")
@login_required
@csrf_after_sign_in
def register_device_key():
    """Register the public key this person's items from this phone will be signed with."""
    body = shapes.json_body()
    device = shapes.device_id(body.get("device_id"))
    jwk, kid = shapes.public_key(body.get("public_key"))
    db = get_db()
    minutes = int(current_app.config["KEY_REGISTRATION_MINUTES"])
    if store.device_key(db, kid) is None and not current_user.signed_in_within(timedelta(minutes=minutes)):
        raise shapes.BadInput(f"A phone's signing key can be set up only in the first {minutes} minutes after "
                              "signing in: sign out, then sign in again on this phone.",
                              {"public_key": ["Sign in again first."]}, status=403)
    try:
        with db.atomic():
            store.add_device_key(db, kid, current_user.id, device, _canonical(jwk), iso(utcnow()))
            audit.record(db, current_user.id, "key.register", f"key:{kid}", {"device_id": device})
    except sqlite3.IntegrityError:
        pass  # already registered: answer from the row below
    row = store.device_key(db, kid)
    if row["user_id"] != current_user.id:
        raise shapes.BadInput("This key belongs to another account: make a new key on this phone.",
                              {"public_key": ["Registered to someone else."]}, status=409)
    if row["revoked_at"]:
        raise shapes.BadInput("This key has been revoked: make a new key on this phone.",
                              {"public_key": ["Revoked."]}, status=409)
    return {"kid": kid}


def _canonical(jwk):
    return json.dumps(jwk, sort_keys=True, separators=(",", ":"))


@bp.post("/sync/push")
@login_required
@csrf_after_sign_in
@server_faults_answer_503
def push():
    """Store a batch of sealed, signed items; answer one status per item, after the commit."""
    faults = current_app.extensions["sync_faults"]
    faults.before_push()
    now = utcnow()
    device, count, oldest, items = shapes.push_body(
        shapes.json_body(), now, int(current_app.config["SYNC_MAX_ITEMS_PER_PUSH"]))
    db = get_db()
    batch = Push(current_user.id, device, iso(now), current_app.extensions["sync_kinds"])
    try:
        with store.write_transaction(db):
            phone_status.on_push(db, device, current_user.id, count, oldest, iso(now))
            results = ingest(db, batch, items)
    except quota.OverQuota as over:  # rolled back whole: the phone keeps every item
        return quota.refuse(db, over)
    faults.die_if_due()
    run_after_commit(batch.after_commit)
    faults.drop_ack_if_due()
    return {"results": results}


@bp.get("/sync/pull")
@login_required
@server_faults_answer_503
def pull():
    """Send every change this person may see since the cursor, and the next cursor."""
    now = utcnow()
    device, count, oldest, cursor = shapes.pull_params(request.args, now)
    db = get_db()
    found, next_cursor, everything = changes.gather(db, _person(), cursor, current_app.extensions["sync_sources"])
    if device is not None:
        phone_status.on_pull(db, device, current_user.id, count, oldest, iso(now))
    return {"changes": found, "cursor": next_cursor, "everything": everything}


@bp.get("/sync/returned")
@login_required
def returned_items():
    """This person's items the server returned for correction (see sync/returned.py `summary`)."""
    return returned.summary(get_db(), current_user.id)
