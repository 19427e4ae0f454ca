"""Photos and screenshots attached to a concern: images only, checked by their bytes."""
import hashlib
import os
import secrets
from pathlib import Path

from flask import current_app

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
    """Write one checked picture under a random name, durably; return its record fields."""
    data = read_limited(storage)
    stored_name = secrets.token_hex(16)
    target = folder() / stored_name
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return {"stored_name": stored_name, "filename": clean_filename(storage.filename),
            "content_type": sniff_image(data), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def path_of(attachment):
    """Return the file of a stored attachment row."""
    return folder() / attachment["stored_name"]


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
