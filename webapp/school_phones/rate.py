"""A cap on how often one school phone may call the routes that need nobody signed in.

Those routes (its staff list, its push) take a phone key, not a session, so the usual limits on a
signed-in person do not apply. Each request counts against the enrolled phone whose key it names
(every key a device was ever enrolled with counts as that device); a request naming no key the
register knows counts against its network address. Beyond SCHOOL_PHONE_REQUESTS_PER_MINUTE in a
moving minute it is answered 429, in JSON with Retry-After, and nothing in it is taken: the phone
keeps everything and tries again later. Counted by the `limits` library, in each server process.
"""
import math
import time

from flask import current_app, jsonify
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from ..auth.roles import client_address

TOO_OFTEN = ("This phone has asked the school's server too often in the last minute. Nothing was accepted and "
             "everything stays on this phone: it tries again by itself in {seconds} seconds.")


class TooOften(TooManyRequests):
    """A school phone went over its cap; `retry_after` is when it may try again, in whole seconds."""

    def __init__(self, retry_after):
        super().__init__(TOO_OFTEN.format(seconds=retry_after), retry_after=retry_after)


def counted_as(key_row):
    """Return what a request is counted against: the enrolled device its key names, else its address."""
    if key_row is not None:
        return f"school-device:{key_row['school_device_id']}"
    return f"address:{client_address()}"


def check(key_row):
    """Count one request; raise TooOften when it is over the cap for its phone (or address)."""
    limiter = current_app.extensions["school_phone_rate"]
    cap = RateLimitItemPerMinute(int(current_app.config["SCHOOL_PHONE_REQUESTS_PER_MINUTE"]))
    who = counted_as(key_row)
    if limiter.hit(cap, who):
        return
    reset_at, _ = limiter.get_window_stats(cap, who)
    raise TooOften(max(1, math.ceil(reset_at - time.time())))


def too_often(exc):
    """Answer 429 in the API's error shape, with Retry-After."""
    response = jsonify({"error": exc.description, "status": 429, "errors": {}})
    response.status_code = 429
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def init_app(app):
    app.extensions["school_phone_rate"] = MovingWindowRateLimiter(MemoryStorage())
