"""An item the school sends back to correct leaves the phone and tells its author where to find it."""
from playwright.sync_api import expect
from wtforms.validators import ValidationError

from tests.browser.conftest import sign_in
from tests.browser.phone import log_concern, outbox_count, ready_offline, rows
from webapp.concerns.forms import ConcernForm


def refuse_every_location(form, field):
    raise ValidationError("Say which room or area, using the school's names for them.")


def test_a_concern_the_school_sends_back_is_listed_for_its_author(page, context, live_server, monkeypatch):
    app, url = live_server.app, live_server.url
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, url, "RETURNED-1 a message on the class tablet")
    assert outbox_count(page) == 1
    # While it waited on the phone the school's rule for "Where" changed: the phone's copy of the
    # checks no longer matches, so the server's own check is the one that refuses it.
    monkeypatch.setattr(ConcernForm, "validate_location", refuse_every_location, raising=False)
    context.set_offline(False)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("[data-outbox-status]")).to_contain_text("1 item came back from the school to correct")
    assert outbox_count(page) == 0
    [kept] = rows(app, "SELECT kind, status, author_id, errors FROM returned_items")
    assert (kept["kind"], kept["status"], kept["author_id"]) == ("concern", "open", app.people["staff"])
    assert "Say which room or area" in kept["errors"]
    assert rows(app, "SELECT count(*) AS n FROM concerns")[0]["n"] == 0
    page.goto(f"{url}/concerns/mine")
    attention = page.get_by_role("region", name="Needs your attention")
    expect(attention).to_be_visible()
    expect(attention).to_contain_text("Say which room or area, using the school's names for them.")
    attention.get_by_role("link").first.click()
    expect(page.get_by_label("What happened?")).to_have_value("RETURNED-1 a message on the class tablet")
