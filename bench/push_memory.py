"""Measure how much memory one big push takes on the server, against the size of what was sent.

A phone on a good signal may send up to SYNC_MAX_PUSH_BYTES (64 MB) at once: sealed concerns with
every picture. The server must not hold several copies of that per request (a few workers and
threads serving such pushes at once would run a small school server out of memory). This signs in
a member of staff through the real sign-in page, sends pushes of sealed concerns with pictures
through the app (Flask's test client: the same WSGI path as gunicorn), and
reads the process's peak resident memory during that request (Linux: VmHWM in /proc/self/status,
reset just before the request by writing 5 to /proc/self/clear_refs). The push's body itself is
already in memory before the request starts, so it is not counted.

Prints the peak extra memory as a multiple of the body's size; the limit is LIMIT (below), and the
ratio printed is LIMIT / measured (1.0 or more: within the limit).
Three shapes of push are measured: many items, a few big ones, and one concern as big as one may be.
Run: .venv/bin/python bench/push_memory.py
"""
import argparse
import base64
import ctypes
import gc
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_peers import EMAIL, PASSWORD, School  # noqa: E402
from tests.sync.phone import concern  # noqa: E402

# Peak extra memory of one push, as a multiple of its body's size. The floor is about 2x: the body
# is read once and parsed (text and parsed JSON side by side for a moment), and joserfc holds about
# four copies of the item it is decrypting (its split, padded and translated base64, the ciphertext).
LIMIT = 3.0
PICTURE_MB = 4  # under the 5 MB a picture may have


def memory_kib(field):
    """Return a memory figure of this process from /proc/self/status, in KiB."""
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def release_freed_memory():
    """Collect garbage and hand freed heap pages back to the system, so the baseline is honest."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def reset_peak():
    """Make VmHWM (the peak resident memory) start again from the current resident memory."""
    Path("/proc/self/clear_refs").write_text("5")


def picture(n, size):
    """Return `size` bytes that sniff as a PNG picture (and do not compress)."""
    return b"\x89PNG\r\n\x1a\n" + os.urandom(size - 8 - 4) + n.to_bytes(4, "big")


def big_concerns(school, megabytes, pictures):
    """Seal and sign concerns with pictures, as many as fit in a push of `megabytes` MB (at least one)."""
    items, size = [], 0
    while True:
        n = len(items)
        attachments = [{"filename": f"photo-{n}-{p}.png", "content_type": "image/png",
                        "data": base64.b64encode(picture(p, PICTURE_MB * 2 ** 20)).decode()}
                       for p in range(pictures)]
        payload = {**concern(f"Concern {n} with {pictures} photos of the screen"), "attachments": attachments}
        item = school.envelopes([("concern", payload)])[0]
        size += len(item["sealed"]) + len(item["signed"]) + 200
        if items and size > megabytes * 2 ** 20:
            return items
        items.append(item)


def signed_in_client(school):
    """Sign the bench's member of staff in through the sign-in page; return (client, CSRF token)."""
    client = school.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code in (200, 302), answer.status_code
    return client, client.get("/api/session").get_json()["csrf_token"]


def push(client, csrf, items):
    body = json.dumps({"device_id": "bench-phone", "waiting": {"count": len(items), "oldest": None},
                       "items": items}).encode()
    return body, lambda: client.post("/api/sync/push", data=body, content_type="application/json",
                                     headers={"X-CSRFToken": csrf})


SHAPES = [  # (what, megabytes, pictures per concern)
    ("many concerns with one picture each", 60, 1),
    ("two concerns with four pictures each", 60, 4),
    ("one concern with five pictures (the largest a concern may be)", 40, 5),
]


def measure(school, client, csrf, megabytes, pictures):
    """Send one push of this shape; return (body bytes, items, peak extra resident bytes)."""
    body, send = push(client, csrf, big_concerns(school, megabytes, pictures))
    release_freed_memory()
    reset_peak()
    before = memory_kib("VmRSS")
    answer = send()
    peak = memory_kib("VmHWM")
    statuses = {r["status"] for r in answer.get_json()["results"]}
    assert answer.status_code == 200 and statuses == {"stored"}, (answer.status_code, statuses)
    return len(body), len(answer.get_json()["results"]), (peak - before) * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="push-memory-") as tmp:
        school = School(Path(tmp) / "school")
        client, csrf = signed_in_client(school)
        _, warm_up = push(client, csrf, big_concerns(school, 1, 1))  # imports, caches, first connection
        assert warm_up().status_code == 200
        print(f"Peak extra memory of one push, as a multiple of its body (limit <= {LIMIT}x; "
              f"pictures of {PICTURE_MB} MB):")
        for what, megabytes, pictures in SHAPES:
            size, count, extra = measure(school, client, csrf, megabytes, pictures)
            ratio = extra / size
            verdict = "within the limit" if ratio <= LIMIT else "OVER THE LIMIT"
            print(f"  {what}: {size / 2 ** 20:.1f} MB in {count} item(s)\n"
                  f"    peak extra {extra / 2 ** 20:.0f} MB = {ratio:.2f}x the body: "
                  f"ratio {LIMIT / ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
