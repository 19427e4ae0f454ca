"""What does not depend on the item is done once a push, not once an item: its cost is the crypto."""
from webapp import db as dbmodule
from webapp.concerns.forms import ConcernForm
from webapp.sync import keys
from webapp.sync.ingest import signed_form

from .conftest import count, signed_in_phone


def push_traced(phone, items, monkeypatch):
    """Push and return the SQL statements the request ran and how often a sealing key was looked up."""
    statements, lookups, real_connect, real_key = [], [], dbmodule.connect, keys.private_key

    def tracing(path):
        conn = real_connect(path)
        conn.conn.set_trace_callback(statements.append)
        return conn

    def key(kid, app=None):
        lookups.append(kid)
        return real_key(kid, app)
    monkeypatch.setattr(dbmodule, "connect", tracing)
    monkeypatch.setattr(keys, "private_key", key)
    results = phone.statuses(items)
    monkeypatch.setattr(dbmodule, "connect", real_connect)
    return results, statements, lookups


def test_one_push_reads_the_domain_rows_and_the_sealing_key_once(client, auth, notes, db, monkeypatch):
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": f"note {n}"}) for n in range(6)]
    results, statements, lookups = push_traced(phone, items, monkeypatch)
    assert set(results.values()) == {"stored"} and count(db, "notes") == 6
    reads_of_notes = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM notes" in s]
    assert len(reads_of_notes) == 1, reads_of_notes
    assert len(lookups) == 1
    assert statements.count("SAVEPOINT sync_item") == 6  # one per item, never more


def test_a_row_the_item_already_wrote_is_found_within_a_push(client, auth, notes, db, app):
    """An item whose row exists but whose receipt does not (e.g. stored by another path) is not written twice."""
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "written once"})
    assert phone.statuses([item]) == {item["id"]: "stored"}
    with db.atomic():
        db.execute("DELETE FROM sync_items")
    again = phone.item("note", {"body": "written once"}, item_id=item["id"])
    assert phone.statuses([again, phone.item("note", {"body": "another"})])[item["id"]] == "stored"
    assert count(db, "notes", "item_id = ?", [item["id"]]) == 1 and count(db, "notes") == 2


def test_a_kinds_form_class_is_made_once_without_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = True
    form = signed_form(ConcernForm)
    assert form is signed_form(ConcernForm) and issubclass(form, ConcernForm) and form.__name__ == "ConcernForm"
    with app.test_request_context():
        assert "csrf_token" in ConcernForm()._fields  # the web page's form keeps its check
        assert "csrf_token" not in form()._fields  # a sealed item carries its author's signature instead


def test_items_are_opened_in_runs_bounded_by_their_sealed_bytes():
    from webapp.sync.ingest import runs

    class Sealed:
        def __init__(self, size):
            self.sealed = b"x" * size
    small, big = [Sealed(400) for _ in range(5)], Sealed(5000)
    grouped = list(runs([*small, big, small[0]], limit=1000))
    assert [len(run) for run in grouped] == [2, 2, 1, 1, 1]  # in order; an item over the limit goes alone
    assert [e for run in grouped for e in run] == [*small, big, small[0]]


def test_a_resent_push_opens_nothing_and_answers_duplicate(client, auth, notes, db, monkeypatch):
    from webapp.sync import ingest
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": f"note {n}"}) for n in range(4)]
    assert set(phone.statuses(items).values()) == {"stored"}
    opened, real_open = [], ingest.open_payload
    monkeypatch.setattr(ingest, "open_payload", lambda env, **kw: opened.append(env.id) or real_open(env, **kw))
    assert set(phone.statuses(items).values()) == {"duplicate"}
    assert opened == [] and count(db, "notes") == 4


def test_a_fault_of_the_servers_own_while_opening_ahead_still_undoes_the_push(client, auth, notes, db, monkeypatch):
    from webapp.sync import ingest
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": f"note {n}"}) for n in range(3)]
    real_open, calls = ingest.open_payload, []

    def failing(env, **kw):
        calls.append(env.id)
        if env.id == items[1]["id"]:
            raise OSError("disk gone")
        return real_open(env, **kw)
    monkeypatch.setattr(ingest, "open_payload", failing)
    response = phone.push(items)
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert count(db, "notes") == 0 and count(db, "sync_items") == 0  # nothing kept aside, nothing stored
    assert calls.count(items[1]["id"]) == 2  # opened ahead, then again in its turn, where the fault counts
    monkeypatch.setattr(ingest, "open_payload", real_open)
    assert set(phone.statuses(items).values()) == {"stored"}
