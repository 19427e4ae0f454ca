"""Turn audit entries into the lines a reader sees: only those they may see, repeats folded."""
from datetime import timedelta

from flask import current_app

from ..clock import parse_iso
import json

from .actions import action_label, detail_text, subject_label


def add_visibility_rule(app, rule):
    """Hide some entries from some readers: `rule(db, reader, entry)` returns False to hide one.

    A domain calls this from its init_app (for example to keep a case's lines from the member of
    staff it is about). With no rule, everyone allowed to read /audit sees every entry.
    """
    rules = app.extensions.setdefault("audit_visibility_rules", [])
    if rule not in rules:
        rules.append(rule)


def visible(db, reader, entries):
    """Return the entries every visibility rule lets this reader see."""
    rules = current_app.extensions.get("audit_visibility_rules", [])
    return [e for e in entries if all(rule(db, reader, e) for rule in rules)]


def folded(entries, window_minutes):
    """Fold repeats into one line with a count.

    Entries come newest first. An entry by the same person, of the same action on the same subject
    with the same detail, within `window_minutes` of the earliest entry already on that line, joins
    the line (other people's entries in between do not split it); lines keep the order of their
    newest entry.
    """
    window = timedelta(minutes=window_minutes)
    lines, open_lines = [], {}
    for entry in entries:
        at, key = parse_iso(entry["at"]), _key(entry)
        line = open_lines.get(key)
        if line is not None and line["first_at_dt"] - at <= window:
            line.update(count=line["count"] + 1, first_at=entry["at"], first_at_dt=at)
            continue
        line = {"count": 1, "last_at": entry["at"], "first_at": entry["at"], "first_at_dt": at,
                "actor": entry["actor_name"] or "The app", "action": action_label(entry["action"]),
                "subject": subject_label(entry["subject"]), "subject_key": entry["subject"],
                "detail": detail_text(json.loads(entry["detail"])),
                "entry_id": entry["id"]}
        open_lines[key] = line
        lines.append(line)
    return lines


def _key(entry):
    return entry["actor_id"], entry["action"], entry["subject"], entry["detail"]


def lines_for(db, reader, entries):
    """Return the lines this reader sees of these entries (newest first)."""
    return folded(visible(db, reader, entries), current_app.config["AUDIT_REPEAT_MINUTES"])
