"""The installed app on the phone: service worker, manifest, capture forms that open with no network."""
import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def controlled(page):
    """Wait until the service worker controls the page and has kept the capture forms."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.locator("html")).to_have_attribute("data-offline-forms", re.compile(r"^[2-9]"))


def test_manifest_is_installable(page, live_server):
    response = page.request.get(f"{live_server.url}/manifest.webmanifest")
    manifest = json.loads(response.body())
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(live_server.url + icon["src"]).ok
    worker = page.request.get(f"{live_server.url}/service-worker.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert "const CONFIG" in worker.text()


def test_capture_forms_reload_offline(page, context, live_server):
    sign_in(page, live_server, "head")
    controlled(page)
    context.set_offline(True)
    for path, heading in [("/concerns/new", "Log a concern"), ("/requests/new", None)]:
        page.goto(live_server.url + path)
        expect(page.locator("form[data-outbox]")).to_have_count(1)
        assert "Helen Head" not in page.content()  # nothing personal in a kept page
    page.goto(live_server.url + "/concerns/queue")  # personal: never kept, so the phone page instead
    expect(page.get_by_role("heading", level=1)).to_have_text("This phone")
    assert_accessible(page)


def test_offline_blocks_the_workers_own_fetches(page, context, live_server):
    """Canary: with the network cut, the worker cannot reach the server for anything it did not keep."""
    sign_in(page, live_server, "staff")
    controlled(page)
    seen = []
    live_server.app.before_request_funcs.setdefault(None, []).append(
        lambda: seen.append(__import__("flask").request.path))
    context.set_offline(True)
    status = page.evaluate("""async () => {
        try { const r = await fetch('/static/icons/apple-touch-icon.png'); return r.status; }
        catch (e) { return 'failed'; } }""")
    assert status == "failed" and "/static/icons/apple-touch-icon.png" not in seen


def test_api_and_personal_pages_are_never_cached(page, live_server):
    sign_in(page, live_server, "dsl")
    controlled(page)
    page.goto(live_server.url + "/concerns/queue")
    cached = page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) out.push(new URL(request.url).pathname);
        }
        return out; }""")
    assert not [p for p in cached if p.startswith("/api/") or p in ("/", "/concerns/queue", "/concerns/mine")]
    assert "/concerns/new" in cached
