"""Sync fixtures: sealing keys in a temporary folder, a Python phone, and a small test kind."""
import pytest
from wtforms import BooleanField, Form, StringField
from wtforms.validators import InputRequired, Length

from webapp import change_log
from webapp.clock import iso, utcnow
from webapp.sync.handoff import Kind, Written

from .phone import Phone


@pytest.fixture(autouse=True)
def sealing_key_folder(app, tmp_path):
    """Keep every test's sealing keys out of the repository's instance/ folder."""
    folder = tmp_path / "sealing-keys"
    app.config["SEALING_KEY_FOLDER"] = str(folder)
    return folder


@pytest.fixture
def phone(client):
    return Phone(client)


def signed_in_phone(client, auth, who, device_id="phone-1"):
    """Sign someone in on a phone and register their signing key."""
    auth.login(who)
    phone = Phone(client, device_id)
    phone.register()
    return phone


def switch(auth, phone, who):
    """Sign out whoever is on the phone and sign someone else in, their key registered."""
    auth.logout()
    auth.login(who)
    phone.register()


class NoteForm(Form):
    body = StringField("Note", validators=[InputRequired("Write the note."), Length(max=200)])
    for_dsl_only = BooleanField("Only DSLs may send this")


class Notes:
    """A tiny domain with one kind, 'note', written the way the real domains write theirs."""

    def __init__(self):
        self.emails = []
        self.kind = Kind(form=NoteForm, roles=("staff", "governor", "admin"), table="notes", write=self.write,
                         role_refused="Only people of the school may send a note.")

    def write(self, db, form, author, item):
        if form.for_dsl_only.data and not author.has_role("dsl"):
            return Written(errors={"author": ["Only DSLs may send this note."]})
        cursor = db.execute("INSERT INTO notes (item_id, author_id, body, source, changed_at) "
                            "VALUES (?, ?, ?, 'phone', ?)", [item.id, author["id"], form.body.data, iso(utcnow())])
        body = form.body.data
        return Written(cursor.lastrowid, lambda: self.emails.append(body))

    def changes_since(self, db, user, since):
        changed, params = change_log.after("note", "id", since)
        rows = db.query(f"SELECT * FROM notes WHERE author_id = ? AND {changed} ORDER BY changed_at",
                        [user.id] + params)
        return [{"type": "note", "id": r["id"], "changed_at": r["changed_at"], "data": {"body": r["body"]}}
                for r in rows]


def add_notes_table(db):
    db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, item_id TEXT UNIQUE, "
               "author_id INTEGER NOT NULL REFERENCES users(id), body TEXT NOT NULL, source TEXT NOT NULL, "
               "changed_at TEXT NOT NULL)")
    change_log.track(db, "notes", "note", "id", updates=("body", "changed_at"))


@pytest.fixture
def notes(app, db):
    """Teach the app the 'note' kind (kept apart from the real domains' kinds)."""
    add_notes_table(db)
    domain = Notes()
    app.extensions["sync_kinds"] = {**app.extensions["sync_kinds"], "note": domain.kind}
    app.extensions["sync_sources"] = [*app.extensions["sync_sources"], domain.changes_since]
    return domain


def count(db, table, where="1", params=()):
    return db.execute(f"SELECT count(*) FROM {table} WHERE {where}", list(params)).fetchone()[0]
