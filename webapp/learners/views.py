"""The pupil pages: the admin's import of the list, the DSLs' search and each child's record."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..clock import iso, utcnow
from ..concerns import erasure, visibility
from ..concerns.categories import BY_KEY, CATEGORIES
from ..db import get_db
from . import destruction, importing, record, store
from .forms import (FLAGS, MAX_LIST_BYTES, REVIEW_DECISIONS, ConfirmImportForm, DestroyForm, FlagForm, HoldForm,
                    ImportForm, ReviewForm, SearchForm)

bp = Blueprint("learners", __name__, url_prefix="/learners")


@bp.route("")
@role_required("dsl", "head")
def index():
    db = get_db()
    form = SearchForm(request.args)
    form.validate()
    due = request.args.get("review") == "due"
    if due:
        pupils = store.review_due(db, importing.today().isoformat())
    else:
        pupils = store.search(db, form.q.data) if form.q.data and not form.q.errors else []
    return render_template("learners/index.html", form=form, pupils=pupils, due=due,
                           review_on=record.review_on)


@bp.route("/import", methods=["GET", "POST"])
@role_required("admin")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        data = form.pupil_list.data.read(MAX_LIST_BYTES + 1)
        if len(data) > MAX_LIST_BYTES:
            form.pupil_list.errors.append("The file is too large for a pupil list (over 8 MB).")
        else:
            found = importing.preview(get_db(), data)
            confirm = ConfirmImportForm(formdata=None, token=importing.keep_for_confirmation(data),
                                        filename=(form.pupil_list.data.filename or "")[:200])
            return render_template("learners/preview.html", found=found, confirm=confirm)
    return render_template("learners/import.html", form=form)


@bp.route("/import/confirm", methods=["POST"])
@role_required("admin")
def confirm_import():
    form = ConfirmImportForm()
    path = importing.kept(form.token.data) if form.validate_on_submit() else None
    if path is None or not path.exists():
        flash("That upload has expired or was already imported. Upload the list again.", "error")
        return redirect(url_for("learners.upload"))
    found, counts = importing.import_list(get_db(), path.read_bytes(), current_user.id,
                                          form.filename.data or path.name)
    if counts is None:
        return render_template("learners/preview.html", found=found, confirm=form)
    path.unlink()
    flash(f"Pupil list imported: {counts[0]} new, {counts[1]} changed, {counts[2]} marked as left.",
          "success")
    return redirect(url_for("learners.upload"))


def filters_from(args):
    """Read the chronology's filters from the address, ignoring anything unknown or malformed."""
    def day(name):
        value = args.get(name, "")
        return value if len(value) == 10 and value[4] == "-" and value[7] == "-" else ""
    category = args.get("category", "")
    return record.Filters(category if category in BY_KEY else "", day("from"), day("to"))


def filter_args(filters):
    """Return the filters as address arguments, for links that keep them."""
    args = {"category": filters.category, "from": filters.date_from, "to": filters.date_to}
    return {k: v for k, v in args.items() if v}


@bp.route("/<int:learner_id>")
@role_required("dsl", "head")
def show(learner_id):
    db = get_db()
    found = record.load(db, learner_id)
    if found is None:
        return destroyed(db, learner_id)
    learner, entries, siblings = found
    with db.atomic():
        audit.record(db, current_user.id, "learner.view", f"learner:{learner_id}")
    filters = filters_from(request.args)
    return render_template(
        "learners/record.html", learner=learner, entries=entries, siblings=siblings,
        flags=record.flags_now(entries), flag_labels=FLAGS, on_hold=record.on_hold(entries),
        review_on=record.review_on(learner),
        items=record.chronology(db, learner_id, filters,
                                may_see=lambda concern: visibility.may_see(db, current_user, concern["id"])),
        filters=filters, categories=CATEGORIES, filter_args=filter_args(filters), flag_form=FlagForm(formdata=None),
        hold_form=HoldForm(formdata=None, prefix="hold"), review_form=ReviewForm(formdata=None, prefix="review"), decisions=REVIEW_DECISIONS,
        review_due=record.review_on(learner) <= importing.today(), **transfer_forms(),
        access=audit.lines_about(db, current_user, f"learner:{learner_id}"))


@bp.route("/<int:learner_id>/flags", methods=["POST"])
@role_required("dsl", "head")
def set_flag(learner_id):
    db = get_db()
    learner = store.get(db, learner_id)
    if learner is None:
        abort(404)
    form = FlagForm()
    if not form.validate_on_submit():
        return refuse(form, learner_id, "flags")
    store.add_entry(db, {"learner_id": learner_id, "author_id": current_user.id,
                         "kind": "flag_set" if form.change.data == "set" else "flag_cleared",
                         "flag": form.flag.data, "on_date": form.on_date.data.isoformat(),
                         "body": (form.body.data or "").strip(), "created_at": iso(utcnow())})
    db.conn.commit()
    flash(f"{FLAGS[form.flag.data]}: {form.change.data} from {form.on_date.data:%-d %B %Y}.", "success")
    return redirect(url_for("learners.show", learner_id=learner_id, _anchor="flags"))


def transfer_forms():
    from ..exports.forms import ReceiptForm, TransferForm  # the exports domain builds the file
    return {"transfer_form": TransferForm(formdata=None, prefix="transfer"),
            "receipt_form": ReceiptForm(formdata=None, prefix="receipt")}


def refuse(form, learner_id, anchor):
    """Tell the person each problem with a posted record form, and go back to that part of the record."""
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return redirect(url_for("learners.show", learner_id=learner_id, _anchor=anchor))


def add_record_entry(db, learner_id, kind, form, **extra):
    store.add_entry(db, {"learner_id": learner_id, "author_id": current_user.id, "kind": kind,
                         "on_date": form.on_date.data.isoformat(), "body": (form.body.data or "").strip(),
                         "created_at": iso(utcnow()), **extra})
    db.conn.commit()


@bp.route("/<int:learner_id>/hold", methods=["POST"])
@role_required("dsl", "head")
def set_hold(learner_id):
    db = get_db()
    if store.get(db, learner_id) is None:
        abort(404)
    form = HoldForm(prefix="hold")
    if not form.validate_on_submit():
        return refuse(form, learner_id, "retention")
    add_record_entry(db, learner_id, form.change.data, form)
    flash("Legal hold set: nothing of this record may be destroyed." if form.change.data == "hold_set"
          else "Legal hold cleared.", "success")
    return redirect(url_for("learners.show", learner_id=learner_id, _anchor="retention"))


@bp.route("/<int:learner_id>/review", methods=["POST"])
@role_required("head")
def review(learner_id):
    db = get_db()
    found = record.load(db, learner_id)
    if found is None:
        abort(404)
    learner, entries, _ = found
    form = ReviewForm(prefix="review")
    if not form.validate_on_submit():
        return refuse(form, learner_id, "retention")
    if record.review_on(learner) > importing.today():
        flash(f"This record is not due for review until {record.review_on(learner):%-d %B %Y}.", "error")
    elif form.decision.data == "review_destroy" and record.on_hold(entries):
        flash("A legal hold is in force: the record cannot be destroyed until the hold is cleared.", "error")
    else:
        add_record_entry(db, learner_id, form.decision.data, form)
        flash(f"Decision recorded: {REVIEW_DECISIONS[form.decision.data].lower()}.", "success")
        if form.decision.data == "review_destroy":
            return redirect(url_for("learners.destroy", learner_id=learner_id))
    return redirect(url_for("learners.show", learner_id=learner_id, _anchor="retention"))


def destroyed(db, learner_id):
    """Say that a destroyed record is gone, and when and by whose decision; 404 for any other id."""
    learner = store.get_even_destroyed(db, learner_id)
    if learner is None:
        abort(404)
    decisions = [e for e in store.entries_of(db, learner_id) if e["kind"] == "review_destroy"]
    return render_template("learners/destroyed.html", learner=learner, decision=decisions[-1] if decisions else None)


@bp.route("/<int:learner_id>/destroy", methods=["GET", "POST"])
@role_required("head")
def destroy(learner_id):
    """Show the head exactly what destroying the record will delete; on confirmation, delete it."""
    db = get_db()
    found = record.load(db, learner_id)
    if found is None:
        return destroyed(db, learner_id)
    learner, entries, _ = found
    why_not = destruction.refusal(learner, entries, importing.today())
    if why_not:
        flash(why_not, "error")
        return redirect(url_for("learners.show", learner_id=learner_id, _anchor="retention"))
    form = DestroyForm()
    if form.validate_on_submit():
        with db.atomic():
            done, files = destruction.carry_out(db, learner, entries, importing.today(), iso(utcnow()))
            audit.record(db, current_user.id, "learner.destroy", f"learner:{learner_id}",
                         {"cases_destroyed": len(done.destroyed), "cases_kept": len(done.kept),
                          "pictures": done.pictures})
        erasure.remove_files(files)
        flash(f"The record was destroyed: {done.summary()}", "success")
        return redirect(url_for("learners.show", learner_id=learner_id))
    return render_template("learners/destroy.html", learner=learner, form=form,
                           plan=destruction.plan(db, learner, entries), name=record.display_name(learner))
