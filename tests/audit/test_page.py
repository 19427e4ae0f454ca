"""/audit: the head sees who did what, repeats folded; governors see counts; rules can hide lines."""
import html as html_text
import re
from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from tests.concerns.conftest import Concerns, png
from tests.conftest import Auth


@pytest.fixture
def concerns(client, auth):
    return Concerns(client, auth)


def audit_rows(html):
    """Return (who, what, about, times) for each line of the audit table."""
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        cells = [" ".join(html_text.unescape(c).split()) for c in cells]
        rows.append((cells[1], cells[2], cells[3], int(cells[4])))
    return rows


@pytest.mark.parametrize("who, status", [("staff", 403), ("dsl", 403), ("admin", 403),
                                         ("head", 200), ("governor", 200)])
def test_who_may_open_the_audit_log(client, auth, who, status):
    auth.login(who)
    assert client.get("/audit").status_code == status


def test_repeated_views_within_minutes_are_one_line_with_a_count(app, client, auth, concerns):
    first, second = concerns.log("staff"), concerns.log("staff2")
    auth.login("dsl")
    start = datetime.now(timezone.utc) + timedelta(minutes=1)
    for minute in (0, 2, 4, 6):  # each within five minutes of the one before: one line of 4
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert client.get(f"/concerns/{first}").status_code == 200
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        client.get(f"/concerns/{second}")
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        client.get(f"/concerns/{first}")  # later on: a line of its own
        head = app.test_client()
        Auth(head).login("head")
        rows = audit_rows(head.get("/audit").get_data(as_text=True))
    views = [r for r in rows if r[1] == "Viewed a case"]
    assert views == [("Diane Lead", "Viewed a case", f"Concern {first}", 1),
                     ("Diane Lead", "Viewed a case", f"Concern {second}", 1),
                     ("Diane Lead", "Viewed a case", f"Concern {first}", 4)]


def test_pictures_searches_and_reports_are_recorded(client, auth, concerns):
    concern_id = concerns.log("staff", files=[("message.png", png())])
    auth.login("head")
    assert client.get(f"/concerns/{concern_id}/pictures/1").data == png()
    client.get("/concerns/queue?q=football")
    client.get("/concerns/queue")  # no search: nothing to record
    client.get("/reports?from=2026-09-01&to=2026-12-31")
    assert client.get("/reports.csv?from=2026-09-01&to=2026-12-31").status_code == 200
    rows = audit_rows(client.get("/audit").get_data(as_text=True))
    whats = [r[1] for r in rows]
    assert "Opened a picture Picture: message.png" in whats
    assert "Searched the concern queue Searched for: football" in whats
    assert any(w.startswith("Viewed the governors' report Period: Autumn term 2026 (1 September 2026") for w in whats)
    assert any(w.startswith("Downloaded the governors' report as CSV") for w in whats)
    assert sum(w.startswith("Searched") for w in whats) == 1


def test_a_governor_sees_counts_and_no_names(client, auth, concerns):
    concern_id = concerns.log("staff")
    auth.login("dsl")
    for _ in range(3):
        client.get(f"/concerns/{concern_id}")
    auth.logout()
    auth.login("governor")
    html = client.get("/audit").get_data(as_text=True)
    assert "Diane Lead" not in html and f"Concern {concern_id}" not in html
    row = re.search(r"<td>Viewed a case</td><td class=\"count\">(\d+)</td>", html)
    assert row and row.group(1) == "3"


def test_a_visibility_rule_hides_a_cases_lines_from_a_reader(app, client, auth, concerns):
    from webapp import audit
    hidden = concerns.log("staff")
    shown = concerns.log("staff")
    head = app.people["head"]
    audit.add_visibility_rule(app, lambda db, reader, entry: not (
        reader.id == head and entry["subject"] == f"concern:{hidden}"))
    auth.login("dsl")
    client.get(f"/concerns/{hidden}")
    client.get(f"/concerns/{shown}")
    auth.logout()
    auth.login("head")
    abouts = [r[2] for r in audit_rows(client.get("/audit").get_data(as_text=True))]
    assert f"Concern {shown}" in abouts and f"Concern {hidden}" not in abouts
    case_page = client.get(f"/concerns/{hidden}").get_data(as_text=True)
    section = case_page[case_page.index("Who has opened this case"):]
    assert "Diane Lead" not in section


def test_older_entries_are_a_page_away(app, client, auth, db):
    from webapp import audit
    from webapp.audit import views
    auth.login("head")  # signing in is itself recorded: before the entries, so it is the oldest
    with app.app_context():
        for i in range(views.PER_PAGE + 5):
            audit.record(db, app.people["dsl"], "case.view", f"concern:{i}")
    html = client.get("/audit").get_data(as_text=True)
    older = re.search(r'href="/audit\?before=(\d+)"', html)
    assert older, "no link to older entries"
    rest = audit_rows(client.get(f"/audit?before={older.group(1)}").get_data(as_text=True))
    assert [r[2] for r in rest if r[2].startswith("Concern")] == [f"Concern {i}" for i in range(4, -1, -1)]
    assert client.get("/audit?before=99999999999999999999999").status_code == 200
