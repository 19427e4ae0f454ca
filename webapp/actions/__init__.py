"""Actions on a case, each with an owner and a due date: each owner's list and the daily reminders.

An action is a case entry (kind `action`, with `assignee_id` and `due_on`); done or cancelled
are entries too (`action_done`, `action_cancelled`). This domain shows them to their owners and
reminds them; the entries themselves are written by the concerns domain.
"""
from . import reminders, views

migrations = None  # the once-only reminder marks live in the learners domain's action_reminders
seed_demo = None


def init_app(app):
    app.register_blueprint(views.bp)
    app.cli.add_command(reminders.send_action_reminders_command)
