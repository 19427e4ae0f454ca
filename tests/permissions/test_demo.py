"""The demo school's requests and devices show every state a new user should see."""
from webapp.auth import store as people_store
from webapp.clock import iso, utcnow
from webapp.permissions import demo, store
from webapp.seed import DEMO_PEOPLE


def test_demo_requests_and_devices(app, db):
    people = {email: people_store.create_user(db, email, name, "demo password 1", roles)
              for email, name, roles in DEMO_PEOPLE}
    with app.app_context():
        demo.seed(db, people)
    statuses = sorted(r["status"] for r in store.requests_of(db, people["teacher@demo.school"]))
    assert statuses == ["approved", "approved", "declined", "refused", "waiting"]
    [waiting] = store.waiting_requests(db)
    assert waiting["urgent"] and waiting["for_whom"] == "visitor"
    in_force = store.in_force(db, iso(utcnow()))
    assert {p["visitor_name"] for p in in_force} == {"Dan Roofer", None}
    assert any(p["conditions"] for p in in_force)
    assert len(store.list_devices(db)) == 4
