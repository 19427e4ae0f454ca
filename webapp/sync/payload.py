"""Turn an opened payload (JSON) into the form data its WTForms class reads: the one converter."""
import base64
import binascii
import io

from werkzeug.datastructures import FileStorage, MultiDict

NOT_A_VALUE = "This must be text, a number or true/false."


def formdata(payload, files=()):
    """Return (form data, errors by field) for a payload; errors is {} when every field was readable.

    true becomes "y" (a ticked box), false and null are left out (as a browser leaves them out),
    numbers become text; the `files` fields become uploaded files.
    """
    data, errors = MultiDict(), {}
    for key, value in payload.items():
        key = str(key)
        if key in files:
            uploads, problem = attachments(value)
            if problem:
                errors[key] = [problem]
            data.setlist(key, uploads)
        elif isinstance(value, bool):
            if value:
                data.add(key, "y")
        elif isinstance(value, (str, int, float)):
            data.add(key, str(value))
        elif value is not None:
            errors[key] = [NOT_A_VALUE]
    return data, errors


def attachments(items):
    """Turn synced attachments into uploaded files; return (files, problem or None)."""
    if items in (None, []):
        return [], None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], "Attachments must be a list of files."
    uploads = []
    for item in items:
        name = str(item.get("filename") or "picture")
        try:
            raw = base64.b64decode(str(item.get("data") or ""), validate=True)
        except (binascii.Error, ValueError):
            return [], f"\u2018{name}\u2019 could not be read: attach it again."
        uploads.append(FileStorage(io.BytesIO(raw), filename=name, content_type=str(item.get("content_type") or "")))
    return uploads, None
