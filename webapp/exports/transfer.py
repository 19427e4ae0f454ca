"""A child's file for a new school: the chronology PDF and every picture, in one zip archive
encrypted with AES to a passphrase that is given to the receiving DSL separately."""
import io
import re

import pyzipper

from ..concerns import evidence
from ..concerns import store as concern_store


def safe_name(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80] or "file"


def archive(db, pdf_bytes, concern_ids, passphrase, learner):
    """Return the bytes of the encrypted archive (AES-256, WinZip AE-2: opens in 7-Zip and most tools)."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(passphrase.encode("utf-8"))
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        zf.writestr(f"{safe_name(learner['upn'])}-chronology.pdf", pdf_bytes)
        for concern_id in concern_ids:
            for a in concern_store.attachments_of(db, concern_id):
                path = evidence.path_of(a)
                if path.exists():
                    zf.writestr(f"pictures/concern-{concern_id}/{a['id']}-{safe_name(a['filename'])}",
                                path.read_bytes())
    return buffer.getvalue()

