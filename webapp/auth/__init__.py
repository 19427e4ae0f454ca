"""People, roles and sessions held on the server."""
from datetime import timedelta

from flask import current_app, jsonify, redirect, request, url_for
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from ..db import get_db
from ..clock import parse_iso
from . import account, admin, cli, guard, passkey_views, reset, schema, second_factor, store, views
from .roles import User

migrations = schema.migrations
seed_demo = None  # flask seed-demo makes the demo people itself (webapp/seed.py)

login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(token):
    """Return the person of a live server-side session, or None."""
    cfg = current_app.config
    db = get_db()
    row = store.live_session(db, token, timedelta(minutes=int(cfg["SESSION_IDLE_MINUTES"])),
                             timedelta(hours=int(cfg["SESSION_ABSOLUTE_HOURS"])))
    if row is None:
        return None
    user = store.get_user(db, row["user_id"])
    if user is None or not user["active"]:
        return None
    needs = second_factor.required_of(user) and not second_factor.has_it(user)
    return User(user, token, parse_iso(row["verified_at"]) if row["verified_at"] else None, needs)


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        return jsonify({"error": "Please sign in.", "status": 401}), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app):
    from flask.sessions import SecureCookieSessionInterface

    class SessionInterface(SecureCookieSessionInterface):
        def get_cookie_secure(self, app):
            return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    app.session_interface = SessionInterface()
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(0)
    app.config["WTF_CSRF_TIME_LIMIT"] = int(app.config["SESSION_ABSOLUTE_HOURS"]) * 3600
    login_manager.login_view = "auth.login"
    # No "please sign in" flash: it would rewrite the session cookie from requests that race a sign-in.
    login_manager.login_message = None
    login_manager.session_protection = None  # sessions are revocable server-side instead
    login_manager.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(views.bp)
    app.before_request(guard.finish_sign_in_first)
    second_factor.check_settings(app.config)
    app.context_processor(lambda: {"two_factor_enforced": second_factor.enforced})
    app.register_blueprint(admin.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(passkey_views.bp)
    app.register_blueprint(reset.bp)
    app.cli.add_command(cli.create_user_command)
