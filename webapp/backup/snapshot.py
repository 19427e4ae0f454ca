"""Make a consistent copy of everything the school recorded, safe while the app serves."""
import json
import os
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from . import layout
from .layout import sha256_of


def copy_database(source, target, progress=None):
    """Copy the live database with SQLite's online backup, then make the copy one self-contained file.

    One step copies it all inside a single read transaction: in WAL mode pushes go on meanwhile,
    and a copy made in several steps would start again after every push and might never finish.
    """
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(target)
    try:
        live.execute("PRAGMA busy_timeout=30000")
        live.backup(copy, pages=-1, progress=progress)
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        live.close()
    os.chmod(target, 0o600)
    if result != "ok":
        raise RuntimeError(f"the copy of the database failed its integrity check: {result}")


def copy_private(source, target):
    """Copy one file, readable by this user only, flushed to disk."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)


def copy_uploads(database_copy, uploads, target):
    """Copy each upload the copied database refers to; return the names that were missing."""
    conn = sqlite3.connect(f"file:{database_copy}?mode=ro", uri=True)
    try:
        wanted = layout.referenced_uploads(conn)
    finally:
        conn.close()
    (target / layout.UPLOADS).mkdir(mode=0o700)
    missing = []
    for stored_name, _sha in wanted:
        source = uploads / stored_name
        if source.is_file():
            copy_private(source, target / layout.UPLOADS / stored_name)
        else:
            missing.append(stored_name)
    return missing


def copy_keys(keys, target):
    """Copy every sealing key, current and retired, and the file naming the current one."""
    (target / layout.SEALING_KEYS).mkdir(mode=0o700)
    if not keys.is_dir():
        return
    for path in sorted(keys.iterdir()):
        if path.is_file() and path.name not in layout.SKIPPED_KEY_FILES and not path.name.endswith(".tmp"):
            copy_private(path, target / layout.SEALING_KEYS / path.name)


def write_manifest(folder, secret_key_source):
    """List every file of the backup with its size and SHA-256, so a copy can be checked later."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            files[str(path.relative_to(folder))] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    manifest = {"made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "secret_key": secret_key_source, "files": files}
    (folder / layout.MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def make_plain(installation, folder):
    """Fill a new folder with a plain copy; return the uploads the database names but the disk lacks."""
    folder.mkdir(mode=0o700)
    copy_database(installation.database, folder / layout.DATABASE)
    missing = copy_uploads(folder / layout.DATABASE, installation.uploads, folder)
    copy_keys(installation.sealing_keys, folder)
    secret = "environment or config"
    if installation.secret_key.is_file():
        copy_private(installation.secret_key, folder / layout.SECRET_KEY)
        secret = "file"
    if installation.config.is_file():
        copy_private(installation.config, folder / layout.CONFIG)
    write_manifest(folder, secret)
    return missing


def folder_name(now=None):
    """Name a backup folder after the moment it was made (UTC), so they sort by age."""
    now = now or datetime.now(timezone.utc)
    return f"school-backup-{now:%Y%m%dT%H%M%SZ}"


def new_folder(dest, name):
    """Return a path under dest that does not exist yet (a second backup in the same second gets -2)."""
    dest = Path(dest)
    candidate, n = dest / name, 1
    while candidate.exists() or (dest / f".{candidate.name}.partial").exists():
        n += 1
        candidate = dest / f"{name}-{n}"
    return candidate
