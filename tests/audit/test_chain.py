"""The audit log's hash chain: written by the app, checked by `flask verify-audit`, tamper shown."""
import sqlite3
import threading

from webapp import audit
from webapp.audit.chain import GENESIS, entry_hash, first_break


def write(app, n, actor="dsl"):
    from webapp.db import connect
    db = connect(app.config["DATABASE"])
    with app.app_context():
        for i in range(n):
            with db.atomic():
                audit.record(db, app.people[actor], "case.view", f"concern:{i + 1}", {"n": i})
    db.conn.close()


def behind_the_apps_back(app, *statements):
    """Change the database file with plain sqlite3, as someone with the file could."""
    conn = sqlite3.connect(app.config["DATABASE"])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_each_entry_carries_the_hash_of_the_one_before(app, db):
    write(app, 3)
    rows = [dict(r) for r in db.query("SELECT * FROM audit_log ORDER BY id")]
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0]["prev_hash"] == GENESIS
    assert rows[1]["prev_hash"] == rows[0]["hash"] and rows[2]["prev_hash"] == rows[1]["hash"]
    first = rows[0]
    assert first["hash"] == entry_hash(1, first["at"], app.people["dsl"], "case.view", "concern:1",
                                       '{"n":0}', GENESIS)
    assert first_break(rows) is None


def test_verify_audit_says_an_untouched_chain_holds(app, runner):
    write(app, 5)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "holds: 5 entries" in result.output


def test_an_empty_log_holds(runner):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "holds: 0 entries" in result.output


def test_an_entry_edited_with_sqlite3_is_named(app, runner):
    write(app, 6)
    behind_the_apps_back(app, f"UPDATE audit_log SET actor_id = {app.people['dsl2']} WHERE id = 4")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "broken at entry 4" in result.output and "do not match its hash" in result.output


def test_an_edit_that_recomputes_the_hash_breaks_the_next_link(app, runner, db):
    write(app, 4)
    row = next(db.query("SELECT * FROM audit_log WHERE id = 2"))
    forged = entry_hash(2, row["at"], app.people["dsl2"], row["action"], row["subject"], row["detail"],
                        row["prev_hash"])
    behind_the_apps_back(app, f"UPDATE audit_log SET actor_id = {app.people['dsl2']}, hash = '{forged}' "
                              "WHERE id = 2")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and "broken at entry 3" in result.output
    assert "hash of the entry before it" in result.output


def test_a_deleted_entry_is_named(app, runner):
    write(app, 5)
    behind_the_apps_back(app, "DELETE FROM audit_log WHERE id = 3")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and "broken at entry 4" in result.output
    assert "entries 3 to 3 are missing" in result.output


def test_the_database_refuses_changes_to_the_log(app, db):
    write(app, 1)
    for sql in ("UPDATE audit_log SET subject = 'x'", "DELETE FROM audit_log"):
        try:
            db.execute(sql)
        except sqlite3.IntegrityError as refused:
            assert "cannot be changed" in str(refused)
        else:
            raise AssertionError(f"{sql} was allowed")


def test_an_unknown_action_is_refused(app, db):
    with app.app_context():
        try:
            audit.record(db, app.people["dsl"], "case.peek", "concern:1")
        except ValueError as refused:
            assert "case.peek" in str(refused)
        else:
            raise AssertionError("an unknown action was recorded")
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_an_entry_rolls_back_with_its_callers_transaction(app, db):
    with app.app_context():
        try:
            with db.atomic():
                audit.record(db, app.people["dsl"], "case.view", "concern:1")
                raise RuntimeError("the caller's work failed")
        except RuntimeError:
            pass
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_writers_at_the_same_time_never_fork_the_chain(app, db, runner):
    threads = [threading.Thread(target=write, args=(app, 25, who)) for who in ("dsl", "dsl2", "head", "staff")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 100
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
