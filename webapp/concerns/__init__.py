"""Concerns: staff log a breach of the policy; DSLs carry each case to a close."""
import click
from flask.cli import with_appcontext

from ..clock import display
from ..db import connect, on_init_db
from ..sync import handoff
from .. import audit
from . import demo, evidence, schema, sync, visibility
from .categories import ALLEGATION_OUTCOMES
from .categories import label as category_label
from .chronology import STATUSES, kind_label

migrations = schema.migrations
seed_demo = demo.seed


def init_app(app):
    from . import queue, views  # noqa: F401  (queue adds its route to the blueprint)
    app.register_blueprint(views.bp)
    handoff.register(app, kinds=sync.KINDS, source=sync.changes_since)
    audit.add_visibility_rule(app, audit_rule)
    app.before_request_funcs.setdefault(None, []).insert(0, views.allow_pictures)
    app.teardown_request(evidence.at_request_end)
    on_init_db(app, lambda: evidence.swept_line(connect(app.config["DATABASE"])))
    app.cli.add_command(sweep_uploads)
    filters = app.jinja_env.filters
    filters.setdefault("display", display)
    filters.setdefault("category_label", category_label)
    filters.setdefault("status_label", lambda key: STATUSES.get(key, key))
    filters.setdefault("kind_label", kind_label)
    filters.setdefault("allegation_outcome_label", lambda key: ALLEGATION_OUTCOMES.get(key, key))


def audit_rule(db, reader, entry):
    """Keep the audit log's lines about a case from those who may not see them (visibility.py)."""
    kind, _, ident = (entry["subject"] or "").partition(":")
    if kind != "concern" or not ident.isdigit():
        return True
    return visibility.may_see_trail(db, reader, int(ident))


@click.command("sweep-uploads")
@with_appcontext
def sweep_uploads():
    """Tidy the uploads folder: name committed pictures, remove files no concern refers to."""
    from flask import current_app
    click.echo(evidence.swept_line(connect(current_app.config["DATABASE"])))
