"""Serve the app on a free port for the process-kill test; print the port, then serve forever.

    python -m tests.sync.serve DATABASE SEALING_KEY_FOLDER [--die-after-commit]
"""
import sys

from werkzeug.serving import make_server

from webapp import create_app

SECRET_KEY = "test-secret"  # the same as tests/conftest.py, so sessions survive a restart


def main(database, key_folder, die_after_commit):
    app = create_app({"SECRET_KEY": SECRET_KEY, "DATABASE": database, "SEALING_KEY_FOLDER": key_folder,
                      "UPLOAD_FOLDER": key_folder + "-uploads", "SMTP_HOST": None,
                      "SYNC_FAULTS_ENABLED": True, "ASSETS_AUTO_BUILD": False})
    app.extensions["sync_faults"].die_after_commit = die_after_commit
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever(poll_interval=0.05)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--die-after-commit" in sys.argv[3:])
