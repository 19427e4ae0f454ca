"""`flask create-user`: add a person from the command line."""
import sys

import click
from flask.cli import with_appcontext
from flask import current_app

from ..db import connect
from . import store
from .passwords import password_problem


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(store.ROLES), help="A role; repeat for several.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, name, roles, password_stdin):
    """Create an account for EMAIL with one or more roles."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email, name)
    if problem:
        raise click.ClickException(problem)
    if "@" not in email or len(email) > 254:
        raise click.ClickException("Give a valid email address.")
    db = connect(current_app.config["DATABASE"])
    if store.get_user_by_email(db, email):
        raise click.ClickException(f"An account for {email} already exists.")
    user_id = store.create_user(db, email, name, password, roles)
    click.echo(f"Created {name} <{email.lower()}> (id {user_id}) with roles: {', '.join(roles)}.")
