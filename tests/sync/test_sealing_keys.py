"""Sealing keys: made by init-db (or on first need), rotated by a command, retired ones kept."""
import json
import stat

from webapp.sync import keys

from .conftest import signed_in_phone


def test_init_db_makes_a_private_current_key(runner, sealing_key_folder):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    files = list(sealing_key_folder.glob("*.json"))
    assert len(files) == 1
    kid = (sealing_key_folder / "current").read_text().strip()
    assert files[0].stem == kid and kid in result.output
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(sealing_key_folder.stat().st_mode) == 0o700
    assert json.loads(files[0].read_text())["jwk"]["d"]  # the private part, kept only here
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert len(list(sealing_key_folder.glob("*.json"))) == 1  # safe to run again


def test_key_is_made_on_first_need(client, auth, sealing_key_folder):
    assert not sealing_key_folder.exists()
    auth.login("staff")
    kid = client.get("/api/session").get_json()["sealing_key"]["kid"]
    assert (sealing_key_folder / f"{kid}.json").exists()


def test_rotation_keeps_retired_keys_and_late_items_still_open(client, auth, notes, runner, sealing_key_folder, db):
    phone = signed_in_phone(client, auth, "staff")
    old_kid = phone.session["sealing_key"]["kid"]
    sealed_before = phone.item("note", {"body": "sealed before the rotation"})
    result = runner.invoke(args=["rotate-sealing-key"])
    assert result.exit_code == 0 and "1 retired key(s) kept" in result.output
    new_key = phone.refresh()["sealing_key"]
    assert new_key["kid"] != old_kid and new_key["kid"] in result.output
    sealed_after = phone.item("note", {"body": "sealed after"})
    assert phone.statuses([sealed_before, sealed_after]) == {sealed_before["id"]: "stored",
                                                             sealed_after["id"]: "stored"}
    assert {p.stem for p in sealing_key_folder.glob("*.json")} == {old_kid, new_key["kid"]}


def test_keys_are_listed_newest_first_with_the_current_one_marked(app, runner):
    with app.app_context():
        first = keys.ensure_sealing_key()
    runner.invoke(args=["rotate-sealing-key"])
    with app.app_context():
        listed = keys.list_sealing_keys()
        assert [k[2] for k in listed] == [True, False]
        assert listed[1][0] == first and listed[0][0] == keys.ensure_sealing_key()
        assert keys.private_key("../../etc/passwd") is None and keys.private_key(None) is None
