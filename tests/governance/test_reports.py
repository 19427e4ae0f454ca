"""The governing body's report against a seeded school with known answers."""
import csv
import io
import re
from datetime import datetime, timezone

import pytest
import time_machine

from webapp.permissions import store as permissions_store
from webapp.sync import store as sync_store

from .conftest import add_concern, add_request, add_version

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
AUTUMN = "/reports.csv?from=2026-09-01&to=2026-12-31"


def hours_after(start, hours):
    stamp = datetime.fromisoformat(start.replace("Z", "+00:00")).timestamp() + hours * 3600
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat().replace("+00:00", "Z")


def seed_concerns(db, people):
    """Twelve concerns: eleven in the autumn term 2026, one in August (see the expected figures)."""
    def concern(category, at, *events):
        return add_concern(db, people, category, at, [(k, hours_after(at, h)) for k, h in events])

    concern("restricted_area", "2026-09-10T09:00:00Z", ("note", 2), ("outcome", 3), ("lessons_learnt", 4),
            ("closed", 50))
    concern("restricted_area", "2026-09-20T09:00:00Z", ("head_informed", 6), ("outcome", 7),
            ("lessons_learnt", 8), ("closed", 96))
    concern("restricted_area", "2026-09-25T09:00:00Z", ("note", 10))
    concern("abusive_message", "2026-10-05T09:00:00Z", ("behaviour_action", 0.5), ("outcome", 1), ("closed", 240))
    concern("abusive_message", "2026-10-06T09:00:00Z")
    concern("offensive_content", "2026-10-10T09:00:00Z", ("note", 24))
    concern("school_device", "2026-10-20T09:00:00Z", ("note", 3), ("closed", 48))
    concern("school_device", "2026-11-02T09:00:00Z", ("note", 4))
    concern("school_device", "2026-11-10T09:00:00Z")
    concern("school_device", "2026-11-20T09:00:00Z", ("note", 7))
    concern("other_online_safety", "2026-11-28T09:00:00Z")
    concern("illegal_content", "2026-08-15T09:00:00Z", ("police_contacted", 1))


def seed_requests(db, people):
    for day in ("2026-09-03", "2026-10-03", "2026-11-03"):
        add_request(db, people, f"{day}T10:00:00Z", outcome="approved")
    add_request(db, people, "2026-10-04T10:00:00Z", outcome="declined")
    add_request(db, people, "2026-10-05T10:00:00Z", refused_rule="restricted_area")
    add_request(db, people, "2026-10-06T10:00:00Z", refused_rule="restricted_area")
    add_request(db, people, "2026-10-07T10:00:00Z", refused_rule="photos_of_learners")
    add_request(db, people, "2026-08-07T10:00:00Z", refused_rule="contact_learners_or_parents")


def seed_devices_and_phones(db, people):
    now = NOW.isoformat().replace("+00:00", "Z")
    holder = people["staff"]
    for n, status in enumerate(["lost", "in_use", "in_use", "in_use", "in_use"]):
        device_id = permissions_store.add_device(
            db, {"asset_tag": f"TAB-{n}", "kind": "tablet", "issued_to": holder, "status": status}, holder, now)
        if n == 4:
            permissions_store.confirm_passcode(db, device_id, holder, "2026-11-01T09:00:00Z")
    sync_store.record_phone(db, "phone-a", holder, "push", 2, "2026-11-29T08:00:00Z", now)
    sync_store.record_phone(db, "phone-b", holder, "push", 1, "2026-12-01T10:00:00Z", now)
    for n, (written, received) in enumerate([("2026-10-01T09:00:00Z", "2026-10-03T09:00:00Z"),
                                             ("2026-10-01T09:00:00Z", "2026-10-02T10:00:00Z"),
                                             ("2026-11-01T09:00:00Z", "2026-11-04T09:00:00Z"),
                                             ("2026-11-01T09:00:00Z", "2026-11-01T12:00:00Z")]):
        sync_store.add_item(db, {"item_id": f"item-{n}", "content_sha256": "0" * 64, "status": "stored",
                                 "kind": "concern", "created_at": written, "uploader_id": holder,
                                 "author_id": holder, "device_id": f"phone-{n}", "received_at": received})


@pytest.fixture
def school(app, db, people):
    """The seeded school, with the clock at noon on 1 December 2026."""
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    seed_concerns(db, people)
    seed_requests(db, people)
    seed_devices_and_phones(db, people)
    with time_machine.travel(NOW, tick=False):
        yield


def figures_from_csv(text):
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "measure", "value"]
    return {(table, measure): value for table, measure, value in rows[1:]}


EXPECTED = {
    ("Concerns by category", "Device used in a no-phone area"): "3",
    ("Concerns by category", "Abusive or unkind message"): "fewer than 3",
    ("Concerns by category", "Offensive content on a device"): "fewer than 3",
    ("Concerns by category", "School device lost or unprotected"): "not shown",
    ("Concerns by category", "Any other online-safety worry"): "fewer than 3",
    ("Concerns by category", "Suspected illegal content or offence"): "0",
    ("Concerns by category", "All concerns"): "not shown",
    ("Concerns by month logged", "September 2026"): "3",
    ("Concerns by month logged", "October 2026"): "not shown",
    ("Concerns by month logged", "November 2026"): "not shown",
    ("Concerns by month logged", "December 2026"): "0",
    ("Where the period's concerns stand today", "Closed"): "not shown",
    ("Where the period's concerns stand today", "Still open"): "not shown",
    ("Actions recorded on the period's concerns", "Outcome"): "not shown",
    ("Actions recorded on the period's concerns", "Lessons learnt"): "fewer than 3",
    ("Actions recorded on the period's concerns", "Headteacher informed"): "fewer than 3",
    ("Actions recorded on the period's concerns", "Police contacted"): "0",
    ("How quickly concerns were dealt with", "Concerns measured to first DSL action"): "not shown",
    ("How quickly concerns were dealt with", "Median time to first DSL action"): "5 hours",
    ("How quickly concerns were dealt with", "Slowest time to first DSL action"): "24 hours",
    ("How quickly concerns were dealt with", "Median time to closing"): "3 days",
    ("How quickly concerns were dealt with", "Slowest time to closing"): "10 days",
    ("How quickly concerns were dealt with", "Concerns with no DSL action yet"): "not shown",
    ("Open cases by age", "Under a week"): "fewer than 3",
    ("Open cases by age", "1 to 4 weeks"): "fewer than 3",
    ("Open cases by age", "4 to 12 weeks"): "4",
    ("Open cases by age", "Over 12 weeks"): "fewer than 3",
    ("Requests to use a personal device", "Approved by the headteacher"): "not shown",
    ("Requests to use a personal device", "Declined by the headteacher"): "fewer than 3",
    ("Requests to use a personal device", "Refused on the spot by a rule of the policy"): "3",
    ("Requests to use a personal device", "Waiting for a decision"): "0",
    ("Requests refused on the spot, by rule", "A place where devices are never used (5.1.4)"): "fewer than 3",
    ("Requests refused on the spot, by rule", "Photos or video of learners (5.2.4)"): "fewer than 3",
    ("Requests refused on the spot, by rule", "Contacting learners, parents or carers (5.2.3)"): "0",
    ("School devices (today)", "Lost or stolen"): "fewer than 3",
    ("School devices (today)", "In use without a recent passcode check"): "3",
    ("Phones that held items unsent for more than a day", "Sent items more than a day old during the period"): "3",
    ("Phones that held items unsent for more than a day", "Holding items more than a day old now"): "fewer than 3",
}


def test_figures_match_the_seeded_school(school, client, auth):
    auth.login("governor")
    got = figures_from_csv(client.get(AUTUMN).get_data(as_text=True))
    assert {key: got.get(key) for key in EXPECTED} == EXPECTED


def test_the_page_shows_the_same_figures_as_the_csv(school, client, auth):
    auth.login("governor")
    html = client.get("/reports?from=2026-09-01&to=2026-12-31").get_data(as_text=True)
    cells = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="count">([^<]+)</td></tr>', html)
    assert ("Device used in a no-phone area", "3") in cells
    assert ("School device lost or unprotected", "not shown") in cells
    assert ("Abusive or unkind message", "fewer than 3") in cells and ("All concerns", "not shown") in cells
    assert ("4 to 12 weeks", "4") in cells
    assert "Autumn term 2026 (1 September 2026 to 31 December 2026)" in html  # exactly a term: named so
    assert "report-widened" not in html


def test_a_chart_is_accessible_and_says_what_its_table_says(school, client, auth):
    auth.login("head")
    html = client.get("/reports?from=2026-09-01&to=2026-12-31").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4
    category = next(s for s in svgs if "chart-concerns_by_category-title" in s)
    assert 'role="img"' in category and 'aria-labelledby="chart-concerns_by_category-title"' in category
    assert 'aria-describedby="chart-concerns_by_category-desc"' in category
    assert "<title id=\"chart-concerns_by_category-title\">Concerns by category</title>" in category
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", category).group(1)
    assert "Device used in a no-phone area: 3" in desc and "Abusive or unkind message: fewer than 3" in desc
    # One and two are drawn alike: the same outline, the same width.
    outlines = re.findall(r'<rect class="bar-suppressed"[^>]*width="([\d.]+)"', category)
    assert len(outlines) == 3 and len(set(outlines)) == 1


def test_default_period_is_the_current_term(app, client, auth):
    for moment, name, span in [
            ("2026-10-15T12:00:00Z", "Autumn term 2026", "1 September 2026 to 31 December 2026"),
            ("2027-02-10T12:00:00Z", "Spring term 2027", "1 January 2027 to 31 March 2027"),
            ("2027-06-30T12:00:00Z", "Summer term 2027", "1 April 2027 to 31 August 2027")]:
        with time_machine.travel(moment, tick=False):
            auth.login("governor")
            html = client.get("/reports").get_data(as_text=True)
            assert f"{name} ({span})" in html
            auth.logout()


@pytest.mark.parametrize("query, message", [
    ("from=2026-12-31&to=2026-09-01", "The end of the period cannot be before its start."),
    ("from=2026-13-45&to=2026-12-01", "Enter a real date"),
    ("from=2020-01-01&to=2026-12-01", "Choose a period of at most 5 years."),
    ("from=9999-12-01&to=9999-12-31", "Enter a date between 2000 and 2099."),
    ("from=0001-01-01", "Enter a date between 2000 and 2099."),
])
def test_a_bad_period_gets_a_clear_message(app, client, auth, query, message):
    auth.login("governor")
    page = client.get(f"/reports?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and message in html and "There is a problem" in html
    assert "report-section" not in html
    download = client.get(f"/reports.csv?{query}")
    assert download.status_code == 400 and message in download.get_data(as_text=True)


def test_csv_is_a_download_named_after_the_period(school, client, auth):
    auth.login("dsl")
    response = client.get(AUTUMN)
    assert response.mimetype == "text/csv"
    assert 'filename="policy-report-2026-09-01-to-2026-12-31.csv"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("who, status", [("staff", 403), ("staff2", 403), ("admin", 403),
                                         ("governor", 200), ("head", 200), ("dsl", 200)])
def test_who_may_open_reports(app, client, auth, who, status):
    auth.login(who)
    assert client.get("/reports").status_code == status
    assert client.get("/reports.csv").status_code == status


def test_opening_a_report_writes_no_case_access_entries(school, client, auth, db):
    case_access = "SELECT count(*) FROM audit_log WHERE action IN ('case.view', 'attachment.open')"
    before = db.execute(case_access).fetchone()[0]
    for who in ("governor", "dsl", "head"):
        auth.login(who)
        client.get(AUTUMN)
        client.get("/reports?from=2026-09-01&to=2026-12-31")
        auth.logout()
    assert db.execute(case_access).fetchone()[0] == before


def test_a_governor_sees_no_individual_case(school, app, client, auth, db):
    auth.login("governor")
    concern_id = db.execute("SELECT max(id) FROM concerns").fetchone()[0]
    case_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/concerns")]
    assert case_rules
    for rule in case_rules:
        url = rule.rule.replace("<int:concern_id>", str(concern_id)).replace("<int:attachment_id>", "1")
        if "GET" in rule.methods and "<" not in url:
            assert client.get(url).status_code == 403, url
    html = client.get("/reports?from=2026-09-01&to=2026-12-31").get_data(as_text=True)
    assert "/concerns/" not in html
