"""`flask first-start`: mark the installation as a demo or a real school, once, and set it up."""
import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import connect
from ..settings import defaults
from . import store

DEMO_EMAILS = "%@demo.school"


def _existing_kind(db):
    """Name what an installation made before the marker existed was: demo people mean a demo."""
    if not db.execute("SELECT count(*) FROM users").fetchone()[0]:
        return None
    demo = db.execute("SELECT count(*) FROM users WHERE email LIKE ?", [DEMO_EMAILS]).fetchone()[0]
    return "demo" if demo else "school"


def _print_link(db, address):
    token = store.new_link(db)
    base = current_app.config["BASE_URL"]
    if address and base == defaults()["BASE_URL"]:  # not configured yet: where `make run` listens
        base = address
    link = base.rstrip("/") + f"/setup/{token}"
    click.echo("This is a real school: the database holds no demo records.")
    click.echo(f"Open this link within {store.LINK_HOURS} hours to create the first administrator's account "
               "(it works once):")
    click.echo(f"  {link}")


@click.command("first-start")
@click.option("--demo/--no-demo", default=True, help="Start a demo school (the default) or a real one.")
@click.option("--address", help="Where the app will listen, for the set-up link when BASE_URL is not set.")
@with_appcontext
def first_start_command(demo, address):
    """Set up a new installation as a demo school or a real one; later starts keep what it is."""
    db = connect(current_app.config["DATABASE"])
    try:
        kind = store.kind(db) or store.mark(db, _existing_kind(db) or ("demo" if demo else "school"))
        if kind == "demo":
            _seed_once(db)
            if not demo:
                click.echo("This installation was started as a demo school and stays one. For a real school, "
                           "start a new installation (empty instance/ folder) with `make run DEMO=0`.")
        elif not db.execute("SELECT count(*) FROM users").fetchone()[0]:
            _print_link(db, address)
        elif demo:
            click.echo("This is a real school: no demo records are ever added.")
    finally:
        db.conn.close()


def _seed_once(db):
    from ..seed import print_demo_people, seed_demo
    if db.execute("SELECT count(*) FROM users").fetchone()[0]:
        return
    print_demo_people(seed_demo(db))
