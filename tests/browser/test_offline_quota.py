"""When the school has kept aside as much as a day allows from a person (429), the phone sends its other
items one at a time, so an unreadable item cannot hold back a good concern until tomorrow."""
from tests.browser.conftest import sign_in
from tests.browser.phone import log_concern, outbox_count, ready_offline, rows, wait_for_rows, wait_until
from tests.browser.test_offline_push_limits import answers_to_pushes

# Spoil the one waiting item's sealed payload, as a damaged phone store would: the school cannot open it.
SPOIL_THE_ONE = """async () => {
    const { allItems, withStore } = await import("outbox");
    const [oldest] = await allItems();
    const middle = Math.floor(oldest.sealed.length / 2);
    const other = oldest.sealed[middle] === "A" ? "B" : "A";
    oldest.sealed = oldest.sealed.slice(0, middle) + other + oldest.sealed.slice(middle + 1);
    await withStore("outbox", "readwrite", (s) => s.put(oldest));
    return oldest.id;
}"""
CONCERNS_LIKE = "SELECT id FROM concerns WHERE account LIKE ?"


def test_a_phone_over_the_daily_cap_still_delivers_its_good_items(page, context, live_server):
    app = live_server.app
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "MARKER-CAP-SPOILT on the bus")
    spoilt = page.evaluate(SPOIL_THE_ONE)  # it cannot be opened, so it would be kept aside
    for n in range(2):
        log_concern(page, live_server.url, f"MARKER-CAP-GOOD-{n} seen on the field")
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 0  # nothing more may be kept aside from this person today
    answers = answers_to_pushes(app)

    context.set_offline(False)
    wait_for_rows(app, CONCERNS_LIKE, ["MARKER-CAP-GOOD-%"], 2)
    wait_until(lambda: outbox_count(page) == 1)  # the spoilt one waits on the phone, not deleted
    statuses = [status for status, _ in answers]
    assert 429 in statuses and 200 in statuses  # refused whole, then the good items in smaller pushes
    assert rows(app, "SELECT count(*) AS n FROM sync_items WHERE item_id = ?", [spoilt])[0]["n"] == 0

    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 50  # the next day's allowance: it is kept aside for a DSL
    page.get_by_role("button", name="Sync now").click()
    wait_until(lambda: outbox_count(page) == 0)
    kept = rows(app, "SELECT status FROM sync_items WHERE item_id = ?", [spoilt])
    assert kept == [{"status": "quarantined"}]
    assert len(rows(app, CONCERNS_LIKE, ["MARKER-CAP-%"])) == 2
