"""Any sequence of push, lost answer, failed push, replay, restart and key rotation delivers every
item exactly once: the server's rows are the acknowledged items, never a duplicate."""
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.conftest import PASSWORD
from webapp import create_app
from webapp.auth import store as people
from webapp.db import connect
from webapp.migrations import migrate
from webapp.sync.keys import rotate_sealing_key

from .phone import Phone, concern

FINAL = ("stored", "duplicate", "conflict", "quarantined", "returned")


class PhoneAndServer(RuleBasedStateMachine):
    """One phone shared by two people, one server that may lose answers or be restarted."""

    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-exactly-once-"))
        self.config = {"TESTING": True, "SECRET_KEY": "exactly-once", "DATABASE": str(self.folder / "app.db"),
                       "UPLOAD_FOLDER": str(self.folder / "uploads"), "SMTP_HOST": None,
                       "SEALING_KEY_FOLDER": str(self.folder / "keys"), "SYNC_FAULTS_ENABLED": True}
        db = connect(self.config["DATABASE"])
        migrate(db)
        self.people = [people.create_user(db, f"p{i}@test.school", f"Person {i}", PASSWORD, ["staff"])
                       for i in range(2)]
        self.db = db
        self.start_server()
        self.phone = Phone(self.app.test_client())
        self.sign_in(0)
        self.outbox, self.acked, self.authors, self.sent = [], set(), {}, {}

    def start_server(self):
        self.app = create_app(self.config)

    def sign_in(self, index):
        """Start a server-side session directly (skipping the slow password check)."""
        token = people.start_session(self.db, self.people[index], "127.0.0.1")
        with self.phone.client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        if self.people[index] not in self.phone.keys:
            self.phone.register()
        self.phone.refresh()

    @rule(account=st.text(max_size=20))
    def write(self, account):
        item = self.phone.item("concern", concern(account))
        self.outbox.append(item)
        self.sent[item["id"]] = item
        self.authors[item["id"]] = self.phone.session["user"]["id"]

    def push_some(self, size):
        response = self.phone.push(self.outbox[:size])
        if response.status_code == 200:
            done = {r["id"] for r in response.get_json()["results"] if r["status"] in FINAL}
            assert {r["status"] for r in response.get_json()["results"]} <= {"stored", "duplicate"}
            self.acked |= done
            self.outbox = [i for i in self.outbox if i["id"] not in done]
        return response

    @precondition(lambda self: self.outbox)
    @rule(size=st.integers(1, 4))
    def push(self, size):
        assert self.push_some(size).status_code == 200

    @precondition(lambda self: self.outbox)
    @rule(size=st.integers(1, 4))
    def push_and_lose_the_answer(self, size):
        self.app.extensions["sync_faults"].drop_next_acks(1)
        assert self.push_some(size).status_code == 500

    @precondition(lambda self: self.outbox)
    @rule(size=st.integers(1, 4))
    def push_that_fails(self, size):
        before = self.stored_ids()
        self.app.extensions["sync_faults"].fail_next_pushes(1)
        assert self.push_some(size).status_code == 500
        assert self.stored_ids() == before

    @precondition(lambda self: self.acked)
    @rule(data=st.data())
    def replay_an_acknowledged_item(self, data):
        # e.g. the phone crashed between the answer and deleting the item from IndexedDB
        item_id = data.draw(st.sampled_from(sorted(self.acked)))
        item = self.sent[item_id]
        result = self.phone.push([item]).get_json()["results"][0]
        [number] = [r["id"] for r in self.db.query("SELECT id FROM concerns WHERE item_id = ?", [item_id])]
        assert result == {"id": item_id, "status": "duplicate", "number": number}

    @rule()
    def restart_the_server(self):
        cookie = self.phone.client.get_cookie("session")
        self.start_server()
        self.phone.client = self.app.test_client()
        self.phone.client.set_cookie("session", cookie.value)
        self.phone.refresh()

    @rule()
    def rotate_the_sealing_key(self):
        rotate_sealing_key(self.app)
        self.phone.refresh()

    @rule(index=st.sampled_from([0, 1]))
    def someone_signs_in_on_the_phone(self, index):
        self.sign_in(index)

    def stored_ids(self):
        return {r["item_id"] for r in self.db.query("SELECT item_id FROM concerns WHERE source = 'phone'")}

    @invariant()
    def acknowledged_items_are_on_the_server_once(self):
        rows = list(self.db.query("SELECT item_id, reporter_id FROM concerns"))
        assert len(rows) == len({r["item_id"] for r in rows})  # never a duplicate
        assert self.acked <= self.stored_ids() <= set(self.authors)
        assert all(self.authors[r["item_id"]] == r["reporter_id"] for r in rows)  # credited to the signer
        stored = self.db.execute("SELECT count(*) FROM sync_items WHERE status = 'stored'").fetchone()[0]
        assert stored == len(rows) and self.db.execute("SELECT count(*) FROM sync_items WHERE status != 'stored'"
                                                       ).fetchone()[0] == 0

    def teardown(self):
        try:
            while self.outbox:  # the network comes back for good
                assert self.push_some(4).status_code == 200
            assert self.stored_ids() == self.acked == set(self.authors)
        finally:
            self.db.conn.close()
            shutil.rmtree(self.folder, ignore_errors=True)


PhoneAndServer.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None,
                                            suppress_health_check=[HealthCheck.too_slow])
test_exactly_once = PhoneAndServer.TestCase
