"""Pages for DSLs and admins: phones and what they hold, items kept aside, device keys."""
import json
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.roles import role_required
from ..clock import iso, parse_iso, utcnow
from ..db import get_db
from . import keys, quota, store
from .envelope import Envelope, Refused, open_payload
from .forms import ConfirmForm, ResolveForm
from .ingest import run_after_commit, try_again

bp = Blueprint("sync", __name__, url_prefix="/sync")
LONG_VALUE = 2000
KIND_LABELS = {"concern": "Concern", "case_event": "Case entry", "device_request": "Device-use request",
               "decision": "Decision on a request", "declaration": "Declaration"}


@bp.app_template_filter("item_kind")
def item_kind(kind):
    """Name a kind of item in plain words."""
    return KIND_LABELS.get(kind, f"Unknown kind ({kind})" if kind else "Unknown kind")


@bp.app_template_filter("short_phone")
def short_phone(device_id):
    """Shorten a long phone id to its first characters, enough to tell phones apart."""
    return device_id if len(device_id) <= 12 else device_id[:8] + "…"


def _flag_phones(rows, now, hours):
    """Mark phones that have held unsent items longer than the alert limit; flagged first."""
    limit = now - timedelta(hours=hours)
    for row in rows:
        row["flagged"] = bool(row["waiting_count"] and row["oldest_waiting_at"]
                              and parse_iso(row["oldest_waiting_at"]) < limit)
    return sorted(rows, key=lambda r: not r["flagged"])


@bp.route("/phones")
@role_required("dsl", "admin")
def phones():
    """List phones with their last sync, those holding items too long first."""
    db = get_db()
    hours = int(current_app.config["SYNC_WAITING_ALERT_HOURS"])
    rows = _flag_phones(store.phones(db), utcnow(), hours)
    return render_template("sync/phones.html", phones=rows, hours=hours,
                           flagged=sum(r["flagged"] for r in rows),
                           needing_a_look=store.count_needing_a_look(db))


@bp.route("/quarantine")
@role_required("dsl")
def quarantine():
    """List items kept aside that a DSL has not dealt with yet, and those dealt with lately."""
    db = get_db()
    items = store.items_needing_a_look(db)
    return render_template("sync/quarantine.html", items=items, dealt_with=store.items_dealt_with(db),
                           caps_reached=store.accounts_at_cap(db, quota.today(utcnow())),
                           caps=quota.caps(current_app.config))


def _item_or_404(seq):
    item = store.get_item(get_db(), seq)
    if item is None or item["envelope"] is None:
        abort(404)
    return item


def readable_payload(item):
    """Open a kept-aside item for a DSL to read: (fields, problem) where one of them is None."""
    try:
        envelope = Envelope.from_item(json.loads(item["envelope"]))
        envelope.check_shape()
        payload = open_payload(envelope, check_author=False)  # for reading only
    except Refused as refused:
        return None, refused.reason
    fields = []
    for name, value in sorted(payload.items()):
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if len(text) > LONG_VALUE:
            text = f"({len(text):,} characters: too long to show here)"
        fields.append((name, text))
    return fields, None


@bp.route("/quarantine/<int:seq>")
@role_required("dsl")
def quarantined_item(seq):
    item = _item_or_404(seq)
    fields, problem = readable_payload(item)
    can_retry = item["status"] != "stored" and not store.has_stored(get_db(), item["item_id"])
    return render_template("sync/item.html", item=item, fields=fields, problem=problem,
                           can_retry=can_retry, retry_form=ConfirmForm(), resolve_form=ResolveForm())


@bp.route("/quarantine/<int:seq>/retry", methods=["POST"])
@role_required("dsl")
def retry(seq):
    """Try once more to store a kept-aside item, as if it had just arrived."""
    item = _item_or_404(seq)
    db = get_db()
    if not ConfirmForm().validate_on_submit() or item["status"] == "stored" or store.has_stored(db, item["item_id"]):
        flash("This item cannot be tried again.", "error")
        return redirect(url_for("sync.quarantined_item", seq=seq))
    with store.write_transaction(db):
        refused, after = try_again(db, item, current_app.extensions["sync_kinds"], current_user.id, iso(utcnow()))
    run_after_commit(after)
    if refused is None:
        flash("The item has now been stored where it belongs.", "success")
        return redirect(url_for("sync.quarantine"))
    flash(f"It still cannot be stored: {refused.reason}.", "error")
    return redirect(url_for("sync.quarantined_item", seq=seq))


@bp.route("/quarantine/<int:seq>/resolve", methods=["POST"])
@role_required("dsl")
def resolve(seq):
    """Record what a DSL did about a kept-aside item; the item itself stays."""
    item = _item_or_404(seq)
    form = ResolveForm()
    if form.validate_on_submit():
        if store.resolve_item(get_db(), seq, current_user.id, form.note.data.strip(), iso(utcnow())):
            flash("Marked as dealt with. The item is kept.", "success")
        return redirect(url_for("sync.quarantine"))
    fields, problem = readable_payload(item)
    return render_template("sync/item.html", item=item, fields=fields, problem=problem, can_retry=False,
                           retry_form=ConfirmForm(), resolve_form=form)


@bp.route("/device-keys")
@role_required("admin")
def device_keys():
    return render_template("sync/device_keys.html", keys=store.device_keys(get_db()),
                           sealing_keys=keys.list_sealing_keys(), form=ConfirmForm())


@bp.route("/device-keys/<kid>/revoke", methods=["POST"])
@role_required("admin")
def revoke(kid):
    db = get_db()
    if store.device_key(db, kid) is None:
        abort(404)
    if ConfirmForm().validate_on_submit() and store.revoke_device_key(
            db, kid, current_user.id, f"revoked by {current_user.name}", iso(utcnow())):
        flash("Key revoked. Items signed with it that arrive from now on are kept aside for a DSL.", "success")
    return redirect(url_for("sync.device_keys"))
