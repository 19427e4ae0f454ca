"""A real school's first start: no demo records, a one-time set-up link for the first admin, and a
marker that keeps demo data out for good. A demo school says so on every page."""
import re

import pytest
import time_machine

from tests.conftest import csrf_from
from webapp.db import connect

ADMIN = {"name": "Pat Office", "email": "pat.office@oaklane.sch.uk", "new_password": "quiet harbour lantern 7",
         "confirm": "quiet harbour lantern 7"}


@pytest.fixture
def empty(fresh_installation):
    app = fresh_installation("school")
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    return app


def first_start(app, *args):
    result = app.test_cli_runner().invoke(args=["first-start", *args])
    assert result.exit_code == 0, result.output
    return result.output


def link_in(output):
    return re.search(r"https?://\S+/setup/(\S+)", output).group(1)


def count(app, sql):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.conn.close()


def test_a_real_school_starts_empty_and_its_first_admin_sets_up_from_the_link(empty):
    output = first_start(empty, "--no-demo")
    assert "Open this link within 24 hours" in output
    assert count(empty, "SELECT count(*) FROM users") == 0 and count(empty, "SELECT count(*) FROM concerns") == 0
    client = empty.test_client()
    page = client.get(f"/setup/{link_in(output)}")
    assert page.status_code == 200 and "Demo school" not in page.get_data(as_text=True)
    response = client.post(f"/setup/{link_in(output)}",
                           data={**ADMIN, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Pat Office" in home and "Demo school" not in home
    assert count(empty, "SELECT group_concat(role) FROM user_roles") == "admin"

    again = empty.test_client().get(f"/setup/{link_in(output)}")
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert "no demo records are ever added" in first_start(empty)  # a later `make run` (DEMO=1)
    assert count(empty, "SELECT count(*) FROM users") == 1


def test_the_link_points_where_make_run_listens_until_base_url_is_set(empty):
    assert "http://127.0.0.1:5811/setup/" in first_start(empty, "--no-demo", "--address", "http://127.0.0.1:5811")
    empty.config["BASE_URL"] = "https://safeguarding.oaklane.example"
    assert "https://safeguarding.oaklane.example/setup/" in first_start(empty, "--no-demo", "--address", "x")


def test_the_link_is_refused_after_24_hours_and_a_new_start_prints_a_new_one(empty):
    output = first_start(empty, "--no-demo")
    with time_machine.travel("2099-01-01T00:00:00Z"):
        page = empty.test_client().get(f"/setup/{link_in(output)}")
    assert page.status_code == 410 and "valid for 24 hours" in page.get_data(as_text=True)
    newer = first_start(empty, "--no-demo")
    assert link_in(newer) != link_in(output)
    assert empty.test_client().get(f"/setup/{link_in(output)}").status_code == 410  # the older one ends
    assert empty.test_client().get(f"/setup/{link_in(newer)}").status_code == 200
    assert empty.test_client().get("/setup/made-up").status_code == 404


def test_bad_details_on_the_set_up_page_get_clear_messages_and_keep_the_link(empty):
    token = link_in(first_start(empty, "--no-demo"))
    client = empty.test_client()
    page = client.get(f"/setup/{token}").get_data(as_text=True)
    response = client.post(f"/setup/{token}", data={**ADMIN, "confirm": "something else entirely",
                                                     "csrf_token": csrf_from(page)})
    assert response.status_code == 200 and "The two passwords are not the same." in response.get_data(as_text=True)
    assert count(empty, "SELECT count(*) FROM users") == 0
    assert client.get(f"/setup/{token}").status_code == 200


def test_demo_records_can_never_be_added_to_a_real_school(empty):
    first_start(empty, "--no-demo")
    result = empty.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "real school" in result.output
    assert count(empty, "SELECT count(*) FROM users") == 0
    db = connect(empty.config["DATABASE"])
    with pytest.raises(Exception, match="never changes"):
        db.execute("UPDATE installation SET kind = 'demo'")
    db.conn.close()


def test_a_demo_school_says_so_on_every_page_and_stays_a_demo(fresh_installation):
    demo = fresh_installation("demo")
    demo.test_cli_runner().invoke(args=["init-db"])
    output = first_start(demo)
    assert "Demo school created" in output
    assert "Demo school: not for real records" in demo.test_client().get("/login").get_data(as_text=True)
    later = first_start(demo, "--no-demo")
    assert "stays one" in later and "/setup/" not in later
