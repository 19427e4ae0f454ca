"""The school phone API: enrolling a phone, its staff list, and its push with nobody signed in.

`POST /api/sync/push-from-school-phone` takes the body of `POST /api/sync/push` (device_id,
waiting, items) with no session and no CSRF token: nothing in it rests on a cookie. Each item is
authenticated by the school phone's own signature alone (intake.py). A push none of whose items
names a school phone key the register knows is refused whole (403) and the phone keeps its items.
"""
import json
from datetime import timedelta

from flask import Blueprint, current_app, request
from flask_login import current_user, login_required
from joserfc import jws
from joserfc.errors import JoseError

from .. import audit
from ..clock import iso, parse_iso, utcnow
from ..db import get_db
from ..permissions import store as register
from ..sync import keys, quota, shapes
from ..sync import store as sync_store
from ..sync.api import bad_input, csrf_after_sign_in, server_faults_answer_503
from ..sync.envelope import Envelope, _public_key
from ..sync.ingest import run_after_commit
from . import intake, rate, store
from .enrolment import ENROLLABLE, label

bp = Blueprint("school_phones_api", __name__, url_prefix="/api")
bp.errorhandler(shapes.BadInput)(bad_input)
bp.errorhandler(rate.TooOften)(rate.too_often)
PROOF_WINDOW = timedelta(minutes=10)
NOT_ENROLLED = ("This phone is not enrolled as a school phone, or its enrolment has ended: nothing was accepted "
                "and everything stays on this phone. Sign in to log a concern, and ask the office to enrol the "
                "phone again.")


@bp.before_request
def allow_big_pushes():
    """Let a push carry a concern with all its pictures, as the ordinary push does."""
    if request.endpoint == "school_phones_api.push":
        request.max_content_length = int(current_app.config["SYNC_MAX_PUSH_BYTES"])


def staff_list(db):
    """Return the names a school phone offers to pick from: every active member of staff."""
    return [{"id": p["id"], "name": p["name"]} for p in register.staff_people(db)]


@bp.post("/school-phones/enrol")
@login_required
@csrf_after_sign_in
def enrol():
    """Give a school device on the register this phone's public key; answer its kid, label and staff list."""
    if not current_user.has_role("admin"):
        raise shapes.BadInput("Only an administrator can enrol a school phone.", status=403)
    body = shapes.json_body()
    device = shapes.device_id(body.get("device_id"))
    jwk, kid = shapes.public_key(body.get("public_key"))
    school_device_id = body.get("school_device_id")
    db = get_db()
    entry = register.get_device(db, school_device_id) if isinstance(school_device_id, int) else None
    if entry is None:
        raise shapes.BadInput("There is no such device on the register.", {"school_device_id": ["Not on the register."]},
                              status=404)
    if entry["kind"] not in ENROLLABLE or entry["status"] != "in_use":
        raise shapes.BadInput(f"{entry['asset_tag']} cannot be enrolled: only a phone or tablet in use can be.",
                              {"school_device_id": ["Not a phone or tablet in use."]}, status=409)
    existing = store.phone_key(db, kid)
    if existing and (existing["revoked_at"] or existing["school_device_id"] != entry["id"]):
        raise shapes.BadInput("This key has been used before: make a new key on this phone.",
                              {"public_key": ["Used before."]}, status=409)
    with db.atomic():
        store.enrol(db, kid, entry["id"], device, json.dumps(jwk, sort_keys=True), current_user.id, iso(utcnow()))
        audit.record(db, current_user.id, "school_phone.enrol", f"key:{kid}",
                     {"device": entry["asset_tag"], "device_id": device})
    return {"kid": kid, "label": label(entry), "staff": staff_list(db), "sealing_key": keys.current_public_jwk(),
            "server_time": iso(utcnow())}


def _proven_key(db, proof):
    """Return the live key that signed a recent {"purpose": "staff-list", "at"} proof, or refuse."""
    try:
        kid = jws.extract_compact(proof.encode()).headers().get("kid") if isinstance(proof, str) else None
    except (JoseError, ValueError, TypeError):
        kid = None
    key = store.phone_key(db, kid)
    rate.check(key)
    if key is None or key["revoked_at"]:
        raise shapes.BadInput(NOT_ENROLLED, {"proof": ["Not a school phone's key in force."]}, status=403)
    try:
        claims = json.loads(jws.deserialize_compact(proof, _public_key(key["public_jwk"]), algorithms=["ES256"]).payload)
        at = parse_iso(claims["at"])
    except (JoseError, ValueError, TypeError, KeyError):
        raise shapes.BadInput("The phone's proof could not be checked: enrol the phone again.",
                              {"proof": ["Not signed by this phone's key."]}, status=403)
    if claims.get("purpose") != "staff-list" or abs(utcnow() - at) > PROOF_WINDOW:
        raise shapes.BadInput("The phone's proof is stale: check the phone's clock and try again.",
                              {"proof": ["Too old, or for something else."]}, status=403)
    return key


@bp.post("/school-phones/staff")
def staff():
    """Send an enrolled phone the staff names it offers, proven by a fresh signature of its key."""
    db = get_db()
    key = _proven_key(db, shapes.json_body().get("proof"))
    return {"label": f"school phone {key['asset_tag']}", "staff": staff_list(db),
            "sealing_key": keys.current_public_jwk(), "server_time": iso(utcnow())}


@bp.post("/sync/push-from-school-phone")
@server_faults_answer_503
def push():
    """Store concerns from an enrolled school phone with nobody signed in; one status per item."""
    now = utcnow()
    device, count, oldest, items = shapes.push_body(
        shapes.json_body(), now, int(current_app.config["SYNC_MAX_ITEMS_PER_PUSH"]))
    db = get_db()
    envelopes = [Envelope.from_item(item) for item in items]
    delivery = intake.Delivery(device, iso(now), current_app.extensions["sync_kinds"], intake.keys_named(db, envelopes))
    rate.check(next(iter(delivery.keys.values()), None))
    if not delivery.keys:
        raise shapes.BadInput(NOT_ENROLLED, {"items": ["Signed by no school phone's key."]}, status=403)
    try:
        with sync_store.write_transaction(db):
            sync_store.record_phone(db, device, None, "push", count, oldest, iso(now))
            results = intake.take_in(db, delivery, envelopes)
    except quota.OverQuota as over:  # rolled back whole: the phone keeps every item
        return quota.refuse(db, over, whose="from this school phone")
    run_after_commit(delivery.after_commit)
    return {"results": results}


def init_app(app):
    rate.init_app(app)
    app.extensions["csrf"].exempt(bp)
    app.register_blueprint(bp)
