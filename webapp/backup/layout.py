"""What a backup folder holds, and where each part lives in a running installation."""
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

DATABASE = "webapp.db"
SECRET_KEY = "secret_key"
CONFIG = "config.py"
SEALING_KEYS = "sealing-keys"
UPLOADS = "uploads"
MANIFEST = "MANIFEST.json"
ENCRYPTED = "backup.tar.age"
# Files a key folder keeps for its own housekeeping, never needed to open anything.
SKIPPED_KEY_FILES = {".lock"}


@dataclass(frozen=True)
class Installation:
    """The live files of this installation that a backup copies and a restore replaces."""

    database: Path
    secret_key: Path
    config: Path
    sealing_keys: Path
    uploads: Path

    @classmethod
    def of(cls, app=None):
        app = app or current_app
        instance = Path(app.instance_path)
        return cls(Path(app.config["DATABASE"]), instance / SECRET_KEY, instance / CONFIG,
                   Path(app.config["SEALING_KEY_FOLDER"]), Path(app.config["UPLOAD_FOLDER"]))


def sha256_of(path):
    """Return the SHA-256 of a file, read in pieces so big pictures need little memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder):
    """Return the manifest of a plain backup folder, or None if it has none that can be read."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def referenced_uploads(conn):
    """Return (stored name, sha256) of every upload the database refers to."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "concern_attachments" not in tables:
        return []
    return list(conn.execute("SELECT stored_name, sha256 FROM concern_attachments ORDER BY id"))
