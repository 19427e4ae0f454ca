"""A case destroyed under the head's decision leaves the copies DSLs' and the head's phones keep."""
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
