"""Render a chronology as an A4 PDF with WeasyPrint, fetching nothing from outside the document."""
import base64

import weasyprint
from flask import render_template

from ..concerns import evidence


def _fetcher():
    """Fetch only data: addresses: the document carries its pictures inline, and nothing a
    person typed can make the server load a file or a web address."""
    return weasyprint.URLFetcher(allowed_protocols={"data"}, timeout=2)


def picture(attachment):
    """Return a picture as a data: address for an inline thumbnail, or None if its file is missing."""
    path = evidence.path_of(attachment)
    if not path.exists():
        return None
    return f"data:{attachment['content_type']};base64,{base64.b64encode(path.read_bytes()).decode()}"


def render(**context):
    """Return the PDF bytes of the chronology template filled with `context`."""
    html = render_template("exports/chronology.html", **context)
    return weasyprint.HTML(string=html, url_fetcher=_fetcher()).write_pdf()
