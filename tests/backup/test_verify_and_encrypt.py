"""verify-backup names what a copy lacks; an encrypted backup opens only with its passphrase or key;
restore refuses a copy that fails and keeps what it replaced."""
import json
from pathlib import Path

import pyrage

from webapp.db import connect
from webapp.sync.keys import ensure_sealing_key

from .conftest import PushingPhone


def backup(app, tmp_path, *args, input=None):
    ensure_sealing_key(app)  # as init-db (and so `make run`) makes the first one
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups"), *args], input=input)
    assert result.exit_code == 0, result.output
    return Path(result.output.strip().splitlines()[-1])


def verify(app, folder, *args, input=None):
    return app.test_cli_runner().invoke(args=["verify-backup", str(folder), *args], input=input)


def test_a_copy_missing_a_sealing_key_fails_the_drill_and_names_it(app, live, tmp_path):
    PushingPhone(live.url).push_one()
    folder = backup(app, tmp_path)
    assert verify(app, folder).exit_code == 0
    kid = (folder / "sealing-keys" / "current").read_text().strip()
    (folder / "sealing-keys" / f"{kid}.json").unlink()
    result = verify(app, folder)
    assert result.exit_code == 1
    assert f"sealing-keys/{kid}.json is missing." in result.output and f"The sealing key {kid}" in result.output


def test_a_copy_missing_an_attachment_fails_the_drill_and_names_it(app, live, tmp_path, db):
    PushingPhone(live.url).push_one()
    folder = backup(app, tmp_path)
    stored_name = db.execute("SELECT stored_name FROM concern_attachments").fetchone()[0]
    (folder / "uploads" / stored_name).unlink()
    result = verify(app, folder)
    assert result.exit_code == 1 and f"The attached picture uploads/{stored_name} is missing." in result.output


def test_a_damaged_database_fails_the_drill(app, tmp_path):
    folder = backup(app, tmp_path)
    with open(folder / "webapp.db", "r+b") as handle:
        handle.seek(4096 + 100)
        handle.write(b"\xff" * 64)
    result = verify(app, folder)
    assert result.exit_code == 1 and "webapp.db is not the file that was backed up" in result.output


def test_restore_refuses_a_copy_that_fails_and_changes_nothing(app, fresh_installation, tmp_path):
    folder = backup(app, tmp_path)
    (folder / "sealing-keys" / "current").unlink()
    target = fresh_installation()
    assert target.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    before = instance_files(target)
    result = target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert result.exit_code == 1 and "fails the restore drill" in result.output
    assert instance_files(target) == before


def instance_files(app):
    """The instance folder's files, less SQLite's -wal/-shm, which come and go with connections."""
    folder = Path(app.config["DATABASE"]).parent
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


def test_restore_keeps_the_files_it_replaced_aside(app, fresh_installation, tmp_path):
    folder = backup(app, tmp_path)
    target = fresh_installation()
    target.test_cli_runner().invoke(args=["init-db"])
    old = connect(target.config["DATABASE"])
    old.execute("INSERT INTO users (email, name, password_hash, active, created_at) "
                "VALUES ('only@old.school', 'Only In The Old', 'x', 1, '2026-01-01T00:00:00Z')")
    old.conn.close()
    result = target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert result.exit_code == 0, result.output
    [aside] = Path(target.config["DATABASE"]).parent.glob("replaced-*")
    assert f"are kept in {aside}" in result.output
    kept = connect(str(aside / "webapp.db"))
    assert kept.execute("SELECT count(*) FROM users WHERE email = 'only@old.school'").fetchone()[0] == 1
    kept.conn.close()
    now = connect(target.config["DATABASE"])
    assert now.execute("SELECT count(*) FROM users WHERE email = 'only@old.school'").fetchone()[0] == 0
    now.conn.close()


def test_an_encrypted_backup_holds_no_plain_record_and_opens_with_its_passphrase(app, live, tmp_path,
                                                                                fresh_installation):
    PushingPhone(live.url).push_one()
    folder = backup(app, tmp_path, "--passphrase-stdin", input="correct staple horse battery\n")
    assert sorted(p.name for p in folder.iterdir()) == ["backup.tar.age"]
    assert not list((tmp_path / "backups").glob(".*"))  # no plain copy left behind
    assert b"SQLite format" not in (folder / "backup.tar.age").read_bytes()

    assert verify(app, folder).exit_code == 1  # no passphrase given
    wrong = verify(app, folder, "--passphrase-stdin", input="wrong passphrase\n")
    assert wrong.exit_code == 1 and "could not be decrypted" in wrong.output
    right = verify(app, folder, "--passphrase-stdin", input="correct staple horse battery\n")
    assert right.exit_code == 0 and "1 concerns" in right.output and "1 attached pictures" in right.output

    target = fresh_installation()
    result = target.test_cli_runner().invoke(args=["restore", str(folder), "--passphrase-stdin"],
                                             input="correct staple horse battery\n")
    assert result.exit_code == 0, result.output
    db = connect(target.config["DATABASE"])
    assert db.execute("SELECT account FROM concerns").fetchone()[0] == "DRILL-0 seen on the field"
    db.conn.close()


def test_a_backup_encrypted_to_an_age_key_opens_only_with_that_key(app, tmp_path):
    key, stranger = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    folder = backup(app, tmp_path, "--recipient", str(key.to_public()))
    (tmp_path / "key.txt").write_text(f"# the school's backup key\n{key}\n")
    (tmp_path / "stranger.txt").write_text(f"{stranger}\n")
    assert verify(app, folder, "--identity", str(tmp_path / "key.txt")).exit_code == 0
    assert verify(app, folder, "--identity", str(tmp_path / "stranger.txt")).exit_code == 1
    bad = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x"), "--recipient", "not-a-key"])
    assert bad.exit_code != 0 and "is not an age public key" in bad.output


def test_the_manifest_lists_every_part_of_the_school(app, live, tmp_path):
    PushingPhone(live.url).push_one()
    folder = backup(app, tmp_path)
    files = json.loads((folder / "MANIFEST.json").read_text())["files"]
    assert "webapp.db" in files and "sealing-keys/current" in files
    assert sum(name.startswith("uploads/") for name in files) == 1
