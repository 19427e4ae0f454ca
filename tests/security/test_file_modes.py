"""The database and its WAL are created readable by the app's user only, like the keys."""
import os
import stat

from webapp.db import connect


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_wal_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "school.db"
        db = connect(str(path))
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
        assert os.path.exists(f"{path}-wal")
        assert {mode(path), mode(f"{path}-wal"), mode(f"{path}-shm")} == {0o600}
        db.conn.close()
    finally:
        os.umask(old)


def test_init_db_creates_a_private_database(fresh_installation):
    app = fresh_installation()
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    assert mode(app.config["DATABASE"]) == 0o600
