"""Phones pushing and DSLs' and the head's phones pulling at once, through gunicorn's two workers as
`make run` starts it. Counted, not timed: no answer is a 500, every pushed item is acknowledged
exactly once and stored once, and every pulling phone ends up with every concern."""
import sqlite3
from collections import Counter

from tests.conftest import free_port

from .load import Gunicorn, Tally, run_pushes_and_pulls

PUSHERS, BATCHES, SIZE = 6, 4, 5
PULLERS = ["dsl", "dsl2", "head"]


def test_pushes_and_pulls_together_lose_double_and_skip_nothing(app, tmp_path):
    config = {"DATABASE": app.config["DATABASE"], "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
              "SEALING_KEY_FOLDER": str(tmp_path / "sealing-keys"), "SECRET_KEY": "test-secret",
              "ASSETS_AUTO_BUILD": "false"}
    server = Gunicorn(config, free_port()).start()
    tally = Tally()
    try:
        pullers = run_pushes_and_pulls(server.url, tally, PUSHERS, BATCHES, SIZE, PULLERS)
    finally:
        server.stop()

    assert 500 not in tally.statuses and set(tally.statuses) <= {200, 503}, tally.statuses
    assert tally.lost == 0
    answers = Counter(item for item, _ in tally.results)
    assert len(answers) == PUSHERS * BATCHES * SIZE
    assert set(answers.values()) == {1}  # each item answered once: nothing was sent twice
    assert {status for _, status in tally.results} == {"stored"}
    conn = sqlite3.connect(app.config["DATABASE"])
    try:
        rows = list(conn.execute("SELECT id, item_id FROM concerns WHERE source = 'phone'"))
        assert sorted(item for _, item in rows) == sorted(answers)  # stored once each, none missing
        for puller in pullers:
            assert puller.pulls > 1
            assert puller.seen == {concern_id for concern_id, _ in rows}  # the cursor skipped nothing
        phones = dict(conn.execute("SELECT device_id, waiting_count FROM phones WHERE device_id LIKE 'soak-%'"))
        assert len(phones) == PUSHERS + len(PULLERS)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
