"""The home page offers each person exactly the pages their roles open, read from the pages' guards."""
import re

import pytest

from webapp.home import LINKS

ROLES = ["staff", "dsl", "head", "governor", "admin"]


def tiles(client):
    return re.findall(r'<a class="tile" href="([^"]+)"', client.get("/").get_data(as_text=True))


@pytest.mark.parametrize("who", ROLES)
def test_every_link_on_the_home_page_opens_for_its_person(client, auth, who):
    auth.login(who)
    shown = tiles(client)
    assert shown and len(shown) == len(set(shown))
    assert [path for path in shown if client.get(path).status_code != 200] == []


@pytest.mark.parametrize("who", ROLES)
def test_every_listed_page_a_person_may_open_is_on_their_home_page(app, client, auth, who):
    auth.login(who)
    shown = set(tiles(client))
    with app.test_request_context():
        from flask import url_for
        paths = {url_for(endpoint): endpoint for endpoint, _label, _hint in LINKS}
    opens = {path for path in paths if client.get(path).status_code == 200}
    assert opens == shown


def test_the_headteacher_sees_the_dsl_pages_and_a_governor_only_reports(client, auth):
    auth.login("head")
    assert {"/concerns/queue", "/requests/decisions", "/reports", "/audit"} <= set(tiles(client))
    auth.logout()
    auth.login("governor")
    assert tiles(client) == ["/reports", "/audit", "/policy", "/account/two-factor", "/account/passkeys",
                             "/account/phones", "/account/password", "/key-details", "/whistleblowing"]
