"""Tell the DSLs once about a phone that has held items too long: which phone, never what it holds."""
from datetime import timedelta

from flask import current_app

from ..auth.store import users_with_role
from ..clock import display, iso, parse_iso
from ..sync import store as sync_store
from ..sync.views import short_phone
from .outbox import mail_configured, send_mail

SUBJECT = "A phone has items waiting to send"


def stale(phones, cutoff):
    """Return the phones that have held unsent items since before the cutoff."""
    found = []
    for phone in phones:
        try:
            oldest = parse_iso(phone["oldest_waiting_at"]) if phone["oldest_waiting_at"] else None
        except (TypeError, ValueError):
            oldest = None
        if phone["waiting_count"] and oldest is not None and oldest < cutoff:
            found.append(phone)
    return found


def message(phone):
    """Write the alert: the phone, who last used it and since when; nothing of the items."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return "\n".join([
        f"The phone \u201c{short_phone(phone['device_id'])}\u201d has had {phone['waiting_count']} item(s) waiting to "
        f"send since {display(phone['oldest_waiting_at'])}.",
        f"It last reached the school's server on {display(phone['last_sync_at'])}"
        + (f", when {phone['user_name']} was signed in on it." if phone.get("user_name") else "."),
        "", "Please find the phone and open the app on it where there is signal, so that what it holds "
        "is delivered. Until then the school has not received it.", "",
        f"Phones and their waiting items: {base}/sync/phones", "",
        "What the items say is never put in an email."])


def alert_stale_phones(db, now):
    """Queue one alert to the DSLs for each phone newly past the waiting limit; return how many."""
    if not mail_configured():
        return 0
    cutoff = now - timedelta(hours=float(current_app.config["SYNC_WAITING_ALERT_HOURS"]))
    dsls = [p["email"] for p in users_with_role(db, "dsl")]
    queued = 0
    for phone in stale(sync_store.phones(db), cutoff):
        with db.atomic():  # the mark and the emails commit together, or neither does
            cursor = db.execute("INSERT OR IGNORE INTO phone_alerts (device_id, oldest_waiting_at, alerted_at) "
                                "VALUES (?, ?, ?)", [phone["device_id"], phone["oldest_waiting_at"], iso(now)])
            if cursor.rowcount == 1 and send_mail(dsls, SUBJECT, message(phone), db=db):
                queued += 1
    return queued
