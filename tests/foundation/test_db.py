"""Migrations on a fresh database, connection pragmas, and `flask init-db`."""
import pytest

from webapp.db import connect
from webapp.migrations import migrate, migration_sets


def test_fresh_database_gets_every_table(tmp_path):
    db = connect(str(tmp_path / "fresh.db"))
    applied = migrate(db)
    assert applied >= 1
    assert {"users", "user_roles", "sessions", "login_attempts"} <= set(db.table_names())
    assert migrate(db) == 0  # idempotent
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_every_migration_set_is_recorded(tmp_path):
    db = connect(str(tmp_path / "fresh.db"))
    migrate(db)
    recorded = {r["migration_set"] for r in db.query("SELECT migration_set FROM _sqlite_migrations")}
    assert recorded == {m.name for m in migration_sets()}


def test_connection_is_durable_and_enforces_foreign_keys(tmp_path):
    db = connect(str(tmp_path / "p.db"))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_foreign_keys_refuse_roles_for_nobody(app, db):
    import sqlite3
    import pytest
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO user_roles (user_id, role) VALUES (999, 'staff')")


def test_init_db_command_is_idempotent(tmp_path):
    from webapp import create_app
    app = create_app({"SECRET_KEY": "x", "DATABASE": str(tmp_path / "cli.db")})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0 and "0 migration(s) applied" in second.output
    assert "users" in connect(str(tmp_path / "cli.db")).table_names()


def test_a_write_block_holds_the_write_lock_from_its_first_read(tmp_path):
    """Inside `atomic()` nobody else can start writing, so a read followed by a write never meets a
    "database is locked" from a commit that slipped in between."""
    import sqlite3

    from webapp.db import connect
    path = str(tmp_path / "lock.db")
    db = connect(path)
    db.execute("CREATE TABLE t (n INTEGER)")
    db.conn.commit()
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with db.atomic():
        db.execute("SELECT count(*) FROM t").fetchone()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (1)")
    other.execute("BEGIN IMMEDIATE")  # free again once the block committed
    other.execute("ROLLBACK")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    with pytest.raises(ValueError), db.atomic():
        db.execute("INSERT INTO t VALUES (2)")
        raise ValueError("undo")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 1
