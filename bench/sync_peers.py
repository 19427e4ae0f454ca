"""The bench's school, envelopes and peers for bench/sync_ingest.py (not a benchmark on its own).

Also serves the app for the HTTP comparison: python -m bench.sync_peers serve FOLDER
"""
import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from joserfc.jwk import ECKey
from wtforms import Form, StringField
from wtforms.validators import InputRequired

from tests.sync.phone import seal_and_sign
from webapp import create_app
from webapp.auth import store as people
from webapp.clock import iso, utcnow
from webapp.db import connect
from webapp.migrations import migrate
from webapp.sync import envelope, ingest as ingestion, keys, store
from webapp.sync.handoff import Kind, Written

BATCH = 500
PASSWORD = "bench horse battery staple"
EMAIL = "bench@school.invalid"
VENV = Path("/tmp/sync-bench-datasette-venv")
NOTES = ("CREATE TABLE IF NOT EXISTS bench_notes (id INTEGER PRIMARY KEY, item_id TEXT UNIQUE, "
         "author_id INTEGER NOT NULL, body TEXT NOT NULL, source TEXT NOT NULL, changed_at TEXT NOT NULL)")


def note(n):
    return {"body": f"Note {n}: phone seen out in the hall during assembly, put away when asked."}


class NoteForm(Form):
    body = StringField("Note", validators=[InputRequired("Write the note.")])


def write_note(db, form, author, item):
    """Write a one-row domain kind, the way the real domains write theirs."""
    cursor = db.execute("INSERT INTO bench_notes (item_id, author_id, body, source, changed_at) "
                        "VALUES (?, ?, ?, 'phone', ?)", [item.id, author["id"], form.body.data, item.created_at])
    return Written(cursor.lastrowid)


NOTE = Kind(form=NoteForm, roles=("staff",), table="bench_notes", write=write_note,
            role_refused="Only staff may send a note.")


class School:
    """A migrated database with one member of staff, their phone's key, and the app over it."""

    def __init__(self, folder, create=True):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.app = create_app({"SECRET_KEY": "bench", "DATABASE": str(self.folder / "app.db"),
                               "SEALING_KEY_FOLDER": str(self.folder / "keys"), "SMTP_HOST": None,
                               "UPLOAD_FOLDER": str(self.folder / "uploads"), "ASSETS_AUTO_BUILD": False})
        self.app.extensions["sync_kinds"]["bench_note"] = NOTE
        self.db = connect(self.app.config["DATABASE"])
        self.now = iso(utcnow())
        if create:
            migrate(self.db)
            self.db.execute(NOTES)
            self.user_id = people.create_user(self.db, EMAIL, "Bench Staff", PASSWORD, ["staff"])
            self.device_key = ECKey.generate_key("P-256", private=True)
            self.kid = self.device_key.thumbprint()
            store.add_device_key(self.db, self.kid, self.user_id, "bench-phone",
                                 json.dumps(self.device_key.as_dict(private=False)), self.now)
        else:
            self.user_id = people.get_user_by_email(self.db, EMAIL)["id"]
            self.kid = self.db.execute("SELECT kid FROM device_keys").fetchone()[0]

    def envelopes(self, items):
        """Seal and sign (kind, payload) pairs as this person's phone would."""
        with self.app.app_context():
            server_key = keys.current_public_jwk()
        return [seal_and_sign(kind, payload, server_key, self.device_key, self.kid) for kind, payload in items]

    def rows(self):
        return ([dict(r) for r in self.db.query("SELECT * FROM sync_items ORDER BY seq")],
                [dict(r) for r in self.db.query("SELECT * FROM bench_notes ORDER BY id")])

    def forget_items(self):
        with self.db.atomic():
            self.db.execute("DELETE FROM sync_items")
            self.db.execute("DELETE FROM bench_notes")


@contextmanager
def plaintext(school):
    """Stub out opening and verifying: what is left is the plaintext path of the ingest."""
    author = envelope._author(people.get_user(school.db, school.user_id))
    saved = ingestion.verify_author, ingestion.open_payload

    def verified(db, envelope, signers=None):
        envelope.kid = school.kid
        return author, school.kid
    ingestion.verify_author = verified
    ingestion.open_payload = lambda env, **_: {"body": f"Note for {env.id}: phone seen out in the hall."}
    try:
        yield
    finally:
        ingestion.verify_author, ingestion.open_payload = saved


def serve(folder):
    """Serve an existing bench school over HTTP (plaintext path) and print the port."""
    import logging
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    school = School(folder, create=False)
    with plaintext(school):
        server = make_server("127.0.0.1", 0, school.app, threaded=True)
        print(server.server_port, flush=True)
        server.serve_forever(poll_interval=0.05)


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _post_json(opener, url, body, headers):
    request = urllib.request.Request(url, json.dumps(body).encode(),
                                     {"Content-Type": "application/json", **headers})
    with opener.open(request, timeout=600) as response:
        return json.loads(response.read())


def _wait_for(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def time_our_http(folder, items):
    """Push the items over HTTP to our app in its own process; return (seconds, school)."""
    school = School(folder)
    envelopes = school.envelopes(items)
    server = subprocess.Popen([sys.executable, "-m", "bench.sync_peers", "serve", str(folder)],
                              cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        opener = _opener()
        page = opener.open(base + "/login").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        opener.open(base + "/login", urllib.parse.urlencode(
            {"email": EMAIL, "password": PASSWORD, "csrf_token": token}).encode()).close()
        csrf = json.loads(opener.open(base + "/api/session").read())["csrf_token"]
        started = time.perf_counter()
        for first in range(0, len(envelopes), BATCH):
            _post_json(opener, base + "/api/sync/push", {"device_id": "bench-phone", "waiting": {
                "count": 0, "oldest": None}, "items": envelopes[first:first + BATCH]}, {"X-CSRFToken": csrf})
        return time.perf_counter() - started, school
    finally:
        server.terminate()
        server.wait()
        server.stdout.close()


def install_datasette():
    """Install Datasette 1.0 into a throwaway venv under /tmp; return its bin folder or a reason."""
    datasette = VENV / "bin" / "datasette"
    if not datasette.exists():
        steps = [[sys.executable, "-m", "venv", str(VENV)],
                 [str(VENV / "bin" / "pip"), "install", "--quiet", "--pre", "datasette>=1.0a0"]]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode:
                return None, (done.stderr.strip().splitlines() or ["unknown error"])[-1]
    version = subprocess.run([str(datasette), "--version"], capture_output=True, text=True).stdout.strip()
    if not re.search(r"version 1\.", version):
        return None, f"found {version!r}, not 1.0"
    return VENV / "bin", version


def time_datasette(bin_folder, folder, school):
    """Insert the rows our app wrote through Datasette's /-/insert, batch for batch; return seconds."""
    sync_rows, note_rows = school.rows()
    database = folder / "peer.db"
    peer = connect(str(database))
    for (sql,) in school.db.execute("SELECT sql FROM sqlite_master WHERE tbl_name IN ('sync_items', "
                                    "'bench_notes') AND sql IS NOT NULL"):
        peer.execute(sql)
    peer.conn.close()
    secret, port = "bench-secret", 8700 + int(time.perf_counter_ns() % 200)
    server = subprocess.Popen([str(bin_folder / "datasette"), "serve", str(database), "--secret", secret,
                               "--port", str(port), "--root", "--setting", "max_insert_rows", str(BATCH)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        token = subprocess.run([str(bin_folder / "datasette"), "create-token", "root", "--secret", secret],
                               capture_output=True, text=True, check=True).stdout.strip()
        base = f"http://127.0.0.1:{port}/peer"
        _wait_for(base + ".json")
        opener, auth = _opener(), {"Authorization": f"Bearer {token}"}
        started = time.perf_counter()
        for first in range(0, len(sync_rows), BATCH):
            for table, rows in (("sync_items", sync_rows), ("bench_notes", note_rows)):
                assert _post_json(opener, f"{base}/{table}/-/insert", {"rows": rows[first:first + BATCH]}, auth)["ok"]
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()


def compare_with_datasette(folder, items, rounds, report):
    """Print our HTTP push (plaintext path) against Datasette's /-/insert of the same rows."""
    bin_folder, version = install_datasette()
    if bin_folder is None:
        print(f"3. Datasette 1.0 could not be installed in a venv under /tmp ({version}): comparison skipped.")
        return
    ours = peer = float("inf")
    for n in range(rounds):
        seconds, school = time_our_http(folder / f"http{n}", items)
        ours = min(ours, seconds)
        peer = min(peer, time_datasette(bin_folder, folder / f"http{n}", school))
    report(f"3. our /api/sync/push over HTTP (plaintext path) vs {version} /-/insert (same rows, HTTP)",
           ours, peer, 1.0)


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    serve(sys.argv[2])
