"""Fault switches: a failed push writes nothing; a lost acknowledgement is replayed as a duplicate."""
import pytest

from .conftest import count, signed_in_phone


@pytest.fixture
def faults(app):
    app.config["SYNC_FAULTS_ENABLED"] = True
    return app.extensions["sync_faults"]


def test_switches_refuse_to_work_unless_enabled(app):
    with pytest.raises(RuntimeError):
        app.extensions["sync_faults"].fail_next_pushes(1)
    with pytest.raises(RuntimeError):
        app.extensions["sync_faults"].drop_next_acks(1)


def test_failed_pushes_write_nothing_then_delivery_is_exactly_once(client, auth, notes, db, faults):
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": str(i)}) for i in range(3)]
    faults.fail_next_pushes(2)
    for _ in range(2):
        response = phone.push(items)
        assert response.status_code == 500 and response.get_json()["status"] == 500
        assert count(db, "sync_items") == 0 and count(db, "phones") == 0
    assert set(phone.statuses(items).values()) == {"stored"}
    assert count(db, "notes") == 3


def test_a_lost_acknowledgement_gives_one_row(client, auth, notes, db, faults):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "acknowledgement lost"})
    faults.drop_next_acks(1)
    assert phone.push([item]).status_code == 500
    assert count(db, "notes") == 1  # committed before the answer was lost
    assert phone.statuses([item]) == {item["id"]: "duplicate"}
    assert count(db, "notes") == 1 and count(db, "sync_items") == 1


def test_work_after_the_commit_is_done_once_even_when_the_acknowledgement_is_lost(client, auth, notes, faults):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    faults.drop_next_acks(1)
    phone.push([item])
    phone.push([item])
    assert notes.emails == ["x"]  # the lost answer did not stop the email; the replay sent no second one
