"""Email for the school: written to an outbox with what caused it, sent later by `send-mail`."""
from . import schema
from .outbox import mail_configured, send_mail

__all__ = ["mail_configured", "send_mail", "init_app", "migrations", "seed_demo"]
migrations = schema.migrations
seed_demo = None  # a demo school's outbox starts empty


def init_app(app):
    from . import views, worker
    app.register_blueprint(views.bp)
    app.cli.add_command(worker.send_mail_command)
