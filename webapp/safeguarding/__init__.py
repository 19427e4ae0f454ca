"""Whistleblowing and Key details: who the DSLs are and how to raise a concern about one of them or the head.

Both pages are open to anyone, signed in or not, and are kept on the phone for offline use (7.4).
"""
from . import schema, views

migrations = schema.migrations
seed_demo = None  # a school adds its own procedures and titles


def init_app(app):
    app.register_blueprint(views.bp)
