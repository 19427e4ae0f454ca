"""The service worker's own promises: updates offered once, Background Sync, attachments offline."""
import base64
import hashlib

from playwright.sync_api import expect

import webapp.pwa
from tests.browser.conftest import sign_in
from tests.browser.phone import fill_concern, fire_background_sync, outbox_count, ready_offline, rows, wait_for_rows
from tests.browser.test_offline_leads import web_concern

CACHE_NAMES = "caches.keys()"
# A real 1x1 PNG, as a phone's screenshot would be (only much smaller).
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_new_version_is_offered_and_reloads_once(page, live_server, tmp_path, monkeypatch):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    old = [n for n in page.evaluate(CACHE_NAMES) if n.startswith("app-static-")]
    newer = tmp_path / "sw.js"
    newer.write_text(webapp.pwa.SW_SOURCE.read_text() + "\n// a newer release\n")
    monkeypatch.setattr(webapp.pwa, "SW_SOURCE", newer)
    loads = []
    page.on("load", lambda: loads.append(1))
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true)")
    banner = page.get_by_text("A new version is ready.")
    expect(banner).to_be_visible()
    page.get_by_role("button", name="Reload to update").click()
    page.wait_for_event("load")
    expect(page.get_by_text("A new version is ready.")).to_be_hidden()
    names = page.evaluate(CACHE_NAMES)
    assert old and old[0] not in names and any(n.startswith("app-static-") for n in names)
    assert len(loads) == 1


def test_background_sync_delivers_without_a_page(page, context, live_server):
    app, url = live_server.app, live_server.url
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    fill_concern(page, url, "BGSYNC-1 a pupil found a worrying website",
                 category="other_online_safety", location="Computer suite")
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    page.goto("about:blank")                      # no page of the app is open to send it
    context.set_offline(False)
    fire_background_sync(page, context, url)
    delivered = wait_for_rows(app, "SELECT reporter_id FROM concerns WHERE account LIKE 'BGSYNC-1%'", [], 1)
    assert delivered == [{"reporter_id": app.people["staff"]}]


def test_attachment_taken_offline_is_sealed_and_delivered(page, context, live_server):
    app, url = live_server.app, live_server.url
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    fill_concern(page, url, "ATTACH-1 screenshot of the message attached",
                 category="abusive_message", location="Year 6 classroom",
                 picture=("message.png", PNG))
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    assert outbox_count(page) == 1
    context.set_offline(False)
    concern = wait_for_rows(app, "SELECT id FROM concerns WHERE account LIKE 'ATTACH-1%'", [], 1)[0]
    files = rows(app, "SELECT filename, content_type, sha256 FROM concern_attachments WHERE concern_id = ?",
                 [concern["id"]])
    assert files == [{"filename": "message.png", "content_type": "image/png",
                      "sha256": hashlib.sha256(PNG).hexdigest()}]


def test_oversized_attachment_is_refused_before_sealing(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    page.goto(f"{live_server.url}/concerns/new")
    limit = int(page.locator("input[name=attachments]").get_attribute("data-max-bytes"))
    page.locator("#category-abusive_message").check()
    page.get_by_label("Where did it happen?").fill("Hall")
    page.get_by_label("What happened?").fill("ATTACH-2 too big")
    page.locator("input[name=attachments]").set_input_files(
        {"name": "huge.png", "mimeType": "image/png", "buffer": PNG + b"\0" * limit})
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("alert")).to_contain_text("too large")
    expect(page.get_by_label("What happened?")).to_have_value("ATTACH-2 too big")
    assert outbox_count(page) == 0


def test_big_items_travel_in_separate_pushes(page, context, live_server):
    from tests.browser.test_offline_outbox import count_pushes
    app, url = live_server.app, live_server.url
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    picture = PNG + b"\0" * (3 * 1024 * 1024)          # about 4 MB once sealed and encoded
    for n in (1, 2):
        page.goto(f"{url}/concerns/new")
        page.locator("#category-abusive_message").check()
        page.get_by_label("Where did it happen?").fill("Year 3 classroom")
        page.get_by_label("What happened?").fill(f"BIG-{n} screenshots of messages")
        page.locator("input[name=attachments]").set_input_files(
            {"name": f"big-{n}.png", "mimeType": "image/png", "buffer": picture})
        page.get_by_role("button", name="Send to the DSLs").click()
        expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    pushes = count_pushes(app)
    context.set_offline(False)
    wait_for_rows(app, "SELECT id FROM concerns WHERE account LIKE 'BIG-%'", [], 2, timeout=30)
    assert len(rows(app, "SELECT id FROM concern_attachments")) == 2
    assert len(pushes) == 2


def test_no_picture_is_kept_for_suspected_illegal_content(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    fill_concern(page, live_server.url, "ILLEGAL-1 saw something on a phone",
                 category="illegal_content", location="Staffroom",
                 picture=("evidence.png", PNG))
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("alert")).to_contain_text("must never be copied")
    expect(page.get_by_label("What happened?")).to_have_value("ILLEGAL-1 saw something on a phone")
    assert outbox_count(page) == 0


def test_a_file_that_is_not_a_picture_is_refused_on_the_phone(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    fill_concern(page, live_server.url, "FAKE-1 renamed text file",
                 category="abusive_message", location="Hall",
                 picture=("fake.png", b"just some text, not a picture"))
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("alert")).to_contain_text("fake.png is not a picture")
    assert outbox_count(page) == 0


def test_an_item_set_aside_by_the_server_is_reported_on_the_phone(page, context, live_server):
    app, url = live_server.app, live_server.url
    sign_in(page, live_server, "dsl")  # the DSL closes a case that has none of what closing needs
    ready_offline(page)
    concern_id = web_concern(app, "ASIDE-1 nothing recorded yet")
    page.goto(f"{url}/concerns/entry?concern={concern_id}")
    page.get_by_label("What are you recording?").select_option("closed")
    page.get_by_role("button", name="Add to the chronology").click()
    expect(page.locator("[data-outbox-status]")).to_contain_text("could not be accepted")
    assert rows(app, "SELECT status FROM sync_items") == [{"status": "quarantined"}]
    assert outbox_count(page) == 0
