"""Linking pupils at triage: a DSL finds a child by name or UPN and links them as a chronology entry."""
from .conftest import CLASS, pupil_csv


def test_a_dsl_finds_pupils_with_year_and_class_and_links_one(pupils, concerns, auth, client, db):
    ids = pupils.load()
    concern_id = concerns.log("staff", {"learners": "Oliver in year 4"})
    auth.login("dsl")
    html = client.get(f"/concerns/{concern_id}?pupil=oliver").get_data(as_text=True)
    found = html[html.index('class="pupil-list found-pupils"'):]
    assert "Ollie Smith" in found and "Oliver Jones" in found
    assert "Year 4, class 4B" in found and "Year 4, class 4C" in found
    response = pupils.link(concern_id, ids["A123456789014"])
    assert response.status_code == 302 and response.headers["Location"].endswith("#pupils")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Oliver Jones is linked to this concern." in page
    linked = page[page.index('class="pupil-list linked-pupils"'):page.index('id="pupil-search"')]
    assert "Oliver Jones" in linked and "Ollie Smith" not in linked
    entry = next(db.query("SELECT * FROM case_events WHERE kind = 'learner_link'"))
    assert (entry["concern_id"], entry["learner_id"], entry["author_id"]) == (
        concern_id, ids["A123456789014"], client.application.people["dsl"])
    chronology = page[page.index('id="chronology"'):]
    assert "Pupil linked to this concern" in chronology and "Oliver Jones" in chronology


def test_search_on_the_case_page_by_upn(pupils, concerns, auth, client):
    pupils.load()
    concern_id = concerns.log("staff")
    auth.login("dsl")
    html = client.get(f"/concerns/{concern_id}?pupil=A123456789015").get_data(as_text=True)
    assert "Aisha Khan" in html[html.index("found-pupils"):]


def test_linking_twice_or_a_pupil_who_does_not_exist_is_refused_plainly(linked_case, pupils, client, db):
    concern_id, ids = linked_case
    again = pupils.link(concern_id, ids["A123456789012"])
    assert again.status_code == 200
    assert "This pupil is already linked to this concern." in again.get_data(as_text=True)
    missing = pupils.link(concern_id, 999999)
    assert missing.status_code == 200 and "There is no such pupil" in missing.get_data(as_text=True)
    junk = pupils.link(concern_id, "abc")
    assert junk.status_code == 200
    assert db.execute("SELECT count(*) FROM case_events WHERE kind = 'learner_link'").fetchone()[0] == 1


def test_linking_a_pupil_who_has_left_is_allowed_and_says_so(pupils, concerns, auth, client):
    ids = pupils.load()
    assert pupils.run_import(pupil_csv(CLASS[:3])).exit_code == 0  # Aisha Khan has left
    concern_id = concerns.log("staff")
    auth.login("dsl")
    search = client.get(f"/concerns/{concern_id}?pupil=khan").get_data(as_text=True)
    assert "Left " in search[search.index("found-pupils"):]
    response = pupils.link(concern_id, ids["A123456789015"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aisha Khan is linked to this concern. They left the school on" in page


def test_two_pupils_on_one_concern(linked_case, pupils, client):
    concern_id, ids = linked_case
    pupils.link(concern_id, ids["A123456789013"])
    page = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    linked = page[page.index('class="pupil-list linked-pupils"'):page.index('id="pupil-search"')]
    assert "Ollie Smith" in linked and "Grace Smith" in linked


def test_staff_cannot_link(linked_case, pupils, auth, client):
    concern_id, ids = linked_case
    auth.logout()
    auth.login("staff")
    response = client.post(f"/concerns/{concern_id}", data={"concern_id": concern_id, "kind": "learner_link",
                                                            "learner_id": ids["A123456789013"],
                                                            "csrf_token": auth.csrf()})
    assert response.status_code == 403


def test_the_general_entry_form_does_not_offer_the_kinds_with_their_own_form(linked_case, client):
    concern_id, _ = linked_case
    html = client.get("/concerns/entry").get_data(as_text=True)
    assert 'value="note"' in html and 'value="learner_link"' not in html
