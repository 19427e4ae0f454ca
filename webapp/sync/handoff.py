"""The handoff between sync and the domains: what a domain declares for each kind of item it accepts.

This module is the whole contract, written once. A domain that takes items from phones declares
them in its `sync.py` as a short table, for example::

    KINDS = {
        "concern": Kind(form=ConcernForm, roles=("staff",), table="concerns", write=write_concern,
                        role_refused="Only staff can log a concern.",
                        unreadable="The concern could not be read.", files=("attachments",)),
    }

and registers them (with its pull source) from its `init_app`::

    handoff.register(app, kinds=sync.KINDS, source=sync.changes_since)

Once an item is verified and opened, `sync/ingest.py` (`hand_over`) does the same steps for every
kind, in this order, so a domain never repeats them:

1. the payload must be a JSON object (else `unreadable`);
2. the author must hold one of `roles` (head implies dsl and staff: `auth.roles.has_role`),
   else the error `{"author": [role_refused]}`;
3. an item whose id is already in `table`'s `item_id` column is answered with that row again
   (`after_commit` None): a replay never writes twice;
4. `created_at` is clamped: never after the server's now, never before 2000-01-01 (a phone whose
   clock was reset); either way the time it arrived is used;
5. the payload becomes form data with the one converter (`sync/payload.py`): true is "y", false
   and null are left out, the `files` fields become uploaded files, anything else that is not text
   or a number is refused by field;
6. the WTForms class `form` (the same class the web page posts to) is built, `prepare(db, form)`
   fills any choices it takes from the database, and it must validate;
7. `write(db, form, author, item)` writes the rows inside the caller's savepoint and returns
   `Written`. It runs only on a valid form from an author with the role; it never commits.

Every step answers an outcome dict: `{"ref": "<table>:<id>", "after_commit": callable or None}`
when written, or `{"errors": {field: [message]}}` when refused (nothing is written: the savepoint
is rolled back). `Kind` is callable with `(db, payload, author, meta)` and does exactly this.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """What a write function is told about the item besides its form: where and when it came from."""

    id: str  # the item's id from the phone: store it in the table's item_id column
    created_at: str  # when the phone says it was written, clamped (ISO-8601 UTC text)
    device_id: str | None = None  # the phone that delivered it
    uploader_id: int | None = None  # who was signed in on that phone when it was delivered


@dataclass(frozen=True)
class Written:
    """What a write function returns: the new row's id, or errors found against the database."""

    id: int | None = None  # the row's id in Kind.table; None means refused (then `errors`, or the form's)
    after_commit: Callable[[], None] | None = None  # work to run once committed (emails)
    errors: dict | None = None  # e.g. "this case is closed": checks the form alone cannot make


@dataclass(frozen=True)
class Kind:
    """One kind of item a phone may send, declared once by the domain that owns it.

    form: the WTForms class of the web page for the same thing; its rules are the item's rules.
    roles: the author must hold one of these (see auth.roles.has_role).
    table: the domain's table holding the item's id in `item_id` (the replay check reads it).
    write: `write(db, form, author, item: Item) -> Written`, the domain's only sync code.
    role_refused: the plain message for an author without the role.
    unreadable: the plain message for a payload that is not a JSON object.
    prepare: optional `prepare(db, form)`, filling choices from the database before validating.
    files: payload fields holding attached files, each a list of
        `{"filename", "content_type", "data": base64}`.
    """

    form: type
    roles: tuple[str, ...]
    table: str
    write: Callable
    role_refused: str
    unreadable: str = "The item could not be read."
    prepare: Callable | None = None
    files: tuple[str, ...] = ()

    def __call__(self, db, payload, author, meta):
        """Take one opened payload through the shared steps and this kind's write; return the outcome."""
        from .ingest import hand_over  # ingest imports this module: import at call time
        return hand_over(db, self, payload, author, meta)


def register(app, kinds=None, source=None):
    """Add a domain's kinds (name -> Kind) and its pull source to the app; a name taken twice is an error.

    `source(db, person, since)` returns the changes the person may see of the subjects logged after `since`,
    a position in the change log (None: every one); its queries filter with `change_log.after`.
    """
    known = app.extensions.setdefault("sync_kinds", {})
    sources = app.extensions.setdefault("sync_sources", [])
    for name, kind in (kinds or {}).items():
        if not isinstance(kind, Kind):
            raise TypeError(f"Synced kind {name!r} must be declared as a Kind.")
        if name in known:
            raise ValueError(f"Two domains declare the synced kind {name!r}.")
        known[name] = kind
    if source is not None:
        sources.append(source)
