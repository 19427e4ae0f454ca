"""`GET /api/openapi.json`: the description of the JSON API (see `document.py`)."""
from flask import Blueprint, current_app, jsonify

from . import document

bp = Blueprint("openapi", __name__, url_prefix="/api")
migrations = None  # the description keeps no tables
seed_demo = None


@bp.get("/openapi.json")
def description():
    """Answer the OpenAPI document of this server's JSON API."""
    return jsonify(document.build(current_app.config))


def init_app(app):
    app.register_blueprint(bp)
