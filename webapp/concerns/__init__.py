"""Concerns: staff log a breach of the policy; DSLs carry each case to a close."""
from ..clock import display
from .categories import label as category_label
from .chronology import STATUSES, kind_label


def init_app(app):
    from . import queue, views  # noqa: F401  (queue adds its route to the blueprint)
    app.register_blueprint(views.bp)
    app.before_request_funcs.setdefault(None, []).insert(0, views.allow_pictures)
    filters = app.jinja_env.filters
    filters.setdefault("display", display)
    filters.setdefault("category_label", category_label)
    filters.setdefault("status_label", lambda key: STATUSES.get(key, key))
    filters.setdefault("kind_label", kind_label)
