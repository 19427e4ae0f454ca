"""Printable chronologies (A4 PDF, for a conference, a referral or the police) and a child's file
for a new school; every export goes to the audit log."""
from . import views

migrations = None
seed_demo = None


def init_app(app):
    app.register_blueprint(views.bp)
