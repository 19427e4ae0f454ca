"""Offline sync: the phones' API, opening sealed items, and the DSLs' view of phones and quarantine."""
from pathlib import Path

from flask import current_app

from .. import db
from ..clock import display
from . import api, demo, faults, returned, schema, views  # noqa: F401  (returned adds its routes)
from .keys import ensure_sealing_key, rotate_sealing_key_command

migrations = schema.migrations
seed_demo = demo.seed


def init_app(app):
    from .. import ROOT
    folder = Path(app.config["SEALING_KEY_FOLDER"])
    app.config["SEALING_KEY_FOLDER"] = str(folder if folder.is_absolute() else ROOT / folder)
    app.extensions.setdefault("sync_kinds", {})  # filled by the domains (handoff.register)
    app.extensions.setdefault("sync_sources", [])
    faults.init_app(app)
    api.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(rotate_sealing_key_command)
    app.jinja_env.filters.setdefault("display", display)
    db.on_init_db(app, sealing_key_ready)


def sealing_key_ready():
    """Make sure phones have a key to seal items to; say which one and where it is kept."""
    return f"Sealing key for phones: {ensure_sealing_key()} (in {current_app.config['SEALING_KEY_FOLDER']})."
