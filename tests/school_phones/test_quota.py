"""The daily cap on items kept aside from one school phone: beyond it a push is refused whole (429)."""
from .conftest import rows
from .test_push import staff_named


def test_past_the_cap_a_school_phones_push_is_refused_whole_and_dsls_see_it(app, client, auth, school_phone):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 2
    not_a_concern = [school_phone.concern(f"PHONE-CAP-{n}", staff_named(app), kind="note") for n in range(2)]
    assert school_phone.statuses(not_a_concern) == ["quarantined", "quarantined"]
    good = school_phone.concern("PHONE-CAP-GOOD a child hurt in the playground", staff_named(app))
    response = school_phone.push([good, school_phone.concern("PHONE-CAP-3", staff_named(app), kind="note")])
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert response.get_json()["error"].startswith("Too many items from this school phone have been kept aside today")
    assert not rows(app, "SELECT * FROM concerns") and len(rows(app, "SELECT * FROM school_phone_items")) == 2
    assert school_phone.statuses([good]) == ["stored"]  # what keeps nothing aside still goes
    auth.login("dsl")
    page = " ".join(client.get("/school-phones/kept-aside").get_data(as_text=True).split())
    assert "data-cap-reached" in page and "School phone 3: 1 push refused" in page
    assert "data-cap-reached" not in client.get("/sync/quarantine").get_data(as_text=True)
