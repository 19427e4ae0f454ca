"""What an audit entry can record, each with the words people read on /audit."""

ACTIONS = {
    "case.view": "Viewed a case",
    "attachment.open": "Opened a picture",
    "queue.search": "Searched the concern queue",
    "chronology.export": "Exported a chronology",
    "learner.view": "Viewed a child's record",
    "learner.destroy": "Destroyed a child's record (the headteacher's decision after review)",
    "report.view": "Viewed the governors' report",
    "report.csv": "Downloaded the governors' report as CSV",
    "audit.view": "Viewed the audit log",
    "sign_in": "Signed in",
    "sign_in.failed": "Failed to sign in",
    "password.change": "Changed their password",
    "password.reset": "Set a temporary password",
    "two_factor.setup": "Set up two-factor sign-in",
    "two_factor.reset": "Reset someone's two-factor sign-in",
    "key.register": "Registered a phone's signing key",
    "key.revoke": "Revoked a phone's signing key",
    "account.create": "Created an account",
    "account.deactivate": "Ended an account's access",
    "role.grant": "Gave a role",
    "role.remove": "Removed a role",
}

# How a subject ("kind:id") is named on /audit.
SUBJECT_KINDS = {
    "concern": "Concern",
    "attachment": "Picture",
    "learner": "Child",
    "user": "Person",
    "key": "Signing key",
    "report": "Report",
    "request": "Device-use request",
}


def register_action(key, label):
    """Let a domain record an action of its own, read on /audit as `label`."""
    if ACTIONS.get(key, label) != label:
        raise ValueError(f"audit action {key!r} already means {ACTIONS[key]!r}")
    ACTIONS[key] = label


def action_label(key):
    return ACTIONS.get(key, key)


def subject_label(subject):
    """Name a subject for people: 'concern:12' becomes 'Concern 12'."""
    kind, _, ident = subject.partition(":")
    if kind in SUBJECT_KINDS:
        return f"{SUBJECT_KINDS[kind]} {ident}".strip()
    return subject


# Parts of an entry's detail worth showing, in this order, with their labels.
DETAIL_LABELS = {
    "filename": "Picture",
    "q": "Searched for",
    "period": "Period",
    "role": "Role",
    "device_id": "Phone",
    "kid": "Key",
    "passkey": "Passkey",
    "second_step": "Second step",
    "reason": "Reason",
    "read_at": "Read at",
}


def detail_text(detail):
    """Say what an entry's detail holds that a reader needs, in words."""
    return "; ".join(f"{label}: {detail[key]}" for key, label in DETAIL_LABELS.items()
                     if detail.get(key) not in (None, ""))
