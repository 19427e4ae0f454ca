"""Weigh the first load of each capture form and time an offline reload until the form can be used.

Budget (DESIGN.md section 6): the first load of a capture form is at most 30 KB of compressed
HTML+CSS+JS, and an offline reload is usable within 300 ms. The real app runs on a temporary
database in a thread and Debian's headless Chromium signs in through the sign-in page.
1. Size: each form (/concerns/new, /requests/new) is opened in a fresh browser context that has
   only the session cookie (empty HTTP cache, no service worker), every response the page loads is
   recorded, and the HTML document plus every stylesheet and script (modules imported through the
   import map included) is gzipped at level 6 with Python's gzip module and summed.
2. Offline reload: once the service worker controls the page and keeps the forms, the phone goes
   offline and /concerns/new is reloaded several times, with the worker running and after stopping
   it (a cold start, as after the phone has been idle). Usable = DOMContentLoaded and load are done,
   the submit button is enabled and the page's script has attached its submit handler to the form
   (without it an offline submit would be lost), all read from the page's own performance clock.
Prints each total or time and budget / measured (1.0 or more is within budget).
Run: .venv/bin/python bench/first_load.py [--reloads N]
"""
import argparse
import gzip
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect  # noqa: E402

from bench.offline_delivery import CONTEXT_ARGS, school_and_phone, verdict  # noqa: E402
from tests.browser.conftest import sign_in  # noqa: E402
from tests.browser.phone import ready_offline  # noqa: E402

BUDGET_KB = 30.0
BUDGET_MS = 300.0
FORMS = ["/concerns/new", "/requests/new"]
WEIGHED = {"document", "stylesheet", "script"}
# Note when the page's script attaches the submit handler to a capture form.
MARK_FORM_READY = """(() => {
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, listener, options) {
        if (type === "submit" && this instanceof HTMLFormElement && "outbox" in this.dataset
                && window.__formReadyAt === undefined) window.__formReadyAt = performance.now();
        return add.call(this, type, listener, options);
    };
})()"""
USABLE_AT = """() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return {dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, form: window.__formReadyAt,
            type: nav.type};
}"""


def weigh(browser, storage_state, base, path):
    """Open path in a fresh context holding only the session; return what it loaded, and sizes.

    Returns ([(resource type, path, raw bytes, gzipped bytes, content-encoding, bytes as served)],
    worker gzipped).
    """
    context = browser.new_context(storage_state=storage_state, **CONTEXT_ARGS)
    page = context.new_page()
    loaded = []
    page.on("response", lambda r: loaded.append(r) if r.request.resource_type in WEIGHED else None)
    page.goto(base + path, wait_until="networkidle")
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)  # the session was kept
    sizes = []
    for response in loaded:
        body = response.body()
        sizes.append((response.request.resource_type, response.url.split("/", 3)[3], len(body),
                      len(gzip.compress(body, compresslevel=6)),
                      response.headers.get("content-encoding"),
                      response.request.sizes()["responseBodySize"]))
    worker = page.request.get(base + "/service-worker.js").body()
    context.close()
    return sizes, len(gzip.compress(worker, compresslevel=6))


def report_weight(path, sizes, worker):
    """Print what the page loaded and its gzipped total against the budget."""
    total = sum(s[3] for s in sizes) / 1024
    print(f"first load of {path}: {len(sizes)} files")
    for kind, name, raw, packed, encoding, wire in sizes:
        served = "" if encoding is None else f" (served {encoding}, {wire / 1024:.1f} KB)"
        print(f"  {kind:<10} /{name[:44]:<44} {raw / 1024:5.1f} KB raw, "
              f"{packed / 1024:4.1f} KB gzip{served}")
    print(f"  total {total:.1f} KB gzip-6 HTML+CSS+JS (budget {BUDGET_KB:.0f} KB): "
          f"ratio budget/total {BUDGET_KB / total:.2f}, {verdict(BUDGET_KB / total)}")
    served = sum(s[5] for s in sizes) / 1024
    plain = sum(s[2] for s in sizes) / 1024
    print(f"  as the app served it: {served:.1f} KB of {plain:.1f} KB raw (budget {BUDGET_KB:.0f} KB): "
          f"ratio budget/served {BUDGET_KB / served:.2f}, {verdict(BUDGET_KB / served)}")
    print(f"  not counted: the service worker script, {worker / 1024:.1f} KB gzip, fetched in the "
          "background; it then keeps the assets and forms for offline use")


def reload_until_usable(page, cdp, cold):
    """Reload the page offline; return ms from the start of navigation until the form is usable."""
    if cold:
        cdp.send("ServiceWorker.stopAllWorkers")
    page.reload(wait_until="load")
    page.wait_for_function("() => window.__formReadyAt !== undefined")
    expect(page.get_by_role("button", name="Send to the DSLs")).to_be_enabled()
    marks = page.evaluate(USABLE_AT)
    assert marks["type"] == "reload", marks
    return max(marks["dom"], marks["load"], marks["form"])


def time_offline_reloads(browser, storage_state, url, reloads):
    """Let the service worker keep the forms, go offline, and time reloads warm and cold."""
    context = browser.new_context(storage_state=storage_state, **CONTEXT_ARGS)
    page = context.new_page()
    page.goto(url)
    ready_offline(page)
    context.add_init_script(MARK_FORM_READY)
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    context.set_offline(True)
    runs = (("service worker running", False), ("service worker stopped first", True))
    times = {label: [reload_until_usable(page, cdp, cold) for _ in range(reloads)]
             for label, cold in runs}
    context.close()
    return times


def report_reloads(path, times):
    """Print the median and worst reload times against the budget."""
    for label, samples in times.items():
        median, worst = statistics.median(samples), max(samples)
        print(f"offline reload of {path} until usable, {label}, {len(samples)} reloads: "
              f"median {median:.0f} ms, worst {worst:.0f} ms (budget {BUDGET_MS:.0f} ms): "
              f"ratio budget/median {BUDGET_MS / median:.2f}, "
              f"budget/worst {BUDGET_MS / worst:.2f}, {verdict(BUDGET_MS / median)} at the median")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reloads", type=int, default=10)
    args = parser.parse_args()
    with school_and_phone() as (server, browser):
        context = browser.new_context(**CONTEXT_ARGS)
        sign_in(context.new_page(), server, "staff")
        storage_state = context.storage_state()
        context.close()
        for path in FORMS:  # each weighed on its own first load
            report_weight(path, *weigh(browser, storage_state, server.url, path))
        times = time_offline_reloads(browser, storage_state, server.url + FORMS[0], args.reloads)
        report_reloads(FORMS[0], times)


if __name__ == "__main__":
    main()
