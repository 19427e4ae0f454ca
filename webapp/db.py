"""One sqlite_utils.Database per request, durable and with foreign keys enforced."""
import contextlib
import os
import sqlite3

import click
from flask.cli import with_appcontext
import sqlite_utils
from flask import current_app, g


def connect(path):
    """Open the database with the pragmas every connection must have."""
    _create_private(path)
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return Database(conn)


class Database(sqlite_utils.Database):
    """sqlite_utils' Database whose outermost `atomic()` takes the write lock at once.

    SQLite's plain BEGIN reads from a snapshot and asks for the write lock only at the first write; if
    another connection committed in between, that write fails at once with "database is locked" (no
    waiting can help). BEGIN IMMEDIATE waits its turn (busy_timeout) instead. Nested blocks stay
    savepoints, as in sqlite_utils.
    """

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()  # a no-op if the error already ended the transaction
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def _create_private(path):
    """Create a new database file readable by the app's user only (SQLite gives its WAL the same mode)."""
    if path == ":memory:" or os.path.exists(path):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def refuse_changes(db, table, message):
    """Make the database itself refuse UPDATE and DELETE on a record table, saying `message`."""
    for action in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""")


def refuse_deletes_unless(db, table, message, allowed):
    """Replace a record table's DELETE refusal with one that lets through rows matching `allowed`.

    `allowed` is an SQL condition on OLD, true only inside the one transaction that carries out a
    headteacher's recorded decision to destroy a record (see webapp/concerns/erasure.py).
    """
    db.execute(f"DROP TRIGGER {table}_no_delete")
    db.execute(f"""
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN NOT ({allowed})
        BEGIN SELECT RAISE(ABORT, '{message}'); END""")


def get_db():
    """Return this request's database connection."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exc=None):
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply any pending migrations (safe to run again), then the domains' own first-run steps."""
    from .migrations import migrate
    applied = migrate(connect(current_app.config["DATABASE"]))
    click.echo(f"Database ready at {current_app.config['DATABASE']} ({applied} migration(s) applied).")
    for step in current_app.extensions["init_db_steps"]:
        click.echo(step())


def on_init_db(app, step):
    """Have `flask init-db` run step() after the migrations and print the line it returns."""
    app.extensions["init_db_steps"].append(step)


def init_app(app):
    app.extensions["init_db_steps"] = []
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
