"""`flask seed-demo`: a demo school with one account per role, on the first run only."""
import secrets

import click
from flask.cli import with_appcontext
from flask import current_app

from .auth import store
from .db import connect

DEMO_PEOPLE = [
    ("teacher@demo.school", "Ms Alex Teacher", ["staff"]),
    ("dsl@demo.school", "Mrs Evans", ["staff", "dsl"]),
    ("deputy.dsl@demo.school", "Mrs Cain", ["staff", "dsl"]),
    ("head@demo.school", "Mr Sam Head", ["staff", "head"]),
    ("governor@demo.school", "Mr Glithero", ["governor"]),
    ("admin@demo.school", "Ms Office Manager", ["admin"]),
    ("chair@demo.school", "Mrs Chair of Governors", ["chair"]),
]


def demo_password():
    """Make a memorable random password of four words and digits."""
    words = ["maple", "river", "copper", "lantern", "meadow", "harbour", "pebble", "orchard",
             "violet", "thistle", "falcon", "willow", "saffron", "granite", "puffin", "acorn"]
    return "-".join(secrets.choice(words) for _ in range(3)) + f"-{secrets.randbelow(90) + 10}"


def seed_demo(db):
    """Create the demo people and each domain's demo records; return (email, password, roles)."""
    printed, people = [], {}
    for email, name, roles in DEMO_PEOPLE:
        password = demo_password()
        people[email] = store.create_user(db, email, name, password, roles)
        printed.append((email, password, roles))
    from .domains import DOMAINS
    smtp_host = current_app.config.get("SMTP_HOST")
    current_app.config["SMTP_HOST"] = None  # demo records queue no email to people who do not exist
    try:
        for domain in DOMAINS:
            if domain.seed_demo is not None:
                domain.seed_demo(db, people)
    finally:
        current_app.config["SMTP_HOST"] = smtp_host
    return printed


def print_demo_people(printed):
    """Show the demo accounts and their passwords (once: they are stored hashed)."""
    click.echo("Demo school created. These passwords are shown once only:")
    for email, password, roles in printed:
        click.echo(f"  {email:<26} {password:<34} {', '.join(roles)}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Seed a demo school if the database has nobody in it yet."""
    from .installation import store as installation
    db = connect(current_app.config["DATABASE"])
    if db.execute("SELECT count(*) FROM users").fetchone()[0]:
        click.echo("The database already has accounts: nothing seeded, every record kept.")
        return
    if installation.mark(db, "demo") != "demo":
        raise click.ClickException("This installation is a real school: demo records are never added to it.")
    print_demo_people(seed_demo(db))


def init_app(app):
    app.cli.add_command(seed_demo_command)
