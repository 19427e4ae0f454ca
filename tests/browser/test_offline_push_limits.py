"""A push the server finds too big (413) makes the phone send smaller batches, down to one item;
an item too big on its own stays on the phone while the others go."""
from flask import request

from tests.browser.conftest import sign_in
from tests.browser.phone import log_concern, outbox_count, ready_offline, rows, wait_for_rows, wait_until

OUTBOX_ITEMS = """async () => {
    const { allItems } = await import("outbox");
    return (await allItems()).map((item) => JSON.stringify(item).length);
}"""
CONCERNS_LIKE = "SELECT id FROM concerns WHERE account LIKE ?"


def answers_to_pushes(app):
    """Return a list of (status, number of items) for every push the server answers."""
    seen = []

    def note(response):
        if request.path == "/api/sync/push":
            answered = response.get_json(silent=True) or {}  # the body itself is read once, not kept
            seen.append((response.status_code, len(answered["results"]) if "results" in answered else None))
        return response
    app.after_request_funcs.setdefault(None, []).append(note)
    return seen


def test_a_batch_too_big_for_the_server_goes_in_smaller_pushes(page, context, live_server):
    app = live_server.app
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    for n in range(3):
        log_concern(page, live_server.url, f"MARKER-413-SMALL-{n} seen on the field")
    log_concern(page, live_server.url, "MARKER-413-BIG " + "a long account " * 600)
    sizes = sorted(page.evaluate(OUTBOX_ITEMS))
    small, big = sizes[:3], sizes[3]
    limit = max(small) + 400  # room for one small item and the push around it, never for two
    assert 2 * min(small) > limit and big > limit
    app.config["SYNC_MAX_PUSH_BYTES"] = limit
    answers = answers_to_pushes(app)

    context.set_offline(False)
    wait_for_rows(app, CONCERNS_LIKE, ["MARKER-413-SMALL-%"], 3)
    wait_until(lambda: outbox_count(page) == 1)  # the big one is kept, not deleted
    assert rows(app, CONCERNS_LIKE, ["MARKER-413-BIG%"]) == []
    assert (413, None) in answers and (200, 1) in answers

    app.config["SYNC_MAX_PUSH_BYTES"] = 64 * 2 ** 20  # the school raises its limit: the big one goes too
    page.get_by_role("button", name="Sync now").click()
    wait_for_rows(app, CONCERNS_LIKE, ["MARKER-413-BIG%"], 1)
    wait_until(lambda: outbox_count(page) == 0)
    assert len(rows(app, CONCERNS_LIKE, ["MARKER-413-%"])) == 4
