"""A picture kept with a concern downloads as a file named for what its bytes are, never sniffed."""
import pytest

from tests.concerns.conftest import GIF, JPEG, Concerns, png


@pytest.mark.parametrize("uploaded, body, expected", [
    ("screenshot.html", png(), "screenshot.png"), ("message", JPEG, "message.jpg"),
    ("photo.JPEG", JPEG, "photo.JPEG"), ("evil.svg", GIF, "evil.gif"), ("chat.png", png(), "chat.png")])
def test_download_is_an_attachment_named_with_its_sniffed_type(client, auth, uploaded, body, expected):
    concern_id = Concerns(client, auth).log("staff", files=[(uploaded, body)])
    auth.login("dsl")
    response = client.get(f"/concerns/{concern_id}/pictures/1")
    assert response.status_code == 200 and response.data == body
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'filename={expected}' in disposition.replace('"', "")
