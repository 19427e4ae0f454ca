"""Photos and screenshots attached to a concern: images only, checked by their bytes.

A picture is written under a temporary name (`<name>.part`) inside the caller's transaction and
given its real name only once the row naming it is committed (`settle`). A write that fails, or a
transaction that is rolled back, leaves no file behind: `settle` (run again when the request ends)
deletes the temporary files of rows that were never committed, and `sweep` clears what a crash
left (run at start and by `flask sweep-uploads`).
"""
import hashlib
import os
import secrets
import time
from pathlib import Path

from flask import current_app, g

PART = ".part"
# A file this young may belong to a push still in progress in another process: the sweep leaves it.
SWEEP_MIN_AGE_SECONDS = 3600

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
# A concern form with every picture at its largest, plus room for the typed fields.
MAX_REQUEST_BYTES = MAX_FILES * MAX_BYTES + 1024 * 1024
TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF"}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}


def sniff_image(data):
    """Return the image type the bytes really are (JPEG, PNG, WebP, GIF), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def chosen_files(files):
    """Drop the empty part a browser sends when no file was chosen."""
    return [f for f in files or [] if f is not None and getattr(f, "filename", None)]


def read_limited(storage):
    """Read one uploaded file, at most one byte over the limit."""
    storage.stream.seek(0)
    data = storage.stream.read(MAX_BYTES + 1)
    storage.stream.seek(0)
    return data


def problems(files):
    """Return messages saying exactly what is wrong with these files (empty when fine)."""
    if len(files) > MAX_FILES:
        return [f"Attach at most {MAX_FILES} pictures; you chose {len(files)}."]
    out = []
    for storage in files:
        name = clean_filename(storage.filename)
        data = read_limited(storage)
        if len(data) > MAX_BYTES:
            out.append(f"\u2018{name}\u2019 is larger than {MAX_MB} MB: "
                       "take a smaller screenshot or photo.")
        elif not data:
            out.append(f"\u2018{name}\u2019 is empty: choose the picture again.")
        elif sniff_image(data) is None:
            out.append(f"\u2018{name}\u2019 is not a JPEG, PNG, WebP or GIF picture: "
                       "attach pictures only.")
    return out


def clean_filename(name):
    """Keep a filename only for display: no folders, no control characters, not too long."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "picture")[:120]


def folder():
    path = Path(current_app.config["UPLOAD_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(storage):
    """Write one checked picture under a temporary name, durably; return its record fields.

    The file gets its real name from `settle(db)` once its row is committed. If writing fails
    (disk full, an I/O error) the partial file is removed and the OSError is raised.
    """
    data = read_limited(storage)
    stored_name = secrets.token_hex(16)
    target = folder() / (stored_name + PART)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _remove(target)
        raise
    g.setdefault("evidence_pending", []).append(stored_name)
    return {"stored_name": stored_name, "filename": clean_filename(storage.filename),
            "content_type": sniff_image(data), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def path_of(attachment):
    """Return the file of a stored attachment row (still under its temporary name after a crash)."""
    final = folder() / attachment["stored_name"]
    part = folder() / (attachment["stored_name"] + PART)
    return part if not final.exists() and part.exists() else final


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove_file(path):
    """Remove a stored picture whose row has gone (a destroyed record); a missing file is no error."""
    _remove(path)


def _committed(db, names):
    """Return which of these stored names have a committed attachment row."""
    if not names:
        return set()
    marks = ", ".join("?" for _ in names)
    return {r["stored_name"] for r in db.query(
        f"SELECT stored_name FROM concern_attachments WHERE stored_name IN ({marks})", list(names))}


def _sync_folder(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def settle(db):
    """Give this request's pictures their real names if their rows are committed; delete the others.

    Call it after the commit (and outside any transaction); it runs again when the request ends,
    so a push that failed or was rolled back leaves nothing behind.
    """
    pending = g.pop("evidence_pending", [])
    if not pending:
        return
    if db.conn.in_transaction:  # not committed yet: keep them for a later call
        g.setdefault("evidence_pending", []).extend(pending)
        return
    kept = _committed(db, pending)
    where = folder()
    for name in pending:
        if name in kept:
            os.replace(where / (name + PART), where / name)
        else:
            _remove(where / (name + PART))
    if kept:
        _sync_folder(where)


def discard_pending():
    """Delete this request's temporary pictures without asking the database (it may be unusable)."""
    where = None
    for name in g.pop("evidence_pending", []):
        where = where or folder()
        _remove(where / (name + PART))


def sweep(db, min_age_seconds=SWEEP_MIN_AGE_SECONDS, now=None):
    """Tidy the uploads folder after a crash; return (files renamed, files deleted).

    A temporary file whose row was committed gets its real name; a temporary file without a row,
    or a file no attachment row names, is deleted, once older than `min_age_seconds` (a younger
    one may belong to a push still running in another process).
    """
    where = Path(current_app.config["UPLOAD_FOLDER"])
    if not where.is_dir():
        return 0, 0
    now = time.time() if now is None else now
    files = [p for p in where.iterdir() if p.is_file()]
    names = {p.name[:-len(PART)] if p.name.endswith(PART) else p.name for p in files}
    kept = _committed(db, sorted(names))
    renamed = deleted = 0
    for path in files:
        name = path.name[:-len(PART)] if path.name.endswith(PART) else path.name
        if name in kept:
            if path.name.endswith(PART) and not (where / name).exists():
                os.replace(path, where / name)
                renamed += 1
            continue
        try:
            old_enough = now - path.stat().st_mtime >= min_age_seconds
        except FileNotFoundError:
            continue
        if old_enough:
            _remove(path)
            deleted += 1
    return renamed, deleted


def download_name(attachment):
    """Name a download after its upload, always ending with the extension of what its bytes are."""
    stem, extension = os.path.splitext(attachment["filename"])
    wanted = EXTENSIONS.get(attachment["content_type"], ".bin")
    if extension.lower() in (wanted, ".jpeg" if wanted == ".jpg" else wanted):
        return attachment["filename"]
    return f"{stem or 'picture'}{wanted}"


def describe(attachment):
    """Say what an attachment is, for a link: 'PNG picture, 120 KB'."""
    kb = max(1, round(attachment["size"] / 1024))
    return f"{TYPES.get(attachment['content_type'], 'Picture')} picture, {kb} KB"


def at_request_end(exc=None):
    """Settle what a request left pending: committed pictures are named, the rest deleted."""
    if not g.get("evidence_pending"):
        return
    try:
        from ..db import get_db
        db = get_db()  # this request's connection, or a fresh one that sees what was committed
        if db.conn.in_transaction:  # never committed: closing the connection rolls back
            discard_pending()
        else:
            settle(db)
    except Exception:
        current_app.logger.exception("Could not settle the pictures of this request")
        discard_pending()


def swept_line(db):
    """Sweep the uploads folder and say what was done, for `init-db` and `sweep-uploads`."""
    renamed, deleted = sweep(db)
    return f"Uploads folder tidied: {renamed} picture(s) given their name, {deleted} unused file(s) removed."
