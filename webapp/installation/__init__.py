"""A real school's first start (or a demo school's): the one-time marker, the banner, the set-up link."""
from . import schema, views
from .cli import first_start_command

migrations = schema.migrations
seed_demo = None  # the marker is written by `flask first-start`, never by demo seeding


def init_app(app):
    app.register_blueprint(views.bp)
    app.cli.add_command(first_start_command)
    app.context_processor(views.demo_banner)
