"""Check the shape of what phones send to the sync API before anything is written.

A malformed request is refused whole with a 4xx and a clear message (the phone keeps its items);
problems inside one well-formed item are answered per item by the push instead.
"""
import binascii
import json
import re
from datetime import timedelta

from flask import request
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from ..clock import iso, parse_iso

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DEVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
MAX_WAITING = 10_000_000


class BadInput(Exception):
    """A request that is refused whole: status, message and per-field errors for the JSON body."""

    def __init__(self, message, errors=None, status=400):
        super().__init__(message)
        self.message, self.errors, self.status = message, errors or {}, status


def json_body():
    """Return the request's JSON object, or refuse it (wrong content type, bad JSON, not an object)."""
    if not request.is_json:
        raise BadInput("Send JSON with Content-Type: application/json.", status=415)
    try:
        body = json.loads(body_text())
    except (ValueError, RecursionError):  # absurdly deep nesting is not ValueError
        body = None
    if not isinstance(body, dict):
        raise BadInput("The body must be a JSON object.")
    return body


def body_text():
    """Read the request's body as text, holding one copy of it at a time (a push may be 64 MB).

    Werkzeug's get_json would keep the bytes cached beside the text and the parsed JSON. Reading
    past the size limit raises RequestEntityTooLarge, as get_json does.
    """
    stream, length = request.stream, request.content_length
    if length is None:  # no Content-Length (chunked): the stream ends the body
        return stream.read().decode()
    body = bytearray(length)
    view, read = memoryview(body), 0
    while read < length:
        count = stream.readinto(view[read:])
        if not count:
            break
        read += count
    view.release()
    del body[read:]
    return body.decode()


def _is_int(value):
    """Say whether a JSON number is whole: JSON has one number type, so 3.0 is as whole as 3."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


def device_id(value, name="device_id"):
    if not isinstance(value, str) or not DEVICE_ID.match(value):
        raise BadInput("device_id must be the phone's id: 1 to 100 letters, digits, '.', '_', ':' or '-'.",
                         {name: ["Not a valid phone id."]})
    return value


def oldest_waiting(value, now):
    """Return the ISO time of the oldest waiting item from an ISO time or an age in seconds."""
    if value is None or value == "":
        return None
    if (_is_int(value) or isinstance(value, float)) and 0 <= value < 10 * 365 * 86400:
        return iso(now - timedelta(seconds=float(value)))
    if isinstance(value, str) and len(value) <= 40:
        try:
            return iso(min(parse_iso(value), now))
        except ValueError:
            pass
    raise BadInput("waiting.oldest must be the ISO-8601 time of the oldest waiting item "
                     "(or its age in seconds), or null.", {"waiting.oldest": ["Not a valid time."]})


def waiting(value, now):
    """Return (count, oldest ISO time or None) from {"count", "oldest"}."""
    if not isinstance(value, dict) or not _is_int(value.get("count")) or not 0 <= value["count"] <= MAX_WAITING:
        raise BadInput('waiting must be {"count": a whole number of items, "oldest": a time or null}.',
                         {"waiting.count": ["Not a whole number of items."]})
    count = int(value["count"])
    oldest = oldest_waiting(value.get("oldest"), now)
    return count, oldest if count else None


def push_body(body, now, max_items):
    """Return (device_id, waiting count, oldest, items) of a well-formed push."""
    items = body.get("items")
    if not isinstance(items, list):
        raise BadInput("items must be a list.", {"items": ["Not a list."]})
    if len(items) > max_items:
        raise BadInput(f"Send at most {max_items} items in one push; send the rest in the next.",
                         {"items": [f"More than {max_items} items."]})
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not UUID4.match(item["id"]):
            raise BadInput(f"Item {index} has no id, or its id is not a lowercase UUID version 4.",
                             {f"items[{index}].id": ["Not a UUID version 4."]})
    count, oldest = waiting(body.get("waiting"), now)
    return device_id(body.get("device_id")), count, oldest, items


def public_key(value):
    """Return the canonical public JWK (kty, crv, x, y) of an EC P-256 key, or refuse it."""
    if not isinstance(value, dict):
        raise BadInput("public_key must be a JWK object.", {"public_key": ["Not a JWK."]})
    if "d" in value:
        raise BadInput("Send only the public part of the key.", {"public_key": ["Holds a private key."]})
    jwk = {name: value.get(name) for name in ("kty", "crv", "x", "y")}
    if jwk["kty"] != "EC" or jwk["crv"] != "P-256" or not all(isinstance(jwk[n], str) for n in "xy"):
        raise BadInput("public_key must be an EC P-256 JWK with x and y.", {"public_key": ["Not EC P-256."]})
    try:
        key = ECKey.import_key(jwk)
    except (ValueError, TypeError, JoseError, binascii.Error):
        raise BadInput("public_key is not a valid point on P-256.", {"public_key": ["Not a valid key."]})
    return jwk, key.thumbprint()


def pull_params(args, now):
    """Return (device_id or None, waiting count, oldest, cursor) from a pull's query string."""
    phone = device_id(args["device_id"]) if "device_id" in args else None
    count, oldest = 0, None
    # what is sent is checked even without device_id (then nothing is recorded)
    if phone is not None or "waiting" in args or "oldest" in args:
        raw = args.get("waiting", "")
        if not re.fullmatch(r"[0-9]{1,8}", raw) or int(raw) > MAX_WAITING:
            raise BadInput("waiting must be the number of items waiting on the phone.",
                             {"waiting": ["Not a whole number."]})
        count = int(raw)
        oldest_raw = args.get("oldest") or None
        if oldest_raw is not None and re.fullmatch(r"[0-9]{1,12}(\.[0-9]{1,6})?", oldest_raw):
            oldest_raw = float(oldest_raw)
        oldest = oldest_waiting(oldest_raw, now) if count else None
    return phone, count, oldest, args.get("since") or None
