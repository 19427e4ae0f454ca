"""Offline sync: the phones' API, opening sealed items, and the DSLs' view of phones and quarantine."""
from pathlib import Path

from ..clock import display
from . import api, faults, kinds, views
from .keys import rotate_sealing_key_command


def init_app(app):
    from .. import ROOT
    folder = Path(app.config["SEALING_KEY_FOLDER"])
    app.config["SEALING_KEY_FOLDER"] = str(folder if folder.is_absolute() else ROOT / folder)
    kinds.init_app(app)
    faults.init_app(app)
    api.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(rotate_sealing_key_command)
    app.jinja_env.filters.setdefault("display", display)
