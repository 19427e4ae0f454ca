"""The admin's upload with its preview, and the DSLs' search of pupils."""
import re

from tests.conftest import csrf_from

from .conftest import CLASS, pupil_csv


def count(html, name):
    return int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))


def test_the_upload_previews_and_imports_nothing_until_confirmed(auth, client, pupils, db):
    pupils.load(CLASS[:2])
    auth.login("admin")
    changed = [CLASS[0].replace("Ollie", "Olly"), *CLASS[2:]]
    response = pupils.upload(pupil_csv(changed))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (count(html, "new"), count(html, "changed"), count(html, "left"), count(html, "wrong")) == (2, 1, 1, 0)
    assert db.execute("SELECT count(*) FROM learners").fetchone()[0] == 2
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', html).group(1)
    response = client.post("/learners/import/confirm", data={"csrf_token": csrf_from(html), "token": token,
                                                            "filename": "pupils.csv"})
    assert response.status_code == 302
    assert "2 new, 1 changed, 1 marked as left" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM learners").fetchone()[0] == 4
    assert db.execute("SELECT preferred_forename FROM learners WHERE upn = 'A123456789012'").fetchone()[0] == "Olly"
    again = client.post("/learners/import/confirm", data={"csrf_token": csrf_from(html), "token": token})
    assert again.status_code == 302 and "/learners/import" in again.headers["Location"]


def test_the_preview_names_each_wrong_row_and_offers_no_import(auth, client, pupils, db):
    auth.login("admin")
    html = pupils.upload(pupil_csv(CLASS + ["A123456789099,Brown,Amy,,30/02/2017,4,4B,"])).get_data(as_text=True)
    assert "<td>6</td><td>A123456789099</td><td>Date of birth" in html and "does not exist" in html
    assert "/learners/import/confirm" not in html
    assert db.execute("SELECT count(*) FROM learners").fetchone()[0] == 0


def test_a_confirm_with_a_made_up_token_is_refused_plainly(auth, client):
    auth.login("admin")
    for token in ("../../etc/passwd", "0" * 32):
        response = client.post("/learners/import/confirm", data={"csrf_token": auth.csrf(), "token": token})
        assert response.status_code == 302
        assert "Upload the list again" in client.get("/learners/import").get_data(as_text=True)


def test_uploading_no_file_or_an_unreadable_one(auth, client, pupils):
    auth.login("admin")
    response = client.post("/learners/import", data={"csrf_token": auth.csrf("/learners/import")})
    assert response.status_code == 200 and "Choose the CSV file" in response.get_data(as_text=True)
    html = pupils.upload(b"\x00\x01\x02 not a list").get_data(as_text=True)
    assert "This list cannot be read" in html


def test_search_by_name_or_upn_shows_year_and_class(auth, client, pupils):
    pupils.load()
    auth.login("dsl")
    html = client.get("/learners?q=oliver").get_data(as_text=True)
    assert "Ollie Smith" in html and "Oliver Jones" in html and "Aisha" not in html
    assert "Year 4, class 4B" in html and "Year 4, class 4C" in html
    assert "Oliver Jones" in client.get("/learners?q=A123456789014").get_data(as_text=True)
    assert "Ollie Smith" not in client.get("/learners?q=oliver jones").get_data(as_text=True)
    assert "No pupil matches" in client.get("/learners?q=%25%25").get_data(as_text=True)


def test_siblings_come_from_the_family_id(auth, client, pupils):
    ids = pupils.load()
    auth.login("dsl")
    html = client.get(f"/learners/{ids['A123456789012']}").get_data(as_text=True)
    siblings = html[html.index('id="siblings"'):html.index('id="chronology"')]
    assert "Grace Smith" in siblings and "Oliver Jones" not in siblings and "Aisha" not in siblings
    alone = client.get(f"/learners/{ids['A123456789015']}").get_data(as_text=True)
    assert "None on the pupil list" in alone


def test_only_dsls_and_the_head_see_pupils(auth, client, pupils):
    ids = pupils.load()
    for who, status in (("staff", 403), ("governor", 403), ("admin", 403), ("dsl", 200), ("head", 200)):
        auth.login(who)
        assert client.get("/learners?q=smith").status_code == status
        assert client.get(f"/learners/{ids['A123456789012']}").status_code == status
        auth.logout()
    auth.login("dsl")
    assert client.get("/learners/999999").status_code == 404
    assert client.get("/learners/import").status_code == 403


def test_every_view_of_a_record_is_audited(auth, client, pupils, db):
    ids = pupils.load()
    auth.login("dsl")
    client.get(f"/learners/{ids['A123456789012']}")
    client.get(f"/learners/{ids['A123456789012']}?category=abusive_message")
    rows = list(db.query("SELECT actor_id, action, subject FROM audit_log WHERE action = 'learner.view'"))
    assert rows == [{"actor_id": client.application.people["dsl"], "action": "learner.view",
                     "subject": f"learner:{ids['A123456789012']}"}] * 2
    html = client.get(f"/learners/{ids['A123456789012']}").get_data(as_text=True)
    access = html[html.index('id="access"'):]
    assert "Diane Lead" in access and "Viewed a child" in access


def test_a_windows_1252_list_from_sims_uploads_with_its_accents(auth, client, pupils, db):
    auth.login("admin")
    data = pupil_csv(["A123456789020,O'Brien,Zo\u00eb,,05/06/2018,3,3A,C9",
                      "A123456789021,Mart\u00ednez,Jos\u00e9,,1/2/2018,3,3A,C9"], encoding="cp1252")
    assert b"\xeb" in data and b"\xed" in data  # really Windows-1252, not UTF-8
    html = pupils.upload(data).get_data(as_text=True)
    assert (count(html, "new"), count(html, "wrong")) == (2, 0)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', html).group(1)
    client.post("/learners/import/confirm", data={"csrf_token": csrf_from(html), "token": token})
    names = {r[0]: r[1] for r in db.execute("SELECT upn, forename || ' ' || surname FROM learners")}
    assert names == {"A123456789020": "Zo\u00eb O'Brien", "A123456789021": "Jos\u00e9 Mart\u00ednez"}
