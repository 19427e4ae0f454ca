"""Helpers for pupil tests: pupil lists as a school's MIS exports them, imported through the real command."""
import io

import pytest

from tests.conftest import csrf_from

HEADER = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg,Family ID"
CLASS = [
    "A123456789012,Smith,Oliver,Ollie,14/03/2017,4,4B,F1",
    "A123456789013,Smith,Grace,,02/09/2019,2,2A,F1",
    "A123456789014,Jones,Oliver,,2017-07-30,4,4C,F2",
    "A123456789015,Khan,Aisha,,21/11/2016,5,5A,",
]


def pupil_csv(rows=CLASS, header=HEADER, encoding="utf-8"):
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


class Pupils:
    """Import pupil lists and link them to concerns through the real command and pages."""

    def __init__(self, app, client, tmp_path):
        self.app, self.client, self.tmp_path = app, client, tmp_path

    def run_import(self, data, *args):
        path = self.tmp_path / "pupils.csv"
        path.write_bytes(data)
        return self.app.test_cli_runner().invoke(args=["import-learners", str(path), *args])

    def load(self, rows=CLASS):
        result = self.run_import(pupil_csv(rows))
        assert result.exit_code == 0, result.output
        return self.ids()

    def ids(self):
        from webapp.db import connect
        db = connect(self.app.config["DATABASE"])
        try:
            return {r["upn"]: r["id"] for r in db.query("SELECT id, upn FROM learners")}
        finally:
            db.conn.close()

    def link(self, concern_id, learner_id):
        """Link a pupil to a case from the case page (the caller is a signed-in DSL)."""
        token = csrf_from(self.client.get(f"/concerns/{concern_id}").get_data(as_text=True))
        return self.client.post(f"/concerns/{concern_id}", data={
            "concern_id": concern_id, "kind": "learner_link", "learner_id": learner_id, "csrf_token": token})

    def upload(self, data, name="pupils.csv"):
        token = csrf_from(self.client.get("/learners/import").get_data(as_text=True))
        return self.client.post("/learners/import", data={"csrf_token": token,
                                                          "pupil_list": (io.BytesIO(data), name)},
                                content_type="multipart/form-data")


@pytest.fixture
def pupils(app, client, tmp_path):
    return Pupils(app, client, tmp_path)


@pytest.fixture
def concerns(client, auth):
    from tests.concerns.conftest import Concerns
    return Concerns(client, auth)


@pytest.fixture
def linked_case(pupils, concerns, auth):
    """A concern logged by staff with Ollie Smith linked by a DSL (left signed in)."""
    ids = pupils.load()
    concern_id = concerns.log("staff", {"learners": "Ollie in 4B"})
    auth.login("dsl")
    assert pupils.link(concern_id, ids["A123456789012"]).status_code == 302
    return concern_id, ids
