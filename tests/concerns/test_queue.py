"""The DSLs' queue: order, filters, full-text search, pagination and the count of new concerns."""
import re

import pytest
import time_machine

from webapp.concerns import store
from webapp.concerns.queue import PER_PAGE


def listed(html):
    return [int(n) for n in re.findall(r'href="/concerns/(\d+)"', html)]


@pytest.fixture
def three(concerns):
    """Three concerns logged a day apart; the middle one is urgent."""
    ids = []
    for day, data in [(20, {"category": "restricted_area", "location": "Swimming pool"}),
                      (21, {"category": "abusive_message", "urgent": "y",
                            "account": "Threatening message about the cricket match"}),
                      (22, {"category": "school_device", "location": "Year 3 classroom"})]:
        with time_machine.travel(f"2026-11-{day}T10:00:00Z", tick=False):
            ids.append(concerns.log("staff", {**data, "occurred_at": f"2026-11-{day}T09:00"}))
    return ids


def test_urgent_first_then_newest(client, auth, three):
    auth.login("dsl")
    assert listed(client.get("/concerns/queue").get_data(as_text=True)) == [three[1], three[2], three[0]]


@pytest.mark.parametrize("query, expect", [
    ("category=restricted_area", [0]),
    ("status=received", [1, 2, 0]),
    ("status=closed", []),
    ("status=open", [1, 2, 0]),
    ("from=2026-11-21&to=2026-11-21", [1]),
    ("from=2026-11-22", [2]),
    ("to=2026-11-20", [0]),
    ("assignee=none", [1, 2, 0]),
    ("q=cricket", [1]),
    ("q=football", [2, 0]),
    ("q=swim", [0]),
    ("q=Year+3+classroom", [2]),
    ("q=%22unbalanced+AND+OR+(*", []),
    ("category=nonsense&status=weird", [1, 2, 0]),
])
def test_filters_and_search(client, auth, three, query, expect):
    auth.login("dsl")
    response = client.get(f"/concerns/queue?{query}")
    assert response.status_code == 200
    assert listed(response.get_data(as_text=True)) == [three[i] for i in expect]


def test_filter_by_assigned_dsl_and_status(client, auth, concerns, three):
    auth.login("dsl")
    dsl2 = client.application.people["dsl2"]
    concerns.add(three[0], "assignment", assignee_id=dsl2)
    assert listed(client.get(f"/concerns/queue?assignee={dsl2}").get_data(as_text=True)) == [three[0]]
    assert listed(client.get("/concerns/queue?status=in_progress").get_data(as_text=True)) == [three[0]]
    assert three[0] not in listed(client.get("/concerns/queue?assignee=none").get_data(as_text=True))


def test_a_bad_date_says_what_to_change_and_is_ignored(client, auth, three):
    auth.login("dsl")
    html = client.get("/concerns/queue?from=31/02/2026").get_data(as_text=True)
    assert "There is a problem" in html and len(listed(html)) == 3


def test_pages(client, auth, db, app, concerns):
    concerns.log("staff")
    first = next(db.query("SELECT * FROM concerns"))
    with db.atomic():
        for n in range(PER_PAGE + 4):
            store.insert_concern(db, {**first, "created_at": f"2026-01-01T00:{n:02d}:00Z", "item_id": None})
    auth.login("dsl")
    page1 = client.get("/concerns/queue").get_data(as_text=True)
    page2 = client.get("/concerns/queue?page=2").get_data(as_text=True)
    assert len(listed(page1)) == PER_PAGE and len(listed(page2)) == 5
    assert not set(listed(page1)) & set(listed(page2))
    assert "Page 1 of 2" in page1 and 'rel="next" href="/concerns/queue?page=2"' in page1
    assert f"of {PER_PAGE + 5}" in page1
    assert client.get("/concerns/queue?page=-3").status_code == 200


def test_new_concerns_are_counted_until_a_dsl_opens_them(client, auth, three):
    auth.login("dsl")
    assert "3 new concerns" in client.get("/concerns/queue").get_data(as_text=True)
    client.get(f"/concerns/{three[0]}")
    html = client.get("/concerns/queue").get_data(as_text=True)
    assert "2 new concerns" in html


def count_selects(client, path):
    """Count the SELECT statements one request runs."""
    from webapp import db as dbmodule
    statements, real = [], dbmodule.connect

    def tracing(db_path):
        conn = real(db_path)
        conn.conn.set_trace_callback(statements.append)
        return conn
    dbmodule.connect = tracing
    try:
        assert client.get(path).status_code == 200
    finally:
        dbmodule.connect = real
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_the_queue_runs_a_fixed_number_of_queries(client, auth, concerns, three):
    """No query per row: the number of statements does not grow with the rows shown."""
    auth.login("dsl")
    few = count_selects(client, "/concerns/queue")
    auth.logout()
    for _ in range(3):
        concerns.log("staff2")
    auth.login("dsl")
    assert count_selects(client, "/concerns/queue") == few


def test_past_the_count_cap_the_queue_says_more_than_and_still_pages(client, auth, db, concerns, monkeypatch):
    monkeypatch.setattr(store, "COUNT_CAP", PER_PAGE)
    concerns.log("staff")
    first = next(db.query("SELECT * FROM concerns"))
    with db.atomic():
        for n in range(PER_PAGE * 2):
            store.insert_concern(db, {**first, "created_at": f"2026-01-01T00:{n:02d}:00Z", "item_id": None})
    auth.login("dsl")
    page1 = client.get("/concerns/queue").get_data(as_text=True)
    assert f"of more than {PER_PAGE}" in page1 and "Page 1</span>" in page1
    page3 = client.get("/concerns/queue?page=3").get_data(as_text=True)
    assert len(listed(page3)) == 1 and 'rel="next"' not in page3


def test_unassigned_open_concerns_use_the_inbox_index(client, auth, concerns, three):
    auth.login("dsl")
    concerns.add(three[0], "assignment", assignee_id="me")
    concerns.add(three[2], "closing_override", body="Logged twice by mistake.")
    concerns.add(three[2], "closed")
    html = client.get("/concerns/queue?assignee=none&status=open&category=abusive_message").get_data(as_text=True)
    assert listed(html) == [three[1]]
