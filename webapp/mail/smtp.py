"""Talk to the configured SMTP server: one connection a pass, one message a row."""
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime

from ..clock import parse_iso

# What a failed attempt can raise: the connection, the protocol, or a refusal by the server.
SEND_ERRORS = (OSError, smtplib.SMTPException)


def build(row, cfg):
    """Turn an outbox row into an email carrying the row's own Message-ID."""
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = row["recipient"]
    msg["Subject"] = row["subject"]
    msg["Date"] = format_datetime(parse_iso(row["queued_at"]))
    msg["Message-ID"] = row["message_id"]
    msg.set_content(row["body"])
    return msg


def connect(cfg):
    """Open a connection to the mail server, upgraded and signed in as configured."""
    smtp = smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=float(cfg["MAIL_TIMEOUT_SECONDS"]))
    try:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USERNAME"]:
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def close(smtp):
    """Say goodbye to the server; a connection that already broke is just dropped."""
    try:
        smtp.quit()
    except SEND_ERRORS:
        smtp.close()
