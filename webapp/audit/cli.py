"""`flask verify-audit`: check the audit log's hash chain and name the first broken entry."""
import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import connect
from . import store
from .chain import first_break


@click.command("verify-audit")
@with_appcontext
def verify_audit_command():
    """Check that no audit entry was changed, removed or slipped in since it was written."""
    db = connect(current_app.config["DATABASE"])
    try:
        broken = first_break(store.chained_rows(db))
        count, last_hash = store.head(db)
    finally:
        db.conn.close()
    if broken is not None:
        entry_id, why = broken
        click.echo(f"The audit log is broken at entry {entry_id}: {why}.", err=True)
        raise SystemExit(1)
    click.echo(f"The audit log holds: {count} entries, each chained to the one before.")
    click.echo(f"Last entry's hash: {last_hash}")
    click.echo("Note it down: finding it again later shows that nothing was cut off the end.")
