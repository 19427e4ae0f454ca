"""Every configuration key the app reads, with its default and what it is for."""
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Config, Flask

ROOT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS = [
    Setting("SECRET_KEY", None,
            "Signs session cookies and CSRF tokens. Generated into instance/secret_key on first start if unset."),
    Setting("DATABASE", "instance/webapp.db", "Path of the SQLite database file."),
    Setting("UPLOAD_FOLDER", "instance/uploads", "Folder for evidence attached to concerns (never under static/)."),
    Setting("SCHOOL_NAME", "New Ash Green Primary School", "Shown at the top of every page and in emails."),
    Setting("SCHOOL_TIMEZONE", "Europe/London", "Times are stored in UTC and shown and entered in this zone."),
    Setting("SESSION_IDLE_MINUTES", 30, "A session ends after this many minutes without a request."),
    Setting("SESSION_ABSOLUTE_HOURS", 12, "A session ends this many hours after sign-in, however active."),
    Setting("LOGIN_WINDOW_MINUTES", 15, "Failed sign-ins are counted over this sliding window."),
    Setting("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5,
            "Failures allowed in the window for one email from one network address."),
    Setting("LOGIN_MAX_FAILURES_PER_ACCOUNT", 20, "Failures allowed in the window for one email from anywhere."),
    Setting("LOGIN_MAX_FAILURES_PER_ADDRESS", 30, "Failures allowed in the window from one network address."),
    Setting("TWO_FACTOR_REQUIRED", "auto",
            "Whether people holding a role in TWO_FACTOR_ROLES must sign in with a code from an authenticator "
            "app: true, false, or auto (required in a real school's installation, not in a demo's)."),
    Setting("TWO_FACTOR_ROLES", "dsl, head, governor, admin, chair",
            "Roles whose holders need a second factor to sign in (comma-separated)."),
    Setting("TWO_FACTOR_MAX_FAILURES", 5,
            "Wrong codes allowed for one account within LOGIN_WINDOW_MINUTES before code entry pauses."),
    Setting("KEY_REGISTRATION_MINUTES", 10,
            "A phone's signing key can be registered only this many minutes after a full sign-in."),
    Setting("DEVICE_COOKIE_DAYS", 180,
            "A browser that signed in to an account is recognised for this many days, and sign-in limits "
            "caused by strangers' failures do not apply to it."),
    Setting("PASSKEY_RP_ID", "",
            "The domain passkeys are made for (WebAuthn relying party id). Empty: the host name each request "
            "came to, which is right unless the app moves to another address."),
    Setting("PASSWORD_RESET_MINUTES", 30, "How long an emailed password-reset link works (once)."),
    Setting("MAX_CONTENT_LENGTH", 16 * 1024 * 1024, "Largest request body accepted, in bytes."),
    Setting("PROXY_COUNT", 0,
            "Number of reverse proxies in front of the app (sets X-Forwarded-* trust; 1 behind nginx or Caddy)."),
    Setting("SESSION_COOKIE_SECURE", False,
            "Always mark the session cookie Secure. It is marked Secure anyway on any HTTPS request."),
    Setting("BASE_URL", "http://127.0.0.1:5000", "Address of the app as staff reach it; used for links in emails."),
    Setting("SMTP_HOST", None, "Mail server for notifications. Without it no email is sent and the app still works."),
    Setting("SMTP_PORT", 25, "Mail server port."),
    Setting("SMTP_USERNAME", None, "Mail server user name, if it needs one."),
    Setting("SMTP_PASSWORD", None, "Mail server password, if it needs one."),
    Setting("SMTP_STARTTLS", False, "Upgrade the mail connection with STARTTLS."),
    Setting("MAIL_FROM", "safeguarding@school.invalid", "Sender address of notification emails."),
    Setting("MAIL_RETRY_SECONDS", 60, "Wait after an email's first failed attempt; it doubles after each failure."),
    Setting("MAIL_RETRY_MAX_SECONDS", 3600, "Longest wait between two attempts at one email."),
    Setting("MAIL_TIMEOUT_SECONDS", 30, "How long the mail sender waits for the mail server before trying later."),
    Setting("MAIL_POLL_SECONDS", 5, "How often the mail sender looks for new emails to send."),
    Setting("ASSETS_AUTO_BUILD", True, "Rebuild CSS and JavaScript bundles when their sources change."),
    Setting("SEALING_KEY_FOLDER", "instance/sealing-keys",
            "Folder of the keys that open items sealed on phones (current and retired; keep them all, back them up)."),
    Setting("SYNC_MAX_ITEMS_PER_PUSH", 500, "Most items a phone may send in one push."),
    Setting("SYNC_MAX_PUSH_BYTES", 64 * 1024 * 1024,
            "Largest push a phone may send, in bytes: room for one sealed concern with every picture at its largest."),
    Setting("SYNC_RETRY_AFTER_SECONDS", 5,
            "Seconds a phone is asked to wait (Retry-After) when the server is busy; six times this after a fault."),
    Setting("SYNC_UNBOUND_ACCEPTED_UNTIL", "2027-01-31",
            "Last day (YYYY-MM-DD) on which items sealed by an older version of the phone app, without their item "
            "and author in the sealed header, are still accepted (marked as such). Empty: never."),
    Setting("SYNC_QUARANTINE_ITEMS_PER_DAY", 50,
            "Most items one account (or one school phone) may have kept aside for DSLs in a school day; a push "
            "that would keep more aside is refused whole (429) and its phone keeps every item until the next day."),
    Setting("SYNC_QUARANTINE_BYTES_PER_DAY", 20 * 1024 * 1024,
            "Most bytes of items one account (or one school phone) may have kept aside for DSLs in a school day, "
            "refused the same way beyond it."),
    Setting("SYNC_WAITING_ALERT_HOURS", 24, "A phone holding unsent items longer than this is flagged to DSLs."),
    Setting("SCHOOL_PHONE_REQUESTS_PER_MINUTE", 60,
            "Most requests one enrolled school phone may make in a minute to the routes that need nobody signed in "
            "(its staff list, its pushes); requests naming no enrolled phone count per network address. Beyond it "
            "the phone is answered 429 with Retry-After and keeps everything. Counted in each server process."),
    Setting("AUDIT_REPEAT_MINUTES", 5,
            "On /audit, repeats of one access by one person within this many minutes show as one line with a count."),
    Setting("SYNC_FAULTS_ENABLED", False,
            "Let tests make pushes fail on purpose. Never turn this on for a real school."),
]


def defaults():
    """Return the default value of every setting."""
    return {s.name: s.default for s in SETTINGS}

# Variables the `flask` command itself reads (FLASK_APP, FLASK_RUN_PORT...): not settings, never refused.
FLASK_COMMAND_VARIABLES = ("APP", "DEBUG", "ENV", "SKIP_DOTENV")
FLASK_COMMAND_PREFIX = "RUN_"


class UnknownSetting(RuntimeError):
    """A configuration file or environment variable names a setting the app does not have."""


# Settings an older version read and this one ignores: a school's config.py may still set them.
RETIRED = {
    "SYNC_PULL_OVERLAP_SECONDS": "the pull cursor is a position in the change log, not a time",
}


def known_names():
    """Return every key a school may set: the app's settings, retired ones and Flask's own (SERVER_NAME...)."""
    return {s.name for s in SETTINGS} | set(RETIRED) | set(Flask.default_config)


def from_instance_and_environment(instance_path):
    """Return the settings of instance/config.py, then FLASK_ variables; refuse any unknown key."""
    found = Config(instance_path)
    found.from_pyfile("config.py", silent=True)
    refuse_unknown(found, "instance/config.py sets {name}")
    environment = Config(instance_path)
    environment.from_prefixed_env()
    for name in list(environment):
        if name in FLASK_COMMAND_VARIABLES or name.startswith(FLASK_COMMAND_PREFIX):
            del environment[name]
    refuse_unknown(environment, "the environment variable FLASK_{name} is set")
    found.update(environment)
    return found


def refuse_unknown(config, where):
    """Stop with a message naming the first unknown key, and the setting it is probably meant to be."""
    known = known_names()
    for name in sorted(config):
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise UnknownSetting(f"{where.format(name=name)}, but {name} is not a setting.{hint} "
                                 "Every setting is listed in README.md under Settings.")
