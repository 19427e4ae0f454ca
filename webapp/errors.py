"""Friendly error pages for people, JSON errors for the sync API."""
import sqlite3

from flask import jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound
from werkzeug.routing import IntegerConverter

LARGEST_ROW_ID = 2 ** 63 - 1  # SQLite's largest integer: an id beyond it names no row


class RowIdConverter(IntegerConverter):
    """An `<int:...>` path part that is simply not found when no SQLite row could have it."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ROW_ID)
        super().__init__(map, *args, **kwargs)

MESSAGES = {
    400: "The request could not be understood.",
    401: "Please sign in.",
    403: "You do not have access to this page.",
    404: "There is no page at this address.",
    405: "That action is not allowed here.",
    413: "What was sent is too large.",
    429: "Too many attempts. Please wait a few minutes and try again.",
    500: "Something went wrong on the server. Nothing you saved has been lost.",
    503: "The school's server is busy just now, so nothing was saved. Go back and send it again in a moment.",
}
BUSY_RETRY_SECONDS = 5


def wants_json():
    """Say whether the error goes back as JSON: to the API, and to any page's script that posted JSON."""
    return request.path.startswith("/api/") or request.is_json


def json_error(status, message):
    """Return a JSON error body with a clear message."""
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


def handle_http(exc):
    status = exc.code or 500
    message = MESSAGES.get(status, exc.description)
    if isinstance(exc, CSRFError):
        message = "This form has expired or was not sent from this app. Please go back, reload and try again."
    if wants_json():
        response = json_error(status, exc.description if status == 400 and not isinstance(exc, CSRFError) else message)
    else:
        template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
        response = make_response(render_template(template, status=status, message=message), status)
    return _keep_headers(response, exc)


def _keep_headers(response, exc):
    """Keep what the error itself says in headers (a 405's `Allow`, a 503's `Retry-After`)."""
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_unexpected(exc):
    from flask import current_app
    current_app.logger.exception("Unhandled error")
    return handle_http(InternalServerError())


def handle_database_error(exc):
    """A database too busy to take a write in time is the server's trouble: answer 503, never 500.

    Whatever the request had written is rolled back when its connection closes.
    """
    if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
        return handle_unexpected(exc)
    from flask import current_app
    current_app.logger.warning("%s %s answered 503: the database was locked", request.method, request.path)
    if wants_json():
        response = json_error(503, MESSAGES[503])
    else:
        response = current_app.make_response(
            (render_template("errors/generic.html", status=503, message=MESSAGES[503]), 503))
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


def handle_too_large_a_number(exc):
    """A number too large for the database (an id, a page) names nothing: answer 404, never 500."""
    if "too large" not in str(exc) and "SQLite INTEGER" not in str(exc):
        return handle_unexpected(exc)
    return handle_http(NotFound())


def init_app(app):
    app.register_error_handler(OverflowError, handle_too_large_a_number)
    app.register_error_handler(sqlite3.OperationalError, handle_database_error)
    app.url_map.converters["int"] = RowIdConverter
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
