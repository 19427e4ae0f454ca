"""Declared relationships (5.2.3): staff declare them, a DSL or the head agrees an arrangement,
and each one is confirmed again every school year."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import clock
from ..auth.roles import role_required
from ..auth.store import users_with_role
from ..db import get_db
from ..mail import send_mail
from . import store, terms
from .forms import RELATIONSHIPS, ActionForm, ArrangementForm, DeclarationForm
from .views import bp

RELATIONSHIP_LABELS = dict(RELATIONSHIPS)


def record_declaration(db, form, author_id, source="web", item_id=None, created_at=None):
    """Store a validated declaration for its author; the web form and the phone both come here."""
    day = clock.local(created_at).date() if created_at else terms.today()
    fields = {name: form[name].data for name in ("relationship", "with_whom", "details")}
    return store.add_declaration(db, fields, author_id, terms.school_year_of(day), source, item_id,
                                 clock.iso(clock.parse_iso(created_at)) if created_at else None)


def notify_reviewers(db):
    """Queue emails telling the DSLs and the head that a declaration waits (no details in them)."""
    people = {p["email"] for role in ("dsl", "head") for p in users_with_role(db, role)}
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("governance.declarations")
    body = ("A member of staff has declared a relationship with a learner or a parent (clause 5.2.3).\n\n"
            f"Please review it and record the arrangement you agree: {link}\n\n"
            f"{current_app.config['SCHOOL_NAME']}")
    send_mail(sorted(people), "A declared relationship waits for review", body, db=db)


def is_outstanding(declaration, school_year):
    """Say whether a declaration still in place has not been confirmed this school year."""
    return declaration["ended_at"] is None and (declaration["confirmed_year"] or 0) < school_year


@bp.route("/declarations/new", methods=["GET", "POST"])
@role_required("staff")
def declaration_new():
    form = DeclarationForm()
    if form.validate_on_submit():
        db = get_db()
        with db.atomic():  # the declaration and its emails are kept together or not at all
            record_declaration(db, form, current_user.id)
            notify_reviewers(db)
        flash("Thank you. Your declaration has been sent to the DSLs and the headteacher, who will "
              "agree an arrangement with you.", "success")
        return redirect(url_for("governance.declarations_mine"))
    return render_template("governance/declaration_new.html", form=form)


@bp.route("/declarations/mine")
@role_required("staff")
def declarations_mine():
    year = terms.school_year_of(terms.today())
    mine = store.declarations_of(get_db(), current_user.id)
    return render_template("governance/declarations_mine.html", declarations=mine, year=year,
                           year_label=terms.school_year_label(year), form=ActionForm(),
                           labels=RELATIONSHIP_LABELS, is_outstanding=is_outstanding)


def _own_declaration_or_404(declaration_id):
    declaration = store.get_declaration(get_db(), declaration_id)
    if declaration is None or declaration["declared_by"] != current_user.id:
        abort(404)
    return declaration


@bp.route("/declarations/<int:declaration_id>/confirm", methods=["POST"])
@role_required("staff")
def declaration_confirm(declaration_id):
    declaration = _own_declaration_or_404(declaration_id)
    if ActionForm().validate_on_submit() and declaration["ended_at"] is None:
        year = terms.school_year_of(terms.today())
        store.confirm_declaration(get_db(), declaration_id, year, current_user.id)
        flash(f"Confirmed for the school year {terms.school_year_label(year)}.", "success")
    return redirect(url_for("governance.declarations_mine"))


@bp.route("/declarations/<int:declaration_id>/end", methods=["POST"])
@role_required("staff")
def declaration_end(declaration_id):
    _own_declaration_or_404(declaration_id)
    if ActionForm().validate_on_submit():
        store.end_declaration(get_db(), declaration_id)
        flash("Recorded: this relationship no longer needs an arrangement.", "success")
    return redirect(url_for("governance.declarations_mine"))


@bp.route("/declarations")
@role_required("dsl", "head")
def declarations():
    year = terms.school_year_of(terms.today())
    current = store.current_declarations(get_db())
    return render_template(
        "governance/declarations.html", year_label=terms.school_year_label(year), labels=RELATIONSHIP_LABELS,
        unreviewed=[d for d in current if d["reviewed_at"] is None],
        outstanding=[d for d in current if is_outstanding(d, year)],
        in_place=[d for d in current if d["reviewed_at"] is not None and not is_outstanding(d, year)])


@bp.route("/declarations/<int:declaration_id>", methods=["GET", "POST"])
@role_required("dsl", "head")
def declaration(declaration_id):
    db = get_db()
    found = store.get_declaration(db, declaration_id)
    if found is None:
        abort(404)
    form = ArrangementForm()
    own = found["declared_by"] == current_user.id
    if not own and form.validate_on_submit():
        store.add_declaration_review(db, declaration_id, form.arrangement.data, current_user.id)
        flash("The arrangement has been recorded.", "success")
        return redirect(url_for("governance.declarations"))
    year = terms.school_year_of(terms.today())
    return render_template("governance/declaration.html", declaration=found, form=form, own=own,
                           reviews=store.declaration_reviews(db, declaration_id), labels=RELATIONSHIP_LABELS,
                           outstanding=is_outstanding(found, year), year_label=terms.school_year_label(year))
