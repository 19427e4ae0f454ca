"""Time the app on a cheap school phone: the CPU slowed 4x and a 400 kbit/s, 400 ms network.

Budgets (DESIGN.md section 6 and the school phones' brief): the concern form's first load is
usable within 3 s; a concern with three 3 MB photos is saved on the phone within 2 s of tapping
send; a DSL's pull of 200 open cases is usable offline within 5 s. The real app runs on a
temporary database in a thread and Debian's headless Chromium is slowed through CDP
(`Emulation.setCPUThrottlingRate` rate 4, `Network.emulateNetworkConditions` latency 400 ms,
50,000 bytes/s each way) on each page.
1. First load: a fresh context holding only the session cookie (empty cache, no service worker)
   opens /concerns/new; usable = load done and the page's script has taken charge of the form,
   read from the page's own performance clock.
2. Saving: with the worker keeping the forms and the network cut, three 3 MB pictures are chosen
   and the form sent; timed from the tap until the phone says "Saved on this phone".
3. Pull: a DSL's phone holding nothing pulls 200 open cases (each with a chronology entry) over the
   slow network, then with the network cut opens a case from the encrypted copy; timed from the
   start of the pull until the case's report is on screen.
Prints each time, the budget and budget / time (1.0 or more is within budget).
Run: .venv/bin/python bench/low_end_phone.py [--cases N]
"""
import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect  # noqa: E402

from bench.first_load import MARK_FORM_READY, USABLE_AT  # noqa: E402
from bench.offline_delivery import CONTEXT_ARGS, school_and_phone, verdict  # noqa: E402
from tests.browser.conftest import sign_in  # noqa: E402
from tests.browser.phone import fill_concern, pulled_ready, ready_offline  # noqa: E402
from tests.conftest import PASSWORD, PEOPLE, Auth  # noqa: E402
from webapp.auth import store as people  # noqa: E402
from webapp.db import connect  # noqa: E402

FIRST_LOAD_S, SAVE_S, PULL_S = 3.0, 2.0, 5.0
CPU_RATE = 4
NETWORK = {"offline": False, "latency": 400, "downloadThroughput": 50000, "uploadThroughput": 50000}
PHOTO_BYTES = 3 * 1024 * 1024


def slow_down(context, page):
    """Make this page behave like a cheap phone on a poor connection."""
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    return cdp


def add_dsl(app):
    db = connect(app.config["DATABASE"])
    email, name, roles = PEOPLE["dsl"]
    people.create_user(db, email, name, PASSWORD, roles)
    db.conn.close()


def photo(n):
    """Return a 3 MB JPEG-looking picture (a JPEG header, then noise that does not compress)."""
    return {"name": f"photo-{n}.jpg", "mimeType": "image/jpeg",
            "buffer": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(PHOTO_BYTES - 13) + b"\xff\xd9"}


def first_load(browser, storage_state, url):
    """Return seconds from the start of navigation until the concern form is usable."""
    context = browser.new_context(storage_state=storage_state, **CONTEXT_ARGS)
    context.add_init_script(MARK_FORM_READY)
    page = context.new_page()
    slow_down(context, page)
    page.goto(url + "/concerns/new", wait_until="load")
    page.wait_for_function("() => window.__formReadyAt !== undefined", timeout=60000)
    marks = page.evaluate(USABLE_AT)
    context.close()
    return max(marks["dom"], marks["load"], marks["form"]) / 1000


def save_with_photos(browser, server):
    """Return seconds from tapping send until a concern with three 3 MB photos is kept on the phone."""
    context = browser.new_context(**CONTEXT_ARGS)
    page = context.new_page()
    sign_in(page, server, "staff")
    ready_offline(page)
    slow_down(context, page)
    context.set_offline(True)
    fill_concern(page, server.url, "Bench: pictures of a message sent to a Year 5 pupil")
    page.locator("input[name=attachments]").set_input_files([photo(n) for n in (1, 2, 3)])
    started = time.perf_counter()
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible(timeout=60000)
    took = time.perf_counter() - started
    context.close()
    return took


def open_cases(app, count):
    """Log count concerns as staff and add a note to each as a DSL, through the web forms."""
    staff, dsl = app.test_client(), app.test_client()
    Auth(staff).login("staff")
    Auth(dsl).login("dsl")
    token = Auth(staff).csrf("/concerns/new")
    for n in range(1, count + 1):
        staff.post("/concerns/new", data={"category": "abusive_message", "occurred_at": "2026-11-25T10:30",
                                          "location": "Playground", "csrf_token": token,
                                          "account": f"Bench case {n}: unkind messages in a class chat " * 4})
    note_token = Auth(dsl).csrf("/concerns/1")
    for n in range(1, count + 1):
        dsl.post(f"/concerns/{n}", data={"concern_id": n, "kind": "note", "csrf_token": note_token,
                                         "body": f"Bench note {n}: spoke to the class teacher"})


def pull_until_readable(browser, server, count):
    """Return seconds from the start of a DSL's first pull until a case reads offline from the copy."""
    context = browser.new_context(**CONTEXT_ARGS)
    page = context.new_page()
    sign_in(page, server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    page.evaluate("async () => { const { wipePulled } = await import('pulled'); await wipePulled(); }")
    slow_down(context, page)
    started = time.perf_counter()
    held = page.evaluate("async () => Object.keys(await (await import('pulled')).pull()).length")
    context.set_offline(True)
    page.goto(f"{server.url}/concerns/{count}")
    expect(page.locator("[data-offline-case]")).to_contain_text(f"Bench case {count}:", timeout=60000)
    took = time.perf_counter() - started
    context.close()
    assert held >= count, f"the phone held {held} records, not {count}"
    return took


def report(what, seconds, budget):
    print(f"{what}: {seconds:.2f} s (budget {budget:.0f} s): ratio budget/time {budget / seconds:.2f}, "
          f"{verdict(budget / seconds)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    with school_and_phone() as (server, browser):
        add_dsl(server.app)
        context = browser.new_context(**CONTEXT_ARGS)
        sign_in(context.new_page(), server, "staff")
        storage_state = context.storage_state()
        context.close()
        print(f"a cheap phone: CPU slowed {CPU_RATE}x, {NETWORK['downloadThroughput'] * 8 // 1000} kbit/s, "
              f"{NETWORK['latency']} ms")
        report("concern form first load until usable", first_load(browser, storage_state, server.url), FIRST_LOAD_S)
        report("concern with three 3 MB photos, tap to saved on the phone", save_with_photos(browser, server), SAVE_S)
        open_cases(server.app, args.cases)
        report(f"DSL's pull of {args.cases} open cases until one reads offline",
               pull_until_readable(browser, server, args.cases), PULL_S)


if __name__ == "__main__":
    main()
