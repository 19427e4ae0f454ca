"""Device-use permissions: requests, the headteacher's decisions, permissions in force, school devices."""
from ..clock import display
from ..sync import handoff
from . import demo, register, schema, sync, views  # noqa: F401  (register adds its routes to the blueprint)

migrations = schema.migrations
seed_demo = demo.seed


def init_app(app):
    app.register_blueprint(views.bp)
    handoff.register(app, kinds=sync.KINDS, source=sync.changes_since)
    app.jinja_env.filters.setdefault("display", display)
