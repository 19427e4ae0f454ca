"""The school's load through gunicorn as `make run` serves it: p95 push latency and items/s.

16 phones push sealed concerns (batches of 5) while 4 DSLs read the queue, against the budget of
DESIGN.md section 6: p95 push <= 1 s, 0 answers of 500, rows = acknowledged items.

    .venv/bin/python bench/soak.py [--phones 16] [--batches 20] [--size 5]
"""
import argparse
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402

from tests.conftest import PASSWORD, PEOPLE  # noqa: E402
from tests.soak.load import Gunicorn, Tally, run_load  # noqa: E402
from webapp.auth import store  # noqa: E402
from webapp.db import connect  # noqa: E402
from webapp.migrations import migrate  # noqa: E402

P95_BUDGET_SECONDS = 1.0


def school(folder):
    """Make a migrated database holding the test people; return the app's settings for it."""
    db = connect(str(folder / "school.db"))
    migrate(db)
    for email, name, roles in PEOPLE.values():
        user_id = store.create_user(db, email, name, PASSWORD, roles)
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                   [PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD), user_id])
    db.conn.close()
    return {"DATABASE": str(folder / "school.db"), "UPLOAD_FOLDER": str(folder / "uploads"),
            "SEALING_KEY_FOLDER": str(folder / "keys"), "SECRET_KEY": "bench", "ASSETS_AUTO_BUILD": "false"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=16)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--size", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="soak-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        config = school(folder)
        server = Gunicorn(config, free_port()).start()
        tally = Tally()
        try:
            elapsed, _ = run_load(server.url, tally, args.phones, args.batches, args.size)
        finally:
            server.stop()
        conn = sqlite3.connect(config["DATABASE"])
        rows = [r[0] for r in conn.execute("SELECT item_id FROM concerns")]
        conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(tally, elapsed, rows)


def report(tally, elapsed, rows):
    items = len(tally.acknowledged)
    p95 = statistics.quantiles(tally.push_seconds, n=20)[-1]
    print(f"{items} items from {len(tally.push_seconds)} pushes in {elapsed:.1f} s: {items / elapsed:.0f} items/s; "
          f"{tally.reads} queue reads by DSLs meanwhile")
    print(f"p95 push {p95 * 1000:.0f} ms (budget {P95_BUDGET_SECONDS * 1000:.0f} ms): "
          f"ratio {P95_BUDGET_SECONDS / p95:.2f}")
    print(f"answers: {dict(sorted(tally.statuses.items()))}; 500s: {tally.statuses.get(500, 0)}; "
          f"rows = acknowledged items: {sorted(rows) == sorted(tally.acknowledged)}; "
          f"doubles: {len(rows) - len(set(rows))}")


if __name__ == "__main__":
    main()
