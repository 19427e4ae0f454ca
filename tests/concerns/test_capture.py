"""Logging a concern through the form: every category, bad input refused, nothing half-saved."""
import os
from datetime import timedelta

import pytest
from markupsafe import escape

from webapp.concerns.categories import CATEGORIES
from webapp.concerns.evidence import MAX_BYTES, MAX_FILES

from .conftest import GIF, JPEG, WEBP, png, school_time


def rows(db, table):
    return list(db.query(f"SELECT * FROM {table}"))


@pytest.mark.parametrize("category", [c.key for c in CATEGORIES])
def test_each_category_can_be_logged(auth, concerns, db, app, category):
    auth.login("staff")
    response = concerns.post_concern({"category": category, "urgent": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/concerns/mine")
    [row] = rows(db, "concerns")
    assert row["category"] == category and row["reporter_id"] == app.people["staff"]
    assert row["source"] == "web" and row["item_id"] is None
    assert row["urgent"] == 1 and row["told_dsl_in_person"] == 1
    assert row["account"].startswith("Pupil showed me")
    [state] = rows(db, "concern_state")
    assert state["status"] == "received"


def test_the_confirmation_gives_the_number_shown_on_my_concerns(auth, concerns, db):
    auth.login("staff")
    concerns.post_concern()
    page = auth.client.get("/concerns/mine").get_data(as_text=True)
    [row] = rows(db, "concerns")
    assert f"Sent — concern number {row['id']} has reached the DSLs." in page
    assert f"<td>{row['id']}</td>" in page


def test_form_shows_every_category_with_its_explanation_and_clause(auth, client):
    auth.login("staff")
    html = client.get("/concerns/new").get_data(as_text=True)
    for c in CATEGORIES:
        assert f'value="{c.key}"' in html and str(escape(c.explanation)) in html and f"Clause {c.clause}." in html
    assert "call 999" in html and "101" in html
    assert 'data-outbox="concern"' in html and 'enctype="multipart/form-data"' in html
    assert 'type="datetime-local"' in html and 'name="attachments"' in html
    assert "Never attach anything for suspected illegal content" in html
    assert "Do not photograph, screenshot, copy or forward it" in html


def test_time_is_stored_in_utc_from_school_time(auth, concerns, db):
    auth.login("staff")
    concerns.post_concern({"occurred_at": "2026-07-01T09:15"})  # British Summer Time
    assert rows(db, "concerns")[0]["occurred_at"] == "2026-07-01T08:15:00Z"


def test_missing_fields_show_a_summary_and_keep_what_was_typed(auth, concerns, db):
    auth.login("staff")
    response = concerns.post_concern({"category": None, "location": "", "account": "",
                                      "learners": "Year 2 pupil typed this"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    for message in ("Choose what kind of concern this is.", "Say where it happened.", "Say what happened."):
        assert message in html
    assert 'href="#category"' in html and 'href="#location"' in html
    assert "Year 2 pupil typed this" in html
    assert rows(db, "concerns") == []


@pytest.mark.parametrize("data, message", [
    ({"occurred_at": school_time(timedelta(hours=2))}, "That time is in the future"),
    ({"occurred_at": "yesterday"}, "Enter the date and time like"),
    ({"occurred_at": ""}, "Enter when it happened."),
    ({"category": "bullying"}, "Choose one of the kinds of concern listed."),
    ({"location": "x" * 201}, "Use at most 200 characters."),
    ({"account": "x" * 10001}, "Use at most 10,000 characters."),
])
def test_bad_input_is_refused_with_a_clear_message(auth, concerns, db, data, message):
    auth.login("staff")
    response = concerns.post_concern(data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert rows(db, "concerns") == [] and rows(db, "concern_state") == []


def test_a_minute_of_clock_skew_is_allowed(auth, concerns, db):
    auth.login("staff")
    response = concerns.post_concern({"occurred_at": school_time(timedelta(minutes=1))})
    assert response.status_code == 302


@pytest.mark.parametrize("name, body", [("a.png", png()), ("b.jpg", JPEG), ("c.gif", GIF), ("d.webp", WEBP),
                                        ("screenshot.txt", png())])
def test_pictures_are_stored_outside_static_under_a_random_name(auth, concerns, db, app, name, body):
    auth.login("staff")
    assert concerns.post_concern(files=[(name, body)]).status_code == 302
    [att] = rows(db, "concern_attachments")
    assert att["filename"] == name and att["size"] == len(body)
    assert att["stored_name"] != name and len(att["stored_name"]) == 32
    path = os.path.join(app.config["UPLOAD_FOLDER"], att["stored_name"])
    assert open(path, "rb").read() == body
    assert "static" not in os.path.relpath(path, app.root_path).split(os.sep)[:2]


@pytest.mark.parametrize("files, message", [
    ([("evil.png", b"<script>alert(1)</script>")], "is not a JPEG, PNG, WebP or GIF picture"),
    ([("doc.jpg", b"%PDF-1.7 not a picture")], "is not a JPEG, PNG, WebP or GIF picture"),
    ([("big.png", png() + b"\x00" * MAX_BYTES)], "is larger than 5 MB"),
    ([(f"p{n}.png", png()) for n in range(MAX_FILES + 1)], f"Attach at most {MAX_FILES} pictures"),
    ([("empty.png", b"")], "is empty"),
])
def test_bad_attachments_are_refused_and_nothing_is_saved(auth, concerns, db, app, files, message):
    auth.login("staff")
    response = concerns.post_concern(files=files)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert rows(db, "concerns") == [] and rows(db, "concern_attachments") == []
    folder = app.config["UPLOAD_FOLDER"]
    assert not os.path.exists(folder) or os.listdir(folder) == []


def test_illegal_content_takes_no_attachments_and_says_why(auth, concerns, db, app):
    auth.login("staff")
    response = concerns.post_concern({"category": "illegal_content"}, files=[("proof.png", png())])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "suspected illegal images must never be copied" in html
    assert rows(db, "concerns") == []
    assert concerns.post_concern({"category": "illegal_content"}).status_code == 302


def test_the_concern_form_holds_nothing_personal(auth, concerns, client):
    concerns.log("staff2", {"account": "Secret narrative about a Year 6 pupil", "learners": "Pupil Zed"})
    auth.login("staff")
    html = client.get("/concerns/new").get_data(as_text=True)
    assert "Secret narrative" not in html and "Pupil Zed" not in html and "Sam Second" not in html


def test_the_form_takes_every_picture_at_its_largest_past_the_app_wide_limit(auth, concerns, db, app):
    biggest = png() + b"\x00" * (MAX_BYTES - len(png()))
    assert MAX_FILES * MAX_BYTES > app.config["MAX_CONTENT_LENGTH"]
    auth.login("staff")
    response = concerns.post_concern(files=[(f"p{n}.png", biggest) for n in range(MAX_FILES)])
    assert response.status_code == 302
    assert db.execute("SELECT count(*), min(size) FROM concern_attachments").fetchone() == (MAX_FILES, MAX_BYTES)


def test_pictures_must_be_chosen_again_after_a_problem(auth, concerns):
    auth.login("staff")
    html = concerns.post_concern({"account": ""}, files=[("a.png", png())]).get_data(as_text=True)
    assert "choose them again" in html


@pytest.mark.parametrize("value, stored", [("y", 1), ("true", 1), ("0", 0), ("no", 0), ("false", 0)])
def test_tick_boxes_read_yes_and_no(auth, concerns, db, value, stored):
    auth.login("staff")
    concerns.post_concern({"urgent": value})
    assert db.execute("SELECT urgent FROM concerns").fetchone()[0] == stored
