"""A DSL's reply to the person who logged a concern: seen by them on My concerns, by no one else."""


def test_the_reporter_sees_the_reply_and_never_the_notes(case, concerns, auth, client, db):
    auth.logout()
    other = concerns.log("staff2", {"account": "Something Sam saw."})
    auth.login("dsl")
    concerns.add(case, "note", body="PRIVATE: father has a history with social care.")
    response = concerns.add(case, "reply_to_reporter", body="Thank you, this is being dealt with.")
    assert response.status_code == 302
    assert "sees it under My concerns" in client.get(response.headers["Location"]).get_data(as_text=True)
    row = next(db.query("SELECT * FROM case_events WHERE kind = 'reply_to_reporter'"))
    assert (row["concern_id"], row["body"]) == (case, "Thank you, this is being dealt with.")
    auth.logout()
    auth.login("staff")
    mine = client.get("/concerns/mine").get_data(as_text=True)
    replies = mine[mine.index('id="replies"'):]
    assert "Thank you, this is being dealt with." in replies and f"About concern {case}" in replies
    assert "PRIVATE" not in mine and "social care" not in mine
    for who in ("staff2", "head", "governor"):
        auth.logout()
        auth.login(who)
        page = client.get("/concerns/mine")
        assert "Thank you, this is being dealt with." not in page.get_data(as_text=True)
        assert "being dealt with" not in client.get("/").get_data(as_text=True)
    assert other != case


def test_a_reply_needs_words(case, concerns, db):
    response = concerns.add(case, "reply_to_reporter", body="   ")
    assert response.status_code == 200 and "Write the details" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM case_events WHERE kind = 'reply_to_reporter'").fetchone()[0] == 0


def test_staff_cannot_write_replies(case, auth, client):
    auth.logout()
    auth.login("staff")
    response = client.post(f"/concerns/{case}", data={"concern_id": case, "kind": "reply_to_reporter",
                                                      "body": "Hi", "csrf_token": auth.csrf()})
    assert response.status_code == 403
