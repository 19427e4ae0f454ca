"""A child's file for a new school: one AES-encrypted archive (the PDF and the pictures) that opens
with the passphrase and not without; to whom and when it went, and the receipt, on the record."""
import io

import pypdf
import pyzipper
import pytest

from tests.concerns.conftest import png
from tests.conftest import csrf_from

PASSPHRASE = "purple elephant 42 river"


def post(client, learner_id, path, data):
    token = csrf_from(client.get(f"/learners/{learner_id}").get_data(as_text=True))
    return client.post(f"/learners/{learner_id}/{path}", data={"csrf_token": token, **data})


def test_the_file_opens_with_the_passphrase_and_the_transfer_is_recorded(pupils, concerns, auth, client, db, app):
    ids = pupils.load()
    ollie = ids["A123456789012"]
    case = concerns.log("staff", {"account": "The screenshot shows the message."}, files=[("shot.png", png(8, 8))])
    auth.login("dsl")
    pupils.link(case, ollie)
    response = post(client, ollie, "transfer", {"transfer-recipient": "Oakfield Primary, Ms Patel (DSL)",
                                                "transfer-on_date": "2026-12-02", "transfer-passphrase": PASSPHRASE})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert b"The screenshot" not in response.data and b"%PDF" not in response.data  # encrypted
    with pyzipper.AESZipFile(io.BytesIO(response.data)) as zf:
        names = zf.namelist()
        with pytest.raises(RuntimeError):
            zf.read(names[0])  # no passphrase
        zf.setpassword(b"wrong passphrase entirely")
        with pytest.raises(RuntimeError):
            zf.read(names[0])
        zf.setpassword(PASSPHRASE.encode())
        pdf = zf.read("A123456789012-chronology.pdf")
        picture = [n for n in names if n.startswith(f"pictures/concern-{case}/")]
        assert len(picture) == 1 and zf.read(picture[0]) == png(8, 8)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "The screenshot shows the message." in " ".join(text.split()) and "CONFIDENTIAL" in text
    page = client.get(f"/learners/{ollie}").get_data(as_text=True)
    moves = page[page.index('id="transfer"'):page.index('id="siblings"')]
    assert "File sent to Oakfield Primary, Ms Patel (DSL) on 2 December 2026 by Diane Lead" in moves
    assert PASSPHRASE not in page
    assert PASSPHRASE not in " ".join(str(v) for r in db.query("SELECT * FROM learner_entries") for v in r.values())
    audit = next(db.query("SELECT * FROM audit_log WHERE action = 'chronology.export'"))
    assert audit["subject"] == f"learner:{ollie}" and "transfer" in audit["detail"]
    receipt = post(client, ollie, "transfer/received", {"receipt-on_date": "2026-12-04",
                                                       "receipt-recipient": "Oakfield Primary",
                                                       "receipt-body": "Ms Patel phoned to confirm"})
    page = client.get(receipt.headers["Location"]).get_data(as_text=True)
    assert "Receipt confirmed on 4 December 2026 by Oakfield Primary: Ms Patel phoned to confirm" in page


def test_a_short_passphrase_or_no_recipient_is_refused_and_nothing_is_recorded(pupils, auth, client, db):
    ids = pupils.load()
    auth.login("dsl")
    response = post(client, ids["A123456789012"], "transfer", {"transfer-recipient": "", "transfer-on_date": "",
                                                              "transfer-passphrase": "short"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for message in ("Say which school", "Enter the date the file goes", "at least 12 characters"):
        assert message in page
    assert db.execute("SELECT count(*) FROM learner_entries").fetchone()[0] == 0
    assert client.post("/learners/99999/transfer", data={"csrf_token": csrf_from(page)}).status_code == 404


def test_staff_cannot_transfer(pupils, auth, client):
    ids = pupils.load()
    auth.login("staff")
    assert client.post(f"/learners/{ids['A123456789012']}/transfer",
                       data={"csrf_token": auth.csrf()}).status_code == 403
