"""The printable chronologies: A4, marked confidential with who exported them and when, every
entry with who and when, pictures as thumbnails when asked for, and every export audited."""
from tests.concerns.conftest import png

from .conftest import pdf_text

A4 = (595, 842)


def test_a_childs_chronology_across_two_concerns_reads_back(pupils, concerns, auth, client, db, app):
    ids = pupils.load()
    ollie = ids["A123456789012"]
    first = concerns.log("staff", {"account": "Ollie was sent a threatening message.", "category": "abusive_message"})
    second = concerns.log("staff2", {"account": "Ollie filmed in the changing room.", "category": "restricted_area"})
    auth.login("dsl")
    pupils.link(first, ollie)
    pupils.link(second, ollie)
    concerns.add(first, "note", body="Spoke to Ollie's mother.")
    concerns.add(first, "action", body="Check in with Ollie weekly", assignee_id=app.people["staff"],
                 due_on="2026-12-20")
    response = client.get(f"/learners/{ollie}/chronology.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text, sizes, _ = pdf_text(response.data)
    assert set(sizes) == {A4}
    flat = " ".join(text.split())
    for expected in ("CONFIDENTIAL", "Exported by Diane Lead", "New Ash Green Primary School",
                     "Chronology of Ollie Smith", "born 14 March 2017", "UPN A123456789012",
                     "Ollie was sent a threatening message.", "Ollie filmed in the changing room.",
                     "Spoke to Ollie's mother.", "Owner: Sally Staff", "Due 20 December 2026",
                     "Sally Staff", "Sam Second", "Grace Smith", "Page 1 of"):
        assert expected in flat, expected
    assert flat.index("threatening message") < flat.index("changing room") < flat.index("mother")
    audit = list(db.query("SELECT actor_id, action, subject FROM audit_log WHERE action = 'chronology.export'"))
    assert audit == [{"actor_id": app.people["dsl"], "action": "chronology.export", "subject": f"learner:{ollie}"}]
    # Filtered like the page.
    only = pdf_text(client.get(f"/learners/{ollie}/chronology.pdf?category=restricted_area").data)[0]
    assert "changing room" in only and "threatening" not in only


def test_a_cases_chronology_with_pictures_as_thumbnails(pupils, concerns, auth, client, db, app):
    ids = pupils.load()
    case = concerns.log("staff", {"account": "Screenshot of the message attached."},
                        files=[("message.png", png(40, 30))])
    auth.login("dsl")
    pupils.link(case, ids["A123456789014"])
    concerns.add(case, "police_contacted", reference="KT-2026-1234")
    plain = client.get(f"/concerns/{case}/chronology.pdf")
    text, sizes, reader = pdf_text(plain.data)
    flat = " ".join(text.split())
    assert set(sizes) == {A4}
    for expected in (f"Chronology of concern {case}", "Oliver Jones", "Screenshot of the message attached.",
                     "Police contacted", "Reference: KT-2026-1234", "Diane Lead", "Exported by Diane Lead"):
        assert expected in flat, expected
    assert not any(page.images for page in reader.pages)
    with_pictures = pdf_text(client.get(f"/concerns/{case}/chronology.pdf?pictures=1").data)[2]
    assert sum(len(page.images) for page in with_pictures.pages) == 1
    audit = [r["detail"] for r in db.query("SELECT detail FROM audit_log WHERE action = 'chronology.export' "
                                           "AND subject = ? ORDER BY id", [f"concern:{case}"])]
    assert len(audit) == 2 and '"pictures":false' in audit[0] and '"pictures":true' in audit[1]


def test_only_dsls_and_the_head_export(pupils, concerns, auth, client, db):
    ids = pupils.load()
    case = concerns.log("staff")
    for who in ("staff", "governor", "admin"):
        auth.login(who)
        assert client.get(f"/concerns/{case}/chronology.pdf").status_code == 403
        assert client.get(f"/learners/{ids['A123456789012']}/chronology.pdf").status_code == 403
        auth.logout()
    auth.login("head")
    assert client.get("/concerns/99999/chronology.pdf").status_code == 404
    assert client.get("/learners/99999/chronology.pdf").status_code == 404
    assert client.get(f"/learners/{ids['A123456789015']}/chronology.pdf?from=nonsense").status_code == 200
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'chronology.export'").fetchone()[0] == 1


def test_a_name_with_markup_prints_as_text(pupils, concerns, auth, client):
    ids = pupils.load(['A123456789020,"<b>Bold</b>",Zoë,,05/06/2018,3,3A,'])
    case = concerns.log("staff", {"account": '<img src="http://evil.example/x.png"> & <script>x</script>'})
    auth.login("dsl")
    pupils.link(case, ids["A123456789020"])
    text = " ".join(pdf_text(client.get(f"/concerns/{case}/chronology.pdf").data)[0].split())
    assert "<b>Bold</b>" in text and "Zoë" in text and '<img src="http://evil.example/x.png">' in text


def test_a_concern_about_the_head_is_not_exported_by_the_head_or_other_dsls(concerns, auth, client, db):
    case = concerns.log("staff", {"about_head": "y", "account": "About the head."})
    assert db.execute("SELECT about_head FROM concern_state WHERE concern_id = ?", [case]).fetchone()[0] == 1
    for who in ("head", "dsl"):
        auth.login(who)
        assert client.get(f"/concerns/{case}/chronology.pdf").status_code == 404
        auth.logout()
