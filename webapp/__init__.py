"""The school's mobile technology and social media policy app."""
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, compression, db, errors, headers
from .settings import defaults, from_instance_and_environment

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def create_app(test_config=None):
    """Build the app: defaults, then instance/config.py, then FLASK_* environment."""
    app = Flask(__name__, instance_path=str(INSTANCE), instance_relative_config=True,
                static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    app.config.from_mapping(defaults())
    if test_config is None:
        app.config.update(from_instance_and_environment(app.instance_path))
    else:
        app.config.from_mapping(test_config)
    _resolve_paths(app)
    _ensure_secret_key(app)
    if app.config["PROXY_COUNT"]:
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    db.init_app(app)
    headers.init_app(app)
    compression.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    _register_domains(app)
    return app


def _resolve_paths(app):
    for key in ("DATABASE", "UPLOAD_FOLDER"):
        path = Path(app.config[key])
        app.config[key] = str(path if path.is_absolute() else ROOT / path)
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)


def _ensure_secret_key(app):
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _register_domains(app):
    from . import backup, home, seed
    from .domains import DOMAINS  # imported here: the domains import this package's modules
    backup.init_app(app)
    home.init_app(app)
    seed.init_app(app)
    for domain in DOMAINS:
        domain.init_app(app)
