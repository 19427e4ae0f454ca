"""Time how long 100 concerns queued on a phone with no signal take to arrive after reconnecting.

Budget (DESIGN.md section 6): 100 items queued offline are all acknowledged within 3 s of the
phone reconnecting, in headless Chromium. The real app runs on a temporary database in a thread;
Debian's Chromium signs in through the sign-in page, waits for the service worker to keep the
capture forms, goes offline and submits the real concern form 100 times. The clock starts when
the network comes back and stops when the server's database holds every concern AND the page's
outbox (IndexedDB 'safeguarding', store 'outbox') is empty. Prints the time and budget / time
(1.0 or more is within budget).
Run: .venv/bin/python bench/offline_delivery.py [--items N]
"""
import argparse
import contextlib
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, PHONE, LiveServer, sign_in  # noqa: E402
from tests.browser.phone import OUTBOX_COUNT, log_concern, ready_offline, rows  # noqa: E402
from tests.conftest import PASSWORD, PEOPLE  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.auth import store as people  # noqa: E402
from webapp.db import connect  # noqa: E402
from webapp.migrations import migrate  # noqa: E402

BUDGET_S = 3.0
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
CONTEXT_ARGS = {"viewport": PHONE, "is_mobile": True, "has_touch": True, "locale": "en-GB",
                "timezone_id": "Europe/London"}
DELIVERED = "SELECT id FROM concerns WHERE source = 'phone'"


def make_school(folder):
    """Build the app on a fresh database in folder, with one member of staff who can sign in."""
    folder = Path(folder)
    app = create_app({"SECRET_KEY": "bench-secret", "DATABASE": str(folder / "bench.db"),
                      "UPLOAD_FOLDER": str(folder / "uploads"),
                      "SEALING_KEY_FOLDER": str(folder / "sealing-keys"), "SMTP_HOST": None})
    db = connect(app.config["DATABASE"])
    migrate(db)
    email, name, roles = PEOPLE["staff"]
    people.create_user(db, email, name, PASSWORD, roles)
    db.conn.close()
    return app


@contextlib.contextmanager
def school_and_phone():
    """Yield (server, browser): the app served on a real socket and headless Chromium."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # keep the request log out
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server = LiveServer(make_school(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield server, browser
        finally:
            browser.close()
            server.stop()


def queue_offline(page, context, server, count):
    """Sign in, let the worker keep the forms, go offline, submit the concern form count times."""
    sign_in(page, server, "staff")
    ready_offline(page)
    context.set_offline(True)
    for n in range(1, count + 1):
        log_concern(page, server.url, f"Bench concern {n}: a Year 5 pupil was sent a nasty message")
    assert page.evaluate(OUTBOX_COUNT) == count and rows(server.app, DELIVERED) == []


def time_delivery(page, context, server, count, timeout=60.0):
    """Reconnect; return seconds until the server holds count concerns and the outbox is empty."""
    started = time.perf_counter()
    context.set_offline(False)
    while len(rows(server.app, DELIVERED)) < count or page.evaluate(OUTBOX_COUNT):
        if time.perf_counter() - started > timeout:
            sys.exit(f"not delivered after {timeout:.0f} s: {len(rows(server.app, DELIVERED))} on "
                     f"the server, {page.evaluate(OUTBOX_COUNT)} still on the phone")
        time.sleep(0.005)
    return time.perf_counter() - started


def verdict(ratio):
    """Say whether a ratio of budget to measurement is within budget."""
    return "within budget" if ratio >= 1.0 else "OVER BUDGET"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    args = parser.parse_args()
    with school_and_phone() as (server, browser):
        context = browser.new_context(**CONTEXT_ARGS)
        page = context.new_page()
        queued = time.perf_counter()
        queue_offline(page, context, server, args.items)
        print(f"queued {args.items} concerns offline through the form "
              f"in {time.perf_counter() - queued:.1f} s (not timed against the budget)")
        elapsed = time_delivery(page, context, server, args.items)
        expect(page.locator("[data-outbox-status]")).to_contain_text("Everything sent")
        assert len(rows(server.app, DELIVERED)) == args.items, "a concern was delivered twice"
        context.close()
    print(f"{args.items} items queued offline -> all acknowledged after reconnect: {elapsed:.3f} s "
          f"(budget {BUDGET_S:.0f} s): ratio budget/elapsed {BUDGET_S / elapsed:.2f}, "
          f"{verdict(BUDGET_S / elapsed)}")


if __name__ == "__main__":
    main()
