"""The school's load on the app as `make run` serves it: phones pushing sealed items and DSLs
reading the queue, through gunicorn started from the Procfile's `web` line.

Used by the soak test (with a kill -9 of the server in the middle) and by bench/soak.py (timed).
"""
import http.cookiejar
import os
import shlex
import signal
import subprocess
import threading
import time
import urllib.error
from http.client import HTTPException
from pathlib import Path

from tests.conftest import PASSWORD, PEOPLE, csrf_from
from tests.sync.phone import Phone, concern
from tests.sync.test_process_kill import HttpClient

ROOT = Path(__file__).resolve().parents[2]
# What a push that never got its answer looks like: the phone keeps the items and tries again.
LOST = (urllib.error.URLError, ConnectionError, HTTPException, TimeoutError, OSError)
PHONE_PEOPLE = ["staff", "staff2", "dsl", "dsl2", "head"]
READERS = ["dsl", "dsl2", "head", "dsl"]


def web_command():
    """Return the `web` command of the Procfile, as make run starts it."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("the Procfile has no web line")


class Gunicorn:
    """gunicorn as `make run` starts it, on a database of the test's own."""

    def __init__(self, config, port):
        self.env = {**os.environ, "APP_HOST": "127.0.0.1", "APP_PORT": str(port),
                    **{f"FLASK_{key}": str(value) for key, value in config.items()}}
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(["sh", "-c", f"exec {web_command()}"], cwd=ROOT, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        for _ in range(600):  # until it answers; counted, not timed
            try:
                client = HttpClient(http.cookiejar.CookieJar())
                client.base = self.url
                if client.get("/login").status_code == 200:
                    return self
            except LOST:
                pass
            if self.process.poll() is not None:
                raise AssertionError("gunicorn did not start: " + self.process.stderr.read().decode())
            time.sleep(0.05)
        raise AssertionError("gunicorn never answered")

    def kill_all(self):
        """kill -9 the master and every worker at once (a power cut for the app)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()
        if self.process:
            self.process.stderr.close()


def signed_in(url, who):
    client = HttpClient(http.cookiejar.CookieJar())
    client.base = url
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": PEOPLE[who][0], "password": PASSWORD,
                                           "csrf_token": csrf_from(page)})
    assert response.status_code == 200, response.status_code
    return client


class Tally:
    """What every phone and reader saw, shared between threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = {}  # item id -> status
        self.results = []  # (item id, status) of every final answer, repeats included
        self.statuses = {}  # HTTP status -> count
        self.lost = 0
        self.push_seconds = []
        self.reads = 0
        self.progress = threading.Condition(self.lock)

    def answer(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


class PhoneLoad:
    """One phone: pushes `batches` batches of `size` sealed concerns, each until acknowledged."""

    def __init__(self, url, who, n, tally, batches, size):
        self.client = signed_in(url, who)
        self.phone = Phone(self.client, f"soak-phone-{n}")
        self.phone.register()
        self.n, self.tally, self.batches, self.size = n, tally, batches, size

    def run(self):
        for b in range(self.batches):
            items = [self.phone.item("concern", concern(f"Soak phone {self.n} batch {b} item {i}"))
                     for i in range(self.size)]
            self.deliver(items)

    def deliver(self, items):
        """Push until the server gives every item a final status (as the phone's outbox does)."""
        while True:
            started = time.perf_counter()
            try:
                response = self.phone.push(items)
            except LOST:
                with self.tally.lock:
                    self.tally.lost += 1
                continue
            self.tally.answer(response.status_code)
            if response.status_code != 200:
                continue  # 503 or worse: keep everything, try again
            with self.tally.progress:
                self.tally.push_seconds.append(time.perf_counter() - started)
                for result in response.get_json()["results"]:
                    self.tally.acknowledged[result["id"]] = result["status"]
                    self.tally.results.append((result["id"], result["status"]))
                self.tally.progress.notify_all()
            return


class Reader:
    """A DSL reading the concern queue until the phones are done."""

    def __init__(self, url, who, tally, done):
        self.client, self.tally, self.done = signed_in(url, who), tally, done

    def run(self):
        page = 0
        while not self.done.is_set():
            page = page % 3 + 1
            try:
                response = self.client.get("/concerns/queue", query_string={"page": page})
            except LOST:
                continue
            self.tally.answer(response.status_code)
            with self.tally.lock:
                self.tally.reads += 1


def run_load(url, tally, phones=16, batches=6, size=5, midway=None):
    """Run the phones and readers to the end; call midway() once half the items are acknowledged."""
    done = threading.Event()
    loads = [PhoneLoad(url, PHONE_PEOPLE[n % len(PHONE_PEOPLE)], n, tally, batches, size) for n in range(phones)]
    readers = [Reader(url, who, tally, done) for who in READERS]
    threads = [threading.Thread(target=x.run) for x in loads + readers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if midway is not None:
        with tally.progress:
            tally.progress.wait_for(lambda: len(tally.acknowledged) >= phones * batches * size // 2)
        midway()
    for thread in threads[:phones]:
        thread.join()
    elapsed = time.perf_counter() - started
    done.set()
    for thread in threads[phones:]:
        thread.join()
    return elapsed, [p.phone for p in loads]


class Puller:
    """A DSL's or the head's phone pulling with its cursor, saying what it holds, until the pushers are done."""

    def __init__(self, url, who, n, tally, done):
        self.client = signed_in(url, who)
        self.phone = Phone(self.client, f"soak-puller-{n}")
        self.phone.register()
        self.tally, self.done, self.cursor, self.seen, self.pulls = tally, done, None, set(), 0

    def run(self):
        while not self.done.is_set():
            self.pull_once()
        while not self.pull_once():  # once more after the last push: what is left to see
            pass

    def pull_once(self):
        """Pull from the cursor; return True once the server answered with changes and a cursor."""
        self.pulls += 1
        try:
            response = self.phone.pull(since=self.cursor, waiting=self.pulls % 3,
                                       oldest="2026-01-05T10:00:00Z" if self.pulls % 3 else "")
        except LOST:
            return False
        self.tally.answer(response.status_code)
        if response.status_code != 200:
            return False
        body = response.get_json()
        self.seen |= {c["id"] for c in body["changes"] if c["type"] == "concern" and not c.get("removed")}
        self.cursor = body["cursor"]
        return True


def run_pushes_and_pulls(url, tally, pushers, batches, size, pullers):
    """Run pushing phones and pulling phones together; return the pullers once every push is acknowledged."""
    done = threading.Event()
    loads = [PhoneLoad(url, PHONE_PEOPLE[n % len(PHONE_PEOPLE)], n, tally, batches, size) for n in range(pushers)]
    pulls = [Puller(url, who, n, tally, done) for n, who in enumerate(pullers)]
    push_threads = [threading.Thread(target=x.run) for x in loads]
    pull_threads = [threading.Thread(target=x.run) for x in pulls]
    for thread in push_threads + pull_threads:
        thread.start()
    for thread in push_threads:
        thread.join()
    done.set()
    for thread in pull_threads:
        thread.join()
    return pulls
