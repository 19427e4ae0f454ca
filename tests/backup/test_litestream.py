"""Continuous replication with Litestream: replicate to a local file replica while phones push,
restore to a new path with `litestream restore`, and find every acknowledged item there."""
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from .conftest import PushingPhone

LITESTREAM = str(Path(sys.executable).parent / "litestream")


def config(tmp_path, database):
    path = tmp_path / "litestream.yml"
    path.write_text(f"dbs:\n  - path: {database}\n    replicas:\n      - type: file\n"
                    f"        path: {tmp_path / 'replica'}\n        sync-interval: 100ms\n")
    return path


def restore(settings, database, target):
    """Restore the replica's latest state to a new file; return the item ids of its concerns."""
    done = subprocess.run([LITESTREAM, "restore", "-config", str(settings), "-o", str(target), database],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return None, done.stderr
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM concern_attachments").fetchone()[0] == \
            conn.execute("SELECT count(*) FROM concerns").fetchone()[0]
        return {r[0] for r in conn.execute("SELECT item_id FROM concerns")}, ""
    finally:
        conn.close()


def test_a_litestream_replica_restores_every_acknowledged_item(app, live, tmp_path):
    settings = config(tmp_path, app.config["DATABASE"])
    phone, other = PushingPhone(live.url), PushingPhone(live.url, "staff2", "second-phone")
    phone.push_one()  # the database is in WAL mode with rows before replication starts
    replicating = subprocess.Popen([LITESTREAM, "replicate", "-config", str(settings)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        pushers = [threading.Thread(target=lambda p=p: [p.push_one() for _ in range(8)]) for p in (phone, other)]
        for pusher in pushers:
            pusher.start()
        for pusher in pushers:
            pusher.join()
        acknowledged = {item_id for p in (phone, other) for item_id, _ in p.acknowledged}
        assert len(acknowledged) == 17
        # The replica catches up within a few of its 100 ms syncs; try restoring until it has (counted).
        for attempt in range(300):
            found, error = restore(settings, app.config["DATABASE"], tmp_path / f"restored-{attempt}.db")
            if found == acknowledged:
                break
            assert found is None or found <= acknowledged, "the replica holds items nobody acknowledged"
            time.sleep(0.1)
        assert found == acknowledged, error
    finally:
        replicating.send_signal(signal.SIGTERM)
        replicating.communicate(timeout=60)
