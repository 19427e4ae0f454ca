"""One child's record: flags set and cleared by dated entries, one chronology across every linked
concern in date order (filtered by kind and date), and the queue filtered by child."""
import re

import time_machine

from tests.conftest import csrf_from


def section(html, start, end):
    return html[html.index(f'id="{start}"'):html.index(f'id="{end}"')]


def set_flag(client, learner_id, flag, change, on_date, body=""):
    token = csrf_from(client.get(f"/learners/{learner_id}").get_data(as_text=True))
    return client.post(f"/learners/{learner_id}/flags", data={
        "csrf_token": token, "flag": flag, "change": change, "on_date": on_date, "body": body})


def test_flags_are_set_and_cleared_by_dated_entries(linked_case, client, db):
    _, ids = linked_case
    ollie = ids["A123456789012"]
    assert "No flags have been set" in client.get(f"/learners/{ollie}").get_data(as_text=True)
    assert set_flag(client, ollie, "child_in_need", "set", "2026-09-01", "Section 17 plan").status_code == 302
    assert set_flag(client, ollie, "early_help", "set", "2026-05-01").status_code == 302
    assert set_flag(client, ollie, "early_help", "cleared", "2026-10-15").status_code == 302
    flags = section(client.get(f"/learners/{ollie}").get_data(as_text=True), "flags", "siblings")
    assert re.search(r"Child in need: <strong>set</strong> from 1 September 2026", flags)
    assert "Early help: cleared on 15 October 2026" in flags
    assert "Looked after" not in flags.split("<details>")[0]
    entries = [(r["kind"], r["flag"], r["on_date"], r["body"]) for r in
               db.query("SELECT * FROM learner_entries ORDER BY id")]
    assert entries == [("flag_set", "child_in_need", "2026-09-01", "Section 17 plan"),
                       ("flag_set", "early_help", "2026-05-01", ""),
                       ("flag_cleared", "early_help", "2026-10-15", "")]
    # Set again after clearing: the latest dated entry is what holds.
    set_flag(client, ollie, "early_help", "set", "2026-11-01")
    flags = section(client.get(f"/learners/{ollie}").get_data(as_text=True), "flags", "siblings")
    assert "Early help: <strong>set</strong> from 1 November 2026" in flags


def test_a_wrong_flag_is_refused_plainly_and_nothing_is_written(linked_case, client, db):
    _, ids = linked_case
    ollie = ids["A123456789012"]
    for flag, change, day, message in (("wizard", "set", "2026-09-01", "Choose one of the flags listed"),
                                       ("looked_after", "maybe", "2026-09-01", "Choose set or cleared"),
                                       ("looked_after", "set", "", "Enter the date it was set or cleared"),
                                       ("looked_after", "set", "31/02/2026", "Not a valid date")):
        response = set_flag(client, ollie, flag, change, day)
        assert response.status_code == 302
        assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM learner_entries").fetchone()[0] == 0


def test_one_chronology_across_two_concerns_in_date_order(pupils, concerns, auth, client):
    ids = pupils.load()
    ollie = ids["A123456789012"]
    with time_machine.travel("2026-10-05T09:00:00Z", tick=False):
        first = concerns.log("staff", {"category": "abusive_message", "account": "First: a nasty message."})
    with time_machine.travel("2026-11-10T09:00:00Z", tick=False):
        second = concerns.log("staff2", {"category": "restricted_area", "account": "Second: phone in toilets."})
    other = concerns.log("staff", {"account": "About someone else entirely."})
    auth.login("dsl")
    pupils.link(second, ollie)
    pupils.link(first, ollie)
    concerns.add(first, "note", body="Spoke to parents about the message.")
    html = client.get(f"/learners/{ollie}").get_data(as_text=True)
    chronology = html[html.index('id="chronology"'):html.index('id="access"')]
    order = [chronology.index(text) for text in ("First: a nasty message.", "Second: phone in toilets.",
                                                 "Spoke to parents about the message.")]
    assert order == sorted(order)
    assert f"concern {first}" in chronology and f"concern {second}" in chronology
    assert "About someone else entirely" not in chronology and f"concern {other}<" not in chronology
    # Filtered by kind of concern, then by date.
    only = client.get(f"/learners/{ollie}?category=restricted_area").get_data(as_text=True)
    only = only[only.index('id="chronology"'):only.index('id="access"')]
    assert "Second: phone in toilets." in only and "First: a nasty message." not in only
    dated = client.get(f"/learners/{ollie}?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    dated = dated[dated.index('id="chronology"'):dated.index('id="access"')]
    assert "First: a nasty message." in dated and "Second" not in dated and "Spoke to parents" not in dated
    junk = client.get(f"/learners/{ollie}?from=yesterday&category=<script>")
    assert junk.status_code == 200 and "Second: phone in toilets." in junk.get_data(as_text=True)


def test_the_queue_filters_by_child(pupils, concerns, auth, client):
    ids = pupils.load()
    first = concerns.log("staff")
    second = concerns.log("staff")
    third = concerns.log("staff")
    auth.login("dsl")
    pupils.link(first, ids["A123456789012"])
    pupils.link(third, ids["A123456789012"])
    pupils.link(second, ids["A123456789013"])
    html = client.get(f"/concerns/queue?learner={ids['A123456789012']}").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'href="/concerns/(\d+)"', html)] == [third, first]
    assert "Only concerns linked to" in html and "Ollie Smith" in html
    record = client.get(f"/learners/{ids['A123456789012']}").get_data(as_text=True)
    assert f'/concerns/queue?learner={ids["A123456789012"]}' in record
    for junk in ("999999", "abc", ""):
        response = client.get(f"/concerns/queue?learner={junk}")
        assert response.status_code == 200
        assert len(re.findall(r'href="/concerns/(\d+)"', response.get_data(as_text=True))) == 3
