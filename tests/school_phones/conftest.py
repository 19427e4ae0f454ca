"""School phone fixtures: a device on the register, an administrator enrolling it, the phone itself."""
import uuid

import pytest
from joserfc.jwk import ECKey

from webapp.clock import iso, utcnow
from webapp.db import connect
from webapp.permissions import store as register

from tests.sync.phone import concern, seal_and_sign, sign

PHONE_ID = "school-phone-handset"


def add_device(app, tag="3", kind="phone", status="in_use"):
    """Put a device on the register; return its id."""
    db = connect(app.config["DATABASE"])
    try:
        return register.add_device(db, {"asset_tag": tag, "kind": kind, "status": status, "issued_to": None},
                                   app.people["admin"], iso(utcnow()))
    finally:
        db.conn.close()


class SchoolPhone:
    """A school phone: its own key, enrolled by an administrator; then it pushes with nobody signed in."""

    def __init__(self, app, key=None):
        self.app = app
        self.client = app.test_client()  # its own cookie jar: the push carries no session
        self.key = key or ECKey.generate_key("P-256", private=True)
        self.kid = self.key.thumbprint()
        self.sealing_key = None

    def enrol(self, admin_client, school_device_id):
        """Enrol through the administrator's session, as the enrol page's script does; return the response."""
        session = admin_client.get("/api/session").get_json()
        response = admin_client.post("/api/school-phones/enrol", headers={"X-CSRFToken": session["csrf_token"]},
                                     json={"school_device_id": school_device_id, "device_id": PHONE_ID,
                                           "public_key": self.key.as_dict(private=False)})
        if response.status_code == 200:
            self.sealing_key = response.get_json()["sealing_key"]
            assert response.get_json()["kid"] == self.kid
        return response

    def concern(self, account, logged_by, item_id=None, kind="concern", **fields):
        payload = {**concern(account), **fields}
        if logged_by is not None:
            payload["logged_by"] = logged_by
        return seal_and_sign(kind, payload, self.sealing_key, self.key, self.kid, item_id=item_id)

    def push(self, items):
        return self.client.post("/api/sync/push-from-school-phone",
                                json={"device_id": PHONE_ID, "waiting": {"count": len(items), "oldest": None},
                                      "items": items})

    def statuses(self, items):
        response = self.push(items)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["status"] for r in response.get_json()["results"]]

    def proof(self, purpose="staff-list", at=None):
        return sign({"purpose": purpose, "at": at or iso(utcnow())}, self.key, self.kid)


@pytest.fixture
def device(app):
    return add_device(app)


@pytest.fixture
def school_phone(app, client, auth, device):
    """A phone enrolled as school phone 3 by the administrator, who then signs out."""
    auth.login("admin")
    phone = SchoolPhone(app)
    assert phone.enrol(client, device).status_code == 200
    auth.logout()
    return phone


def rows(app, sql, params=()):
    db = connect(app.config["DATABASE"])
    try:
        return [dict(r) for r in db.query(sql, params)]
    finally:
        db.conn.close()


def new_id():
    return str(uuid.uuid4())
