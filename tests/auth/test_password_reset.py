"""Forgotten passwords: a single-use emailed link, 30 minutes, and the same answer for any address."""
import re
from datetime import timedelta

import time_machine

from tests.conftest import PASSWORD, Auth, csrf_from
from webapp.clock import utcnow

NEW_PASSWORD = "lantern harbour quietly 42"


def ask(client, email):
    page = client.get("/login/forgot").get_data(as_text=True)
    return client.post("/login/forgot", data={"email": email, "csrf_token": csrf_from(page)},
                       follow_redirects=True).get_data(as_text=True)


def link_in(mailbox):
    return re.search(r"http\S+/login/reset/(\S+)", mailbox.messages[-1]["body"]).group(1)


def choose(client, token, password=NEW_PASSWORD):
    page = client.get(f"/login/reset/{token}")
    if page.status_code != 200:
        return page
    return client.post(f"/login/reset/{token}", data={"new_password": password,
                                                      "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_the_same_answer_whether_or_not_the_address_has_an_account(client, mailbox):
    known, unknown = ask(client, "staff@test.school"), ask(client, "nobody@test.school")
    strip = lambda html: re.sub(r'value="[^"]*"|nonce="[^"]*"|data-[a-z-]+="[^"]*"', "", html)  # noqa: E731
    assert "If that address belongs to an account here" in known
    assert strip(known) == strip(unknown)
    assert [m["to"] for m in mailbox.messages] == [["staff@test.school"]]


def test_the_link_works_once_and_ends_other_sessions(app, client, mailbox, db):
    signed_in = app.test_client()
    Auth(signed_in).login("staff")
    ask(client, "staff@test.school")
    token = link_in(mailbox)
    assert choose(client, token).status_code == 302
    assert signed_in.get("/").status_code == 302  # signed out
    assert Auth(client).login("staff", NEW_PASSWORD).headers["Location"] == "/"
    assert choose(app.test_client(), token, "another fine password 7").status_code == 410
    assert Auth(app.test_client()).login("staff", PASSWORD).status_code == 200  # the old one is gone


def test_the_link_expires_after_30_minutes(app, client, mailbox):
    ask(client, "staff@test.school")
    token = link_in(mailbox)
    with time_machine.travel(utcnow() + timedelta(minutes=31)):
        assert choose(app.test_client(), token).status_code == 410
    assert Auth(app.test_client()).login("staff", PASSWORD).headers["Location"] == "/"


def test_without_a_mail_server_the_page_sends_people_to_the_office(client):
    page = client.get("/login/forgot").get_data(as_text=True)
    assert "Ask the school office" in page and 'name="email"' not in page
