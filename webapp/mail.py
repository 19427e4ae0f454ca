"""Send notification emails through the configured SMTP server, if there is one."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def mail_configured():
    return bool(current_app.config.get("SMTP_HOST"))


def send_mail(to, subject, body):
    """Send one plain-text email; return False (and log) when mail is off or fails."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients or not mail_configured():
        return False
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=10) as smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls()
            if cfg["SMTP_USERNAME"]:
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send email %r", subject)
        return False
    return True
