"""A case destroyed under the head's decision leaves the copies DSLs' and the head's phones keep."""
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.phone import pulled_ready, ready_offline, wait_until
from tests.browser.test_offline_leads import web_concern
from webapp.concerns import erasure
from webapp.db import connect

HELD = """async () => {
    const { readPulled } = await import("pulled");
    const { getState } = await import("outbox");
    const records = (await readPulled()) || {};
    return { keys: Object.keys(records), cursor: ((await getState("pulled")) || {}).cursor || null };
}"""


def destroy(app, concern_id):
    db = connect(app.config["DATABASE"])
    try:
        with db.atomic():
            erasure.destroy(db, [concern_id])
    finally:
        db.conn.close()


def test_a_destroyed_case_leaves_the_dsls_phone_at_its_next_pull(page, live_server):
    app, url = live_server.app, live_server.url
    kept = web_concern(app, "GONE-1 a case that stays")
    gone = web_concern(app, "GONE-2 a case destroyed after review")
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    before = page.evaluate(HELD)
    assert {f"concern:{kept}", f"concern:{gone}"} <= set(before["keys"])
    destroy(app, gone)
    page.goto(f"{url}/")  # the next online visit pulls
    wait_until(lambda: page.evaluate(HELD)["cursor"] != before["cursor"])
    after = page.evaluate(HELD)["keys"]
    assert f"concern:{gone}" not in after and f"concern:{kept}" in after



def stale_cursor(page, cursor):
    """Give the phone's kept copy a cursor of its own choosing (one the server no longer holds, or junk)."""
    page.evaluate("""async (cursor) => {
        const { getState, putState } = await import("outbox");
        await putState("pulled", { ...(await getState("pulled")), cursor });
    }""", cursor)


def pull_with(page, url, cursor):
    stale_cursor(page, cursor)
    page.goto(f"{url}/")  # the next online visit pulls
    wait_until(lambda: page.evaluate(HELD)["cursor"] != cursor)
    return page.evaluate(HELD)["keys"]


def test_a_destroyed_case_leaves_the_phone_when_the_server_answers_with_everything(page, context, live_server,
                                                                                   tmp_path):
    """After a restore the phone's cursor names nothing the server holds: it is sent everything, and keeps
    only that; a cursor the server refuses is dropped and everything pulled again."""
    app, url = live_server.app, live_server.url
    kept = web_concern(app, "GONE-3 a case that stays")
    gone = web_concern(app, "GONE-4 a case destroyed while the phone's cursor was stale")
    later = web_concern(app, "GONE-5 a case destroyed before a refused cursor")
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    assert {f"concern:{kept}", f"concern:{gone}", f"concern:{later}"} <= set(page.evaluate(HELD)["keys"])
    destroy(app, gone)
    after = pull_with(page, url, "999999999.0badc0de")  # a position this database never logged
    assert f"concern:{gone}" not in after and f"concern:{kept}" in after and f"concern:{later}" in after
    destroy(app, later)
    after = pull_with(page, url, "not a cursor at all")  # refused (400): dropped, and everything pulled
    assert f"concern:{later}" not in after and f"concern:{kept}" in after
    context.set_offline(True)
    page.goto(f"{url}/concerns/queue")
    queue = page.get_by_role("table", name="Concern queue")
    expect(queue.get_by_role("link", name=f"Add an entry to case {kept}")).to_be_visible()
    for destroyed in (gone, later):
        expect(queue.get_by_role("link", name=f"Add an entry to case {destroyed}")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "kept-only.png"), full_page=True)
