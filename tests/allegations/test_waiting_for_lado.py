"""The head (and the chair, for cases about the head) see on their home page the allegations waiting for the LADO."""
from .test_about_head import HEAD_CASE


def waiting(client):
    html = client.get("/").get_data(as_text=True)
    if "Allegations waiting for the LADO" not in html:
        return []
    section = html.split("Allegations waiting for the LADO")[1].split("</section>")[0]
    return [int(part.split('"')[0]) for part in section.split('href="/concerns/')[1:]]


def test_the_head_sees_allegations_until_the_lado_is_consulted(client, auth, concerns):
    allegation = concerns.log("staff", {"category": "staff_images_of_learners"})
    concerns.log("staff", {"category": "school_device"})
    auth.login("head")
    assert waiting(client) == [allegation]
    concerns.add(allegation, "lado_informed", body="Spoke to the LADO.")
    assert waiting(client) == []


def test_the_chair_sees_head_cases_and_the_head_does_not(client, auth, concerns, chair):
    ordinary = concerns.log("staff", {"category": "staff_personal_contact"})
    head_case = concerns.log("staff", HEAD_CASE)
    auth.login(chair[0])
    assert waiting(client) == [head_case]
    auth.logout()
    auth.login("head")
    assert waiting(client) == [ordinary]
    auth.logout()
    auth.login("dsl")
    assert waiting(client) == []


def test_a_closed_allegation_is_no_longer_waiting(client, auth, concerns):
    allegation = concerns.log("staff", {"category": "other_online_safety", "staff_involved": "y"})
    auth.login("head")
    concerns.add(allegation, "closing_override", body="Logged twice by mistake.")
    assert concerns.add(allegation, "closed").status_code == 200  # the LADO is never waived
    assert waiting(client) == [allegation]
