"""Every member of staff acknowledges the version in force once, and again for each new version."""
import time_machine

from webapp.governance import store

from .conftest import add_version

BANNER = "A version you have not yet acknowledged is in force."


def acknowledge(client, auth, version_id, confirm=True):
    data = {"policy_version_id": str(version_id), "csrf_token": auth.csrf("/policy")}
    if confirm:
        data["confirm"] = "y"
    return client.post("/policy/acknowledge", data=data)


def acknowledgements(db):
    return db.execute("SELECT policy_version_id, user_id FROM policy_acknowledgements").fetchall()


@time_machine.travel("2026-10-01T12:00:00Z", tick=False)
def test_staff_acknowledge_once(client, auth, db, people):
    version_id = add_version(db, people)
    auth.login("staff")
    assert BANNER in client.get("/").get_data(as_text=True)
    assert acknowledge(client, auth, version_id).status_code == 302
    assert acknowledge(client, auth, version_id).status_code == 302
    assert acknowledgements(db) == [(version_id, people["staff"])]
    assert BANNER not in client.get("/").get_data(as_text=True)
    html = client.get("/policy").get_data(as_text=True)
    assert "You acknowledged this version on 1 Oct 2026" in html and 'name="confirm"' not in html


@time_machine.travel("2026-10-01T12:00:00Z", tick=False)
def test_an_unticked_box_is_not_an_acknowledgement(client, auth, db, people):
    version_id = add_version(db, people)
    auth.login("staff")
    response = acknowledge(client, auth, version_id, confirm=False)
    assert response.status_code == 200
    assert "Tick the box to confirm you have read it." in response.get_data(as_text=True)
    assert acknowledgements(db) == []


def test_a_new_version_asks_again(app, client, auth, db, people):
    first = add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    second = add_version(db, people, written="2027-06-01", effective="2027-06-15", review="2028-06-01")
    with time_machine.travel("2026-10-01T12:00:00Z", tick=False):
        auth.login("staff")
        acknowledge(client, auth, first)
        assert BANNER not in client.get("/").get_data(as_text=True)
    with time_machine.travel("2027-06-15T08:00:00Z", tick=False):
        auth.login("staff")
        assert BANNER in client.get("/").get_data(as_text=True)
        assert 'name="confirm"' in client.get("/policy").get_data(as_text=True)
        acknowledge(client, auth, first)  # the old version's form, kept open in a tab
        assert (second, people["staff"]) not in acknowledgements(db)
        acknowledge(client, auth, second)
        assert (second, people["staff"]) in acknowledgements(db)
        assert BANNER not in client.get("/").get_data(as_text=True)


@time_machine.travel("2026-10-01T12:00:00Z", tick=False)
def test_the_head_sees_who_has_not_and_reminds_them(client, auth, db, people, mailbox):
    version_id = add_version(db, people)
    store.acknowledge(db, version_id, people["staff"])
    auth.login("head")
    html = client.get("/policy/acknowledgements").get_data(as_text=True)
    assert "1 of 5 members of staff have acknowledged it." in html
    assert "Sam Second" in html and "Gary Governor" not in html and "Ada Admin" not in html
    response = client.post("/policy/acknowledgements/remind",
                           data={"csrf_token": auth.csrf("/policy/acknowledgements")})
    assert response.status_code == 302
    sent_to = sorted(m["to"][0] for m in mailbox.messages)
    assert sent_to == ["dsl2@test.school", "dsl@test.school", "head@test.school", "staff2@test.school"]
    assert all("/policy" in m["body"] for m in mailbox.messages)
    assert db.execute("SELECT count(*) FROM acknowledgement_reminders").fetchone()[0] == 4


def test_only_the_head_sees_acknowledgements(client, auth, db, people):
    add_version(db, people)
    for who in ("staff", "dsl", "governor", "admin"):
        auth.login(who)
        assert client.get("/policy/acknowledgements").status_code == 403
        auth.logout()
