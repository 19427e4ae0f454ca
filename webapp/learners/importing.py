"""Import the pupil list, all or nothing: the command line and the admin page share these steps."""
import secrets
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..clock import iso, local, utcnow
from ..db import get_db
from . import pupil_list, store


@dataclass
class Preview:
    read: pupil_list.PupilList
    new: list
    changed: list
    left: list


def today():
    """Return today's date in the school's time zone."""
    return local(utcnow()).date()


def preview(db, data):
    """Read a list's bytes and say what importing it would do, importing nothing."""
    read = pupil_list.read(data, today())
    if read.file_problem:
        return Preview(read, [], [], [])
    return Preview(read, *store.compare(db, read.pupils))


def import_list(db, data, user_id, filename):
    """Import the list if every row is good; return (Preview, counts or None)."""
    found = preview(db, data)
    if not found.read.good:
        return found, None
    counts = store.import_pupils(db, found.read.pupils, today().isoformat(), iso(utcnow()), user_id,
                                 filename)
    return found, counts


def waiting_folder():
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "pupil-lists"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_for_confirmation(data):
    """Keep an uploaded list until the person confirms it; return the token that names it."""
    token = secrets.token_hex(16)
    (waiting_folder() / f"{token}.csv").write_bytes(data)
    return token


def kept(token):
    """Return the path of a kept list (the token is checked as hex by the form)."""
    return waiting_folder() / f"{token}.csv"


def describe(found):
    """Return the lines the command prints about a preview."""
    lines = []
    if found.read.file_problem:
        return [found.read.file_problem]
    lines.append(f"{len(found.read.pupils)} good rows: {len(found.new)} new, {len(found.changed)} changed, "
                 f"{len(found.left)} would be marked as left.")
    for p in found.read.problems:
        lines.append(f"Row {p.row}, UPN {p.upn or '(none)'}: {p.message}.")
    return lines


@click.command("import-learners")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would change; import nothing.")
@with_appcontext
def import_learners_command(csv_file, dry_run):
    """Import the pupil list (CSV from the MIS): all rows, or none if any row is wrong."""
    data = Path(csv_file).read_bytes()
    db = get_db()
    found = preview(db, data) if dry_run else import_list(db, data, None, Path(csv_file).name)[0]
    for line in describe(found):
        click.echo(line)
    if not found.read.good:
        raise click.ClickException("Nothing was imported: correct the rows above and import again.")
    click.echo("Nothing was imported (dry run)." if dry_run else "Imported.")
