"""The soak: 16 phones pushing sealed items and 4 DSLs reading the queue through gunicorn as
`make run` starts it, with every server process killed (-9) half-way and started again. Counted,
not timed: every item is acknowledged, stored once, and the server never answered 500."""
import sqlite3

from tests.conftest import free_port

from .load import Gunicorn, Tally, run_load

PHONES, BATCHES, SIZE = 16, 6, 5


def test_killed_in_the_middle_of_a_busy_day_the_school_loses_and_doubles_nothing(app, tmp_path):
    config = {"DATABASE": app.config["DATABASE"], "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
              "SEALING_KEY_FOLDER": str(tmp_path / "sealing-keys"), "SECRET_KEY": "test-secret",
              "ASSETS_AUTO_BUILD": "false"}
    server = Gunicorn(config, free_port()).start()
    tally, kills = Tally(), []

    def kill_and_restart():
        server.kill_all()
        kills.append(len(tally.acknowledged))
        server.start()
    try:
        run_load(server.url, tally, PHONES, BATCHES, SIZE, midway=kill_and_restart)
    finally:
        server.stop()

    assert kills and 0 < kills[0] < PHONES * BATCHES * SIZE
    assert len(tally.acknowledged) == PHONES * BATCHES * SIZE
    assert set(tally.acknowledged.values()) <= {"stored", "duplicate"}
    assert 500 not in tally.statuses and set(tally.statuses) <= {200, 503}, tally.statuses
    assert tally.reads > 0
    conn = sqlite3.connect(app.config["DATABASE"])
    try:
        rows = [r[0] for r in conn.execute("SELECT item_id FROM concerns WHERE source = 'phone'")]
        assert len(rows) == len(set(rows))  # no doubles
        assert set(rows) == set(tally.acknowledged)  # rows = acknowledged items
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
