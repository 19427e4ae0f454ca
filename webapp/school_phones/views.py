"""Pages of enrolled school phones: the concern form for anyone, and what DSLs see kept aside."""
from flask import Blueprint, abort, current_app, g, render_template

from ..auth.roles import role_required
from ..auth.store import users_with_role
from ..concerns import evidence
from ..concerns.categories import CATEGORIES, NO_ATTACHMENTS
from ..concerns.forms import ConcernForm
from ..clock import utcnow
from ..db import get_db
from ..sync import quota, store as sync_store
from ..sync.views import readable_payload
from . import store

bp = Blueprint("school_phones", __name__, url_prefix="/school-phones")


@bp.route("/concern")
def concern():
    """The concern form for anyone on an enrolled school phone, signed in or not (kept on every phone).

    The page names nobody; its script offers the staff names the phone keeps, then seals the
    concern and signs it with the phone's key (static/js/schoolphone.js).
    """
    g.offline_shell = True
    form = ConcernForm(formdata=None)
    form.occurred_at.data = None  # the phone fills in now
    chair = bool(users_with_role(get_db(), "chair"))
    return render_template("school_phones/concern.html", form=form, categories=CATEGORIES, chair=chair,
                           max_files=evidence.MAX_FILES, max_bytes=evidence.MAX_BYTES,
                           no_attachments=" ".join(sorted(NO_ATTACHMENTS)))


@bp.route("/kept-aside")
@role_required("dsl")
def kept_aside():
    """List what school phones delivered that could not be stored as it was, with the reason."""
    db = get_db()
    caps_reached = store.phones_at_cap(db, sync_store.caps_reached(db, quota.today(utcnow()), "school_device:"))
    return render_template("school_phones/kept_aside.html", items=store.items_aside(db), caps_reached=caps_reached,
                           caps=quota.caps(current_app.config))


@bp.route("/kept-aside/<int:seq>")
@role_required("dsl")
def kept_aside_item(seq):
    """Show one kept-aside item as it arrived, opened for reading where it can be."""
    item = store.item_aside(get_db(), seq)
    if item is None:
        abort(404)
    fields, problem = readable_payload(item)
    return render_template("school_phones/kept_aside_item.html", item=item, fields=fields, problem=problem)
