"""Sealing keys: the server's P-256 key pairs that phones encrypt items to.

Each key lives in SEALING_KEY_FOLDER as `<kid>.json` (mode 0600, a private JWK plus its creation
time); the file `current` names the key phones are given. Retired keys are never deleted, so an
item sealed weeks ago on a phone that was offline still opens.
"""
import fcntl
import json
import os
import re
import secrets
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from joserfc.jwk import ECKey

from ..clock import utcnow

KID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CURRENT = "current"


def key_folder(app=None):
    """Return the folder holding the sealing keys, made private on first use."""
    folder = Path((app or current_app).config["SEALING_KEY_FOLDER"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@contextmanager
def _locked(folder):
    """Hold an exclusive lock on the folder so two processes never both make a key."""
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_private(path, text):
    """Write a file readable by this user only, atomically."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _new_key(folder):
    kid = f"{utcnow():%Y%m%d}-{secrets.token_hex(4)}"
    key = ECKey.generate_key("P-256", parameters={"kid": kid, "use": "enc"}, private=True)
    # Microseconds, so keys made in the same second still sort in the order they were made.
    record = {"created_at": datetime.now(timezone.utc).isoformat(), "jwk": key.as_dict(private=True)}
    _write_private(folder / f"{kid}.json", json.dumps(record))
    _write_private(folder / CURRENT, kid)
    return kid


def _current_kid(folder):
    path = folder / CURRENT
    return path.read_text().strip() if path.exists() else None


def ensure_sealing_key(app=None):
    """Return the current key's kid, making the first key if there is none."""
    folder = key_folder(app)
    kid = _current_kid(folder)
    if kid:
        return kid
    with _locked(folder):
        return _current_kid(folder) or _new_key(folder)


def rotate_sealing_key(app=None):
    """Make a new current key, keeping every retired one; return the new kid."""
    folder = key_folder(app)
    with _locked(folder):
        return _new_key(folder)


def private_key(kid, app=None):
    """Return the private key with this kid (current or retired), or None if there is none."""
    if not isinstance(kid, str) or not KID_PATTERN.match(kid):
        return None
    app = app or current_app
    cache = app.extensions.setdefault("sealing_keys", {})
    cached = cache.get((app.config["SEALING_KEY_FOLDER"], kid))
    if cached is None:
        path = key_folder(app) / f"{kid}.json"
        if not path.exists():
            return None
        cached = ECKey.import_key(json.loads(path.read_text())["jwk"])
        cache[(app.config["SEALING_KEY_FOLDER"], kid)] = cached
    return cached


def current_public_jwk(app=None):
    """Return the current key's public JWK (with kid), for phones to seal items to."""
    kid = ensure_sealing_key(app)
    key = private_key(kid, app)
    return {**key.as_dict(private=False), "kid": kid, "use": "enc"}


def list_sealing_keys(app=None):
    """Return (kid, created_at, is_current) for every key, newest first."""
    folder = key_folder(app)
    current = _current_kid(folder)
    keys = []
    for path in folder.glob("*.json"):
        record = json.loads(path.read_text())
        keys.append((path.stem, record.get("created_at", ""), path.stem == current))
    return sorted(keys, key=lambda k: k[1], reverse=True)


@click.command("rotate-sealing-key")
@with_appcontext
def rotate_sealing_key_command():
    """Make a new sealing key for phones; keep the old ones so late items still open."""
    kid = rotate_sealing_key()
    retired = len(list_sealing_keys()) - 1
    click.echo(f"New sealing key {kid} is now current; {retired} retired key(s) kept in {key_folder()}.")
