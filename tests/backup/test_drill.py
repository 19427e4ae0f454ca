"""The restore drill: back up while phones push, restore on a fresh installation, and find every
acknowledged item there with its picture."""
import threading

from tests.conftest import Auth

from webapp.backup import snapshot

from .conftest import PushingPhone, picture


def last_line(result):
    return result.output.strip().splitlines()[-1]


def test_backup_while_phones_push_then_restore_elsewhere_keeps_every_acknowledged_item(
        app, live, fresh_installation, monkeypatch, tmp_path):
    phone, other = PushingPhone(live.url), PushingPhone(live.url, "staff2", "second-phone")
    for _ in range(6):
        phone.push_one()
    before = list(phone.acknowledged)

    stop, during = threading.Event(), []
    pusher = threading.Thread(target=lambda: [other.push_one() for _ in iter(stop.is_set, True)])
    copy_database = snapshot.copy_database

    def copy_while_a_push_lands(source, target, progress=None):
        # While SQLite's backup holds its snapshot open, a phone's push is stored and answered.
        return copy_database(source, target, progress=lambda *_: during.append(phone.push_one()))
    monkeypatch.setattr(snapshot, "copy_database", copy_while_a_push_lands)
    pusher.start()
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups")])
    stop.set()
    pusher.join()
    assert result.exit_code == 0, result.output
    folder = last_line(result)
    assert folder.startswith(str(tmp_path / "backups" / "school-backup-"))
    assert len(during) == 1 and other.count > 0

    restored = fresh_installation()
    result = restored.test_cli_runner().invoke(args=["restore", folder])
    assert result.exit_code == 0, result.output
    client = restored.test_client()
    Auth(client).login("dsl")
    from webapp.db import connect
    db = connect(restored.config["DATABASE"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for item_id, n in before:
        concern_id, = db.execute("SELECT id FROM concerns WHERE item_id = ?", [item_id]).fetchone()
        assert f"DRILL-{n} seen on the field" in client.get(f"/concerns/{concern_id}").get_data(as_text=True)
        attachment_id, = db.execute("SELECT id FROM concern_attachments WHERE concern_id = ?",
                                    [concern_id]).fetchone()
        assert client.get(f"/concerns/{concern_id}/pictures/{attachment_id}").data == picture(n)
    stored = {row["item_id"] for row in db.query("SELECT item_id FROM concerns")}
    assert during[0] not in stored  # answered after the copy's moment: not in this backup
    db.conn.close()


def test_the_restored_installation_still_opens_what_phones_sealed_before(app, live, fresh_installation, tmp_path):
    phone = PushingPhone(live.url)
    phone.push_one()
    late = phone.phone.item("concern", {"category": "school_device", "occurred_at": "2026-01-05T10:00:00Z",
                                        "location": "Hall", "account": "Sealed before the disaster"})
    folder = last_line(app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]))
    restored = fresh_installation()
    assert restored.test_cli_runner().invoke(args=["restore", folder]).exit_code == 0

    from tests.sync.phone import Phone
    client = restored.test_client()
    Auth(client).login("staff")
    again = Phone(client, phone.phone.device_id)
    again.keys = phone.phone.keys  # the same phone, its signing key registered before the backup
    again.refresh()
    assert again.statuses([late]) == {late["id"]: "stored"}
