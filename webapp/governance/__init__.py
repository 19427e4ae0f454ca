"""Governance: the policy kept alive, declared relationships, and reports for the governing body."""
from datetime import date

from .. import clock
from ..sync import handoff
from . import declarations, demo, reminders, report_views, schema, sync, views  # noqa: F401  (routes)
from .banner import policy_notice

migrations = schema.migrations
seed_demo = demo.seed


def format_day(text):
    """Format a stored calendar date (YYYY-MM-DD) for people: '31 July 2026'."""
    return date.fromisoformat(text).strftime("%-d %B %Y") if text else ""


def init_app(app):
    app.register_blueprint(views.bp)
    handoff.register(app, kinds=sync.KINDS, source=sync.changes_since)
    app.before_request(reminders.remind_on_page_load)
    app.cli.add_command(reminders.send_policy_reminders_command)
    app.jinja_env.filters.setdefault("display", clock.display)
    app.jinja_env.filters.setdefault("day", format_day)
    app.jinja_env.globals["policy_notice"] = policy_notice
