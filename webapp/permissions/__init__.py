"""Device-use permissions: requests, the headteacher's decisions, permissions in force, school devices."""
from ..clock import display
from . import register, views  # noqa: F401  (register adds its routes to the blueprint)


def init_app(app):
    app.register_blueprint(views.bp)
    app.jinja_env.filters.setdefault("display", display)
