"""Mail fixtures: a real local SMTP server (aiosmtpd) that can hold a conversation still, and
the mail sender as `make run` starts it, in its own process."""
import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port, parsed
from webapp.mail import send_mail

ROOT = Path(__file__).resolve().parents[2]


class HeldServer:
    """An SMTP server that files what it accepts and can hold one conversation at a chosen step.

    `hold_rcpt` (an address) stops the first conversation that names it at RCPT: nothing of that
    message has been accepted yet. `hold_data` stops every message after its content arrived and
    before the server answers (a mail server that hangs). `release()` lets them go on.
    """

    def __init__(self, hold_rcpt=None, hold_data=False):
        self.received, self.hold_rcpt, self.hold_data = [], hold_rcpt, hold_data
        self.holding = threading.Event()  # set while a conversation is held
        self.arrived = threading.Condition()
        self._go = None
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        self._go = asyncio.run_coroutine_threadsafe(self._event(), self.controller.loop).result()
        return self

    async def _event(self):
        return asyncio.Event()

    def release(self):
        self.controller.loop.call_soon_threadsafe(self._go.set)

    def stop(self):
        self.release()
        self.controller.stop()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.hold_rcpt:
            self.hold_rcpt = None
            self.holding.set()
            await self._go.wait()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold_data:
            self.holding.set()
            await self._go.wait()
        with self.arrived:
            self.received.append(parsed(envelope))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=60):
        """Wait until `count` messages have arrived (the timeout only guards a broken run)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout)


@pytest.fixture
def smtp_servers():
    started = []

    def start(**holds):
        started.append(HeldServer(**holds).start())
        return started[-1]
    yield start
    for server in started:
        server.stop()


def point_at(app, port):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)


def queue(app, addresses, subject="A test email"):
    """Queue one email to each address, as any page of the app would."""
    with app.test_request_context():
        assert send_mail(addresses, subject, f"{subject}: body")


class Sender:
    """`flask --app webapp send-mail` in its own process, configured like the test app."""

    def __init__(self, app, *args):
        env = {**os.environ, "FLASK_APP": "webapp", "FLASK_SECRET_KEY": "test-secret",
               "FLASK_DATABASE": app.config["DATABASE"], "FLASK_UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
               "FLASK_SEALING_KEY_FOLDER": app.config["SEALING_KEY_FOLDER"],
               "FLASK_SMTP_HOST": "127.0.0.1", "FLASK_SMTP_PORT": str(app.config["SMTP_PORT"]),
               "FLASK_MAIL_POLL_SECONDS": "0.05", "FLASK_ASSETS_AUTO_BUILD": "false"}
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "send-mail", *args], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait()

    def stop(self, signal_it=True):
        """Stop it as `make run` does (SIGTERM), or let it end; return its exit code and what it printed."""
        if signal_it and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        output = self.process.stdout.read()
        self.process.stdout.close()
        return code, output


@pytest.fixture
def senders():
    started = []
    yield lambda app, *args: started.append(Sender(app, *args)) or started[-1]
    for sender in started:
        if sender.process.poll() is None:
            sender.kill()
        if not sender.process.stdout.closed:
            sender.process.stdout.close()


def outbox(db):
    return [dict(r) for r in db.query("SELECT recipient, state, attempts, message_id, last_error FROM mail_outbox "
                                      "ORDER BY id")]
