"""Pupils: the school's list imported from its MIS, and one safeguarding record per child."""
from datetime import date

from . import importing, schema, views
from .record import display_name

migrations = schema.migrations
seed_demo = None  # a demo school imports its own pupil list


def format_day(text):
    """Format a stored calendar date (YYYY-MM-DD) for people: '31 July 2026'."""
    return date.fromisoformat(text).strftime("%-d %B %Y") if text else ""


def init_app(app):
    app.register_blueprint(views.bp)
    app.cli.add_command(importing.import_learners_command)
    app.jinja_env.filters.setdefault("pupil_name", display_name)
    app.jinja_env.filters.setdefault("day", format_day)
