"""A database too busy to answer in time is the server's trouble: a page says so plainly, never a 500."""
import sqlite3


def locked():
    raise sqlite3.OperationalError("database is locked")


def broken():
    raise sqlite3.OperationalError("no such table: nowhere")


def test_a_locked_database_answers_503_with_retry_after_in_words_and_json(app, client):
    app.add_url_rule("/busy-page", "busy_page", locked)
    app.add_url_rule("/api/busy", "busy_api", locked)
    page = client.get("/busy-page")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "busy just now, so nothing was saved" in page.get_data(as_text=True)
    api = client.get("/api/busy")
    assert api.status_code == 503 and api.is_json and "busy" in api.get_json()["error"]


def test_any_other_database_error_is_still_a_500_and_logged(app, client, caplog):
    app.add_url_rule("/broken-page", "broken_page", broken)
    response = client.get("/broken-page")
    assert response.status_code == 500 and "Something went wrong on the server" in response.get_data(as_text=True)
    assert "Unhandled error" in caplog.text
