"""Small thumbnails of a case's pictures, for the copy a DSL's phone keeps (full pictures stay online)."""
import base64
import io
import warnings
from functools import lru_cache

from PIL import Image

from . import evidence

SIZE = (160, 160)
QUALITY = 60


@lru_cache(maxsize=512)
def _thumbnail(path, sha256):  # keyed by content too, so a replaced file is never served stale
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            image.draft("RGB", SIZE)  # JPEGs decode straight at a small size: cheap even for 5 MB
            image.thumbnail(SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def thumbnail(attachment):
    """Return a small JPEG of a stored picture as a data: URL, or None when it cannot be read."""
    try:
        return _thumbnail(str(evidence.path_of(attachment)), attachment["sha256"])
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None


def pictures(attachments):
    """Return what the phone keeps of each picture: its name, what it is, and a thumbnail."""
    return [{"id": a["id"], "name": a["filename"], "about": evidence.describe(a), "thumbnail": thumbnail(a)}
            for a in attachments]
