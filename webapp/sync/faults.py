"""Fault switches that let tests break pushes on purpose (only with SYNC_FAULTS_ENABLED).

`app.extensions["sync_faults"]`:
- `fail_next_pushes(n)`: the next n pushes answer 500 before anything is written;
- `drop_next_acks(n)`: the next n pushes commit (and send their emails), then answer 500, so the phone
  never sees them acknowledged, as when the network drops the answer;
- `die_after_commit = True`: the next push that commits ends the server process at once (os._exit),
  before any response is sent.
"""
import os
import threading

from flask import abort

DIED_AFTER_COMMIT = 75


class SyncFaults:
    """Counters of pushes to break, shared by every thread of the app."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.failing = 0
        self.dropping = 0
        self.die_after_commit = False

    def _check_enabled(self):
        if not self.app.config.get("SYNC_FAULTS_ENABLED"):
            raise RuntimeError("Set SYNC_FAULTS_ENABLED to use the sync fault switches.")

    def fail_next_pushes(self, n):
        self._check_enabled()
        with self.lock:
            self.failing = int(n)

    def drop_next_acks(self, n):
        self._check_enabled()
        with self.lock:
            self.dropping = int(n)

    def _take(self, name):
        if not self.app.config.get("SYNC_FAULTS_ENABLED"):
            return False
        with self.lock:
            if getattr(self, name) > 0:
                setattr(self, name, getattr(self, name) - 1)
                return True
        return False

    def before_push(self):
        """Fail this push before it touches the database, if a failure is due."""
        if self._take("failing"):
            abort(500)

    def die_if_due(self):
        """End the process at once, right after a commit and before any answer, if asked to."""
        if self.app.config.get("SYNC_FAULTS_ENABLED") and self.die_after_commit:
            os._exit(DIED_AFTER_COMMIT)

    def drop_ack_if_due(self):
        """Lose the acknowledgement of what was just committed (and done), if a drop is due."""
        if self._take("dropping"):
            abort(500)


def init_app(app):
    app.extensions["sync_faults"] = SyncFaults(app)
