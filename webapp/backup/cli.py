"""The commands: `backup DEST`, `verify-backup FOLDER`, `restore FOLDER`."""
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import with_appcontext

from . import check, layout, restore, sealed, snapshot
from .layout import Installation


def _passphrase(from_stdin):
    if not from_stdin:
        return None
    text = sys.stdin.readline().rstrip("\r\n")
    if not text:
        raise click.ClickException("No passphrase was given on standard input.")
    return text


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
@click.option("--passphrase-stdin", is_flag=True, help="Encrypt the backup to a passphrase read from standard input.")
@click.option("--recipient", "recipients", multiple=True, metavar="AGE_PUBLIC_KEY",
              help="Encrypt the backup to this age public key (age1...); may be given more than once.")
@with_appcontext
def backup_command(dest, passphrase_stdin, recipients):
    """Copy everything the school recorded into a new folder under DEST (safe while the app serves)."""
    passphrase = _passphrase(passphrase_stdin)
    try:
        age_recipients = sealed.recipients_from(recipients)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if passphrase and age_recipients:
        raise click.ClickException("Encrypt to a passphrase or to recipients, not both.")
    Path(dest).mkdir(parents=True, exist_ok=True)
    final = snapshot.new_folder(dest, snapshot.folder_name())
    plain = final.with_name(f".{final.name}.partial")
    try:
        missing = snapshot.make_plain(Installation.of(), plain)
        problems, counts = check.verify(plain)
        if problems or missing:
            _fail(["The backup is not complete:"] + [f"The attached picture uploads/{m} is missing on the server."
                                                     for m in missing] + problems)
        _print_counts(counts)
        if passphrase or age_recipients:
            final.mkdir(mode=0o700)
            sealed.seal(plain, final / layout.ENCRYPTED, passphrase, age_recipients)
            click.echo("Encrypted: open it with verify-backup or restore and the same "
                       + ("passphrase." if passphrase else "age secret key (--identity)."))
        else:
            plain.rename(final)
    finally:
        shutil.rmtree(plain, ignore_errors=True)
    click.echo(str(final.resolve()))


@contextmanager
def opened(folder, passphrase, identity):
    """Yield a plain folder for the backup: itself, or its encrypted archive unpacked for a moment."""
    folder = Path(folder)
    if not (folder / layout.ENCRYPTED).is_file():
        yield folder
        return
    if not passphrase and not identity:
        _fail([f"{folder} is encrypted: give --passphrase-stdin or --identity FILE."])
    with tempfile.TemporaryDirectory(prefix="school-restore-") as plain:
        try:
            identities = sealed.identities_from(identity) if identity else ()
            sealed.unseal(folder / layout.ENCRYPTED, plain, passphrase, identities)
        except (sealed.CannotOpen, OSError) as error:
            _fail([str(error)])
        yield Path(plain)


def _fail(lines):
    for line in lines:
        click.echo(line, err=True)
    raise SystemExit(1)


def _print_counts(counts):
    click.echo("Holds: " + ", ".join(f"{n} {label}" for label, n in counts.items()) + ".")


def _verified(plain):
    problems, counts = check.verify(plain)
    if problems:
        _fail([f"The backup {plain} fails the restore drill:"] + [f"  - {p}" for p in problems])
    return counts


identity_option = click.option("--identity", type=click.Path(dir_okay=False, exists=True),
                               help="File holding the age secret key the backup was encrypted to.")
passphrase_option = click.option("--passphrase-stdin", is_flag=True,
                                 help="Read the backup's passphrase from standard input.")


@click.command("verify-backup")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@passphrase_option
@identity_option
@with_appcontext
def verify_backup_command(folder, passphrase_stdin, identity):
    """Run the restore drill on a backup folder: exit non-zero naming anything missing or damaged."""
    with opened(folder, _passphrase(passphrase_stdin), identity) as plain:
        counts = _verified(plain)
        _print_counts(counts)
        click.echo(f"The backup {Path(folder).resolve()} is complete and can be restored.")


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@passphrase_option
@identity_option
@with_appcontext
def restore_command(folder, passphrase_stdin, identity):
    """Put a verified backup in place of instance/ (stop the app first); the replaced files are kept."""
    installation = Installation.of()
    if _sender_running(installation.database):
        _fail(["The app is running (its mail sender is): stop `make run` first, then restore."])
    with opened(folder, _passphrase(passphrase_stdin), identity) as plain:
        counts = _verified(plain)
        aside, moved = restore.restore(plain, installation)
    _print_counts(counts)
    if moved:
        click.echo(f"The files it replaced ({', '.join(moved)}) are kept in {aside}.")
    click.echo("Restored. Start the app with `make run`.")


def _sender_running(database):
    from ..mail.worker import SenderLock
    if not Path(str(database) + ".mail-lock").is_file():  # no sender has ever run here
        return False
    lock = SenderLock(str(database))
    if lock.acquire(wait=False):
        lock.release()
        return False
    lock.file.close()
    return True
