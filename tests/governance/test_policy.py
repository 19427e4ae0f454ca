"""Policy versions: adding them (text or PDF), the version in force, ratification by a governor."""
import io
from datetime import date

import pytest
import time_machine

from webapp.governance import store

from .conftest import add_version

GOOD = {"title": "Mobile technology policy 2026", "written_on": "2026-07-01", "effective_on": "2026-09-01",
        "next_review_on": "2027-07-01"}


def post_version(client, auth, **changes):
    data = {**GOOD, "body_markdown": "# Rules\n\nNo phones in the pool.", "csrf_token": auth.csrf("/policy/versions/new")}
    data.update(changes)
    return client.post("/policy/versions/new", data=data, content_type="multipart/form-data")


def count_versions(db):
    return db.execute("SELECT count(*) FROM policy_versions").fetchone()[0]


def test_no_version_yet(client, auth):
    auth.login("staff")
    assert "No version of the policy is in force" in client.get("/policy").get_data(as_text=True)


@time_machine.travel("2026-10-01T12:00:00Z", tick=False)
def test_admin_adds_a_markdown_version_shown_sanitised_with_its_dates(client, auth, db):
    auth.login("admin")
    response = post_version(client, auth, body_markdown="# Rules\n\nNo phones <script>alert(1)</script> in the pool.\n\n"
                                                        "[site](javascript:alert(2))")
    assert response.status_code == 302
    auth.logout()
    auth.login("staff")
    html = client.get("/policy").get_data(as_text=True)
    assert "<h2>Rules</h2>" in html and "No phones" in html
    assert "<script>alert" not in html and "javascript:" not in html
    for text in ("1 July 2026", "1 September 2026", "1 July 2027", "Not yet recorded"):
        assert text in html


@time_machine.travel("2026-10-01T12:00:00Z", tick=False)
def test_admin_adds_a_pdf_version_served_only_to_people_signed_in(app, client, auth, db):
    auth.login("admin")
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    response = post_version(client, auth, body_markdown="", document=(io.BytesIO(pdf), "policy.pdf"))
    assert response.status_code == 302
    version = store.version_in_force(db, date(2026, 10, 1))
    assert version["pdf_file"] and version["body_markdown"] is None
    auth.logout()
    auth.login("staff")
    assert "Open the policy (PDF)" in client.get("/policy").get_data(as_text=True)
    served = client.get(f"/policy/versions/{version['id']}/document.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf" and served.data == pdf
    assert served.headers["Cache-Control"] == "no-store"
    auth.logout()
    anonymous = client.get(f"/policy/versions/{version['id']}/document.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@pytest.mark.parametrize("upload, message", [
    ((b"PK\x03\x04 a word file", "policy.docx"), "The file must be a PDF"),
    ((b"not really a pdf", "policy.pdf"), "The file must be a PDF"),
])
def test_an_unknown_file_type_is_refused_and_nothing_stored(app, client, auth, db, tmp_path, upload, message):
    auth.login("admin")
    response = post_version(client, auth, body_markdown="", document=(io.BytesIO(upload[0]), upload[1]))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert count_versions(db) == 0
    assert not list((tmp_path / "uploads").rglob("*.*"))


@pytest.mark.parametrize("changes, message", [
    ({"next_review_on": "2026-06-30"}, "The next review cannot be before the date written."),
    ({"next_review_on": "2027-07-02"}, "Review at least once a year: choose a date no later than 01/07/2027."),
    ({"effective_on": "2026-06-01"}, "A version cannot take effect before the date it was written."),
    ({"body_markdown": ""}, "Paste the text of the policy or upload it as a PDF."),
    ({"written_on": "31 July"}, "Enter a real date"),
])
def test_bad_dates_or_no_text_get_a_clear_message(client, auth, db, changes, message):
    auth.login("admin")
    response = post_version(client, auth, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "There is a problem" in html
    assert GOOD["title"] in html  # what was typed is kept
    assert count_versions(db) == 0


def test_only_an_admin_adds_versions(client, auth):
    for who in ("staff", "head", "governor"):
        auth.login(who)
        assert client.get("/policy/versions/new").status_code == 403
        auth.logout()


def test_the_version_in_force_changes_on_its_effective_date(app, client, auth, db, people):
    add_version(db, people, written="2025-07-01", effective="2025-09-01", review="2026-07-01", title="Old version")
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01", title="New version")
    with time_machine.travel("2026-08-31T12:00:00Z", tick=False):
        auth.login("staff")
        assert '<p class="lead">Old version</p>' in client.get("/policy").get_data(as_text=True)
    with time_machine.travel("2026-09-01T12:00:00Z", tick=False):
        auth.login("staff")
        assert '<p class="lead">New version</p>' in client.get("/policy").get_data(as_text=True)


@time_machine.travel("2026-10-01T12:00:00Z", tick=False)
def test_a_governor_records_ratification(client, auth, db, people):
    version_id = add_version(db, people)
    auth.login("governor")
    url = f"/policy/versions/{version_id}/ratify"
    for day, message in [("2026-10-02", "cannot be in the future"), ("2026-06-30", "before it was written")]:
        response = client.post(url, data={"ratified_on": day, "csrf_token": auth.csrf(url)})
        assert response.status_code == 200 and message in response.get_data(as_text=True)
        assert store.get_version(db, version_id)["ratified_on"] is None
    response = client.post(url, data={"ratified_on": "2026-09-15", "csrf_token": auth.csrf(url)})
    assert response.status_code == 302
    version = store.get_version(db, version_id)
    assert version["ratified_on"] == "2026-09-15" and version["ratified_by"] == people["governor"]
    auth.logout()
    auth.login("staff")
    assert "15 September 2026" in client.get("/policy").get_data(as_text=True)


def test_only_a_governor_records_ratification(client, auth, db, people):
    version_id = add_version(db, people)
    for who in ("staff", "head", "admin"):
        auth.login(who)
        assert client.get(f"/policy/versions/{version_id}/ratify").status_code == 403
        auth.logout()


def test_every_version_can_be_read(client, auth, db, people):
    old = add_version(db, people, written="2020-07-01", effective="2020-09-01", review="2021-07-01",
                      title="First version", body="Old rules.")
    add_version(db, people, title="Second version")
    auth.login("staff")
    html = client.get(f"/policy/versions/{old}").get_data(as_text=True)
    assert "Old rules." in html and "replaced by a newer one" in html
    assert client.get("/policy/versions/999").status_code == 404
