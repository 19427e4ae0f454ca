"""Helpers for export tests: pupils and concerns through the real pages, PDFs read back as text."""
import io

import pytest
from pypdf import PdfReader

from tests.learners.conftest import Pupils


def pdf_text(data):
    """Return the text of every page of a PDF, and the pages' sizes in points."""
    reader = PdfReader(io.BytesIO(data))
    return ("\n".join(page.extract_text() for page in reader.pages),
            [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages],
            reader)


@pytest.fixture
def pupils(app, client, tmp_path):
    return Pupils(app, client, tmp_path)


@pytest.fixture
def concerns(client, auth):
    from tests.concerns.conftest import Concerns
    return Concerns(client, auth)
