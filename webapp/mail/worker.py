"""`flask send-mail`: send what the outbox holds, with retries and backoff; one sender at a time."""
import fcntl
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from ..clock import utcnow
from ..db import connect as connect_db
from . import outbox, smtp
from .stale_phones import alert_stale_phones

# Refusals that leave the connection usable for the next message.
REFUSED = (smtp.smtplib.SMTPRecipientsRefused, smtp.smtplib.SMTPSenderRefused, smtp.smtplib.SMTPDataError)


class SenderLock:
    """The one-sender lock: a file lock beside the database, dropped by the system if we die."""

    def __init__(self, database):
        self.file = open(database + ".mail-lock", "a")

    def acquire(self, wait):
        """Take the lock; return False at once if another sender has it and wait is False."""
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def release(self):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def send_pass(db, cfg, now=None):
    """Queue any stale-phone alerts, then try each due email once; return (sent, failed)."""
    now = now or utcnow()
    alert_stale_phones(db, now)
    rows = outbox.due(db, now) if outbox.mail_configured() else []
    result = _deliver(db, cfg, rows, now) if rows else (0, 0)
    outbox.note_pass(db, now)
    return result


def _deliver(db, cfg, rows, now):
    """Send the rows over one connection; each is claimed before and marked after it goes."""
    try:
        connection = smtp.connect(cfg)
    except smtp.SEND_ERRORS as error:
        for row in rows:
            if outbox.claim(db, row["id"], now):
                outbox.mark_failed(db, row, error, utcnow())
        return 0, len(rows)
    sent = failed = 0
    try:
        for row in rows:
            if not outbox.claim(db, row["id"], now):
                continue  # someone stopped it meanwhile
            try:
                connection.send_message(smtp.build(row, cfg))
            except REFUSED as error:
                outbox.mark_failed(db, row, error, utcnow())
                failed += 1
                continue
            except smtp.SEND_ERRORS as error:  # the connection broke: the rest wait for the next pass
                outbox.mark_failed(db, row, error, utcnow())
                return sent, failed + 1
            outbox.mark_sent(db, row["id"], utcnow())
            sent += 1
    finally:
        smtp.close(connection)
    return sent, failed


def run(db, cfg, stop, poll_seconds):
    """Send in passes until stop is set; a pass that fails is logged and the next one tries again."""
    while not stop.is_set():
        try:
            send_pass(db, cfg)
        except Exception:  # the database busy or a fault in our code: keep the worker alive
            current_app.logger.exception("The mail sender's pass failed; it will try again")
            db.rollback()
        stop.wait(poll_seconds)


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due once, then stop (for cron).")
@with_appcontext
def send_mail_command(once):
    """Send the emails waiting in the outbox (keeps running; --once for a single pass)."""
    cfg = current_app.config
    if not outbox.mail_configured():
        click.echo("No SMTP_HOST is set: no email is queued or sent until a mail server is configured.")
    lock = SenderLock(cfg["DATABASE"])
    if not lock.acquire(wait=not once):
        click.echo("Another mail sender is running: it will send what is waiting.")
        return
    db = connect_db(cfg["DATABASE"])
    try:
        released = outbox.release_unfinished(db)  # left half-sent by a sender that was stopped
        if released:
            click.echo(f"{released} email(s) a stopped sender had started will be sent again.")
        if once:
            sent, failed = send_pass(db, cfg)
            click.echo(f"{sent} email(s) sent, {failed} failed and will be tried again.")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        click.echo("Sending email from the outbox; stop with Ctrl-C.")
        run(db, cfg, stop, float(cfg["MAIL_POLL_SECONDS"]))
    finally:
        db.conn.close()
        lock.release()
