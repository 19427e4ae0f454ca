"""The audit log: who viewed, searched, exported and changed what, in a chain whose tampering shows.

Other domains call `record(db, actor_id, action, subject, detail)` inside their own transaction,
so an entry is written exactly when what it records is. `subject` is "kind:id" (e.g. "concern:12").
"""
from . import cli, schema, store
from .actions import ACTIONS, register_action
from .lines import add_visibility_rule, lines_for

__all__ = ["record", "lines_about", "add_visibility_rule", "register_action", "init_app",
           "migrations", "seed_demo"]
migrations = schema.migrations
seed_demo = None  # a demo school's log starts with what its visitors do


def record(db, actor_id, action, subject="", detail=None):
    """Append one entry to the audit log; `action` must be one of ACTIONS."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to webapp/audit/actions.py")
    store.append(db, actor_id, action, subject, detail)


def lines_about(db, reader, subject):
    """Return the folded lines about one subject that this reader may see, newest first."""
    return lines_for(db, reader, store.about(db, subject))


def init_app(app):
    from . import offline, views
    app.register_blueprint(views.bp)
    offline.init_app(app)
    app.cli.add_command(cli.verify_audit_command)
