"""The restore drill on a copy: open it apart from the live app and check it holds everything."""
import base64
import json
import sqlite3
from pathlib import Path

from . import layout
from .layout import sha256_of

# Record tables counted in the drill's report, in the school's words (those that exist are shown).
COUNTED = [("users", "people"), ("concerns", "concerns"), ("concern_attachments", "attached pictures"),
           ("case_events", "case entries"), ("device_requests", "device-use requests"),
           ("decisions", "decisions"), ("declarations", "declarations"), ("sync_items", "items from phones"),
           ("mail_outbox", "emails (sent or waiting)")]


def check_files(folder, manifest):
    """Return a problem for each file of the manifest that is missing or not what was copied."""
    problems = []
    for name, expected in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing.")
        elif path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            problems.append(f"{name} is not the file that was backed up (it has changed or is damaged).")
    return problems


def open_copy(path):
    """Open the copied database read-only, so the drill never changes it."""
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def check_database(folder):
    """Return (problems, counts, connection or None) for the copied database."""
    path = folder / layout.DATABASE
    if not path.is_file():
        return [f"{layout.DATABASE} (the database) is missing."], {}, None
    conn = open_copy(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        conn.close()
        return [f"{layout.DATABASE} cannot be read as a database: {error}."], {}, None
    if result != "ok":
        return [f"{layout.DATABASE} failed its integrity check: {result}"], {}, conn
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {label: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table, label in COUNTED if table in tables}
    return [], counts, conn


def check_uploads(folder, conn):
    """Return a problem for each attached picture the database names that the copy lacks or altered."""
    problems = []
    for stored_name, sha256 in layout.referenced_uploads(conn):
        path = folder / layout.UPLOADS / stored_name
        if not path.is_file():
            problems.append(f"The attached picture {layout.UPLOADS}/{stored_name} is missing.")
        elif sha256_of(path) != sha256:
            problems.append(f"The attached picture {layout.UPLOADS}/{stored_name} is not the one attached.")
    return problems


def sealed_kids(conn):
    """Return the sealing keys named by items kept whole (they still need opening)."""
    kids = set()
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "sync_items" not in tables:
        return kids
    for (envelope,) in conn.execute("SELECT envelope FROM sync_items WHERE envelope IS NOT NULL"):
        try:
            header = json.loads(envelope)["sealed"].split(".")[0]
            kid = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # an envelope that never named a key needs none
        if isinstance(kid, str):
            kids.add(kid)
    return kids


def check_keys(folder, conn):
    """Return a problem for a missing current sealing key or a key a kept item needs."""
    keys = folder / layout.SEALING_KEYS
    current = keys / "current"
    if not current.is_file():
        return ["The sealing keys are missing (no sealing-keys/current): nothing sealed on phones could be opened."]
    problems = []
    needed = {current.read_text().strip()} | (sealed_kids(conn) if conn else set())
    for kid in sorted(needed):
        try:
            record = json.loads((keys / f"{kid}.json").read_text())
            ok = record["jwk"]["kid"] == kid and "d" in record["jwk"]
        except (OSError, ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            problems.append(f"The sealing key {kid} is missing or unreadable: items sealed to it could not be opened.")
    return problems


def verify(folder):
    """Check a plain backup folder; return (problems, counts). No problems means it can be restored."""
    folder = Path(folder)
    manifest = layout.read_manifest(folder)
    if manifest is None:
        return [f"{folder} is not a backup made by this app (it has no readable {layout.MANIFEST})."], {}
    problems = check_files(folder, manifest)
    db_problems, counts, conn = check_database(folder)
    problems += db_problems
    try:
        if conn is not None and not db_problems:
            problems += check_uploads(folder, conn)
        problems += check_keys(folder, conn if not db_problems else None)
    finally:
        if conn is not None:
            conn.close()
    if manifest.get("secret_key") == "file" and not (folder / layout.SECRET_KEY).is_file():
        problems.append(f"{layout.SECRET_KEY} is missing.")
    counts["sealing keys"] = len(list((folder / layout.SEALING_KEYS).glob("*.json")))
    return list(dict.fromkeys(problems)), counts
