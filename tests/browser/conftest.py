"""Browser tests: the real app served from this process, driven in Debian's Chromium."""
import os
import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, PEOPLE

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Generous waits: these machines are shared, and a waiting assertion returns as soon as it holds.
expect.set_options(timeout=15_000)
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: browser tests cannot run in CI without it")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (make test installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--disable-gpu", "--disable-quic", "--no-sandbox",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True,
            "locale": "en-GB", "timezone_id": "Europe/London"}


class LiveServer:
    """The app on a real socket in a thread, with the test people in its database."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        # The same server by name: passkeys need a domain, never an IP address, and http://localhost
        # is a secure context.
        self.localhost_url = f"http://localhost:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join()


@pytest.fixture
def live_server(app):
    app.config["TESTING"] = False  # serve as in production (CSRF on, real error pages)
    app.config["SYNC_FAULTS_ENABLED"] = True
    server = LiveServer(app)
    yield server
    server.stop()


def sign_in(page, live_server, who="staff"):
    """Sign in through the real form and wait for the home page."""
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email address").fill(PEOPLE[who][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def assert_accessible(page):
    """Fail with the list of axe-core violations on the current page, if any."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    problems = [f"{v['id']}: {v['help']} ({len(v['nodes'])} node(s))"
                for v in results.response["violations"]]
    assert not problems, f"axe-core violations on {page.url}:\n" + "\n".join(problems)
