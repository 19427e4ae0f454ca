"""The policy document itself: rendering its text safely, keeping its PDF, knowing when review is due."""
import os
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import markdown
import nh3
from flask import current_app
from markupsafe import Markup

REVIEW_WARNING_DAYS = 30
PDF_MAGIC = b"%PDF-"


def render_markdown(text):
    """Turn a version's Markdown into sanitised HTML, its headings below the page's own."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return Markup(nh3.clean(html))


def review_state(version, day):
    """Return 'overdue', 'due_soon' (within 30 days) or None for a version on a given day."""
    if version is None:
        return None
    due = date.fromisoformat(version["next_review_on"])
    if day >= due:
        return "overdue"
    if day >= due - timedelta(days=REVIEW_WARNING_DAYS):
        return "due_soon"
    return None


def pdf_folder():
    return Path(current_app.config["UPLOAD_FOLDER"]) / "policy"


def looks_like_pdf(file_storage):
    """Say whether an upload is named .pdf and starts like a PDF file."""
    name = (file_storage.filename or "").lower()
    head = file_storage.stream.read(len(PDF_MAGIC))
    file_storage.stream.seek(0)
    return name.endswith(".pdf") and head == PDF_MAGIC


def save_pdf(file_storage):
    """Write an uploaded PDF durably under the instance folder; return its stored name."""
    folder = pdf_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.pdf"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        file_storage.stream.seek(0)
        while chunk := file_storage.stream.read(64 * 1024):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return name


def pdf_path(stored_name):
    """Return the path of a stored PDF (names are ours: hex and .pdf only)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.pdf", stored_name or ""):
        return None
    path = pdf_folder() / stored_name
    return path if path.is_file() else None
