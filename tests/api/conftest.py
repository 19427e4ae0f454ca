"""The app on a real socket, for schemathesis to talk to as a phone would."""
import threading

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def served(app):
    """Serve the test app on a free port of 127.0.0.1 and return its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
