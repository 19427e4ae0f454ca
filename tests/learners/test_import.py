"""Importing the pupil list: all or nothing, each wrong row named, updates by UPN, leavers kept."""
import re

import pytest

from .conftest import CLASS, HEADER, pupil_csv


def rows(db):
    return {r["upn"]: r for r in db.query("SELECT * FROM learners")}


def test_a_good_list_is_imported_at_once(pupils, db):
    result = pupils.run_import(pupil_csv())
    assert result.exit_code == 0, result.output
    assert "4 new, 0 changed, 0 would be marked as left" in result.output
    found = rows(db)
    assert set(found) == {"A123456789012", "A123456789013", "A123456789014", "A123456789015"}
    ollie = found["A123456789012"]
    assert (ollie["surname"], ollie["forename"], ollie["preferred_forename"], ollie["dob"],
            ollie["year_group"], ollie["reg_group"], ollie["family_id"]) == (
        "Smith", "Oliver", "Ollie", "2017-03-14", "4", "4B", "F1")
    assert found["A123456789014"]["dob"] == "2017-07-30"  # ISO dates too


@pytest.mark.parametrize("row, message", [
    ("A123456789016,Brown,Amy,,31/02/2017,4,4B,", "does not exist"),
    ("A123456789016,Brown,Amy,,12/13/2017,4,4B,", "does not exist"),
    ("A123456789016,Brown,Amy,,01/01/2099,4,4B,", "in the future"),
    ("A123456789016,Brown,Amy,,01/01/1901,4,4B,", "more than 25 years ago"),
    ("A123456789016,Brown,Amy,,next Tuesday,4,4B,", "not DD/MM/YYYY"),
    ("A123456789016,Brown,Amy,,,4,4B,", "no date of birth"),
    (",Brown,Amy,,01/01/2017,4,4B,", "no UPN"),
    ("A123456789012,Brown,Amy,,01/01/2017,4,4B,", "UPN also on row 2"),
    ('"=HYPERLINK(""http://x"",""y"")",Brown,Amy,,01/01/2017,4,4B,', "letters and digits"),
])
def test_one_bad_row_and_nothing_is_imported(pupils, db, row, message):
    result = pupils.run_import(pupil_csv(CLASS + [row]))
    assert result.exit_code != 0
    assert re.search(rf"Row 6, UPN .*: .*{re.escape(message)}", result.output), result.output
    assert "Nothing was imported" in result.output
    assert rows(db) == {}


def test_every_bad_row_is_reported_with_its_number_and_upn(pupils, db):
    bad = ["B000000000001,Brown,Amy,,30/02/2018,3,3A,", ",Grey,Tom,,01/01/2018,3,3A,",
           "A123456789013,Copy,Grace,,02/09/2019,2,2A,"]
    result = pupils.run_import(pupil_csv(CLASS + bad))
    assert "Row 6, UPN B000000000001: date of birth \u201830/02/2018\u2019 does not exist." in result.output
    assert "Row 7, UPN (none): no UPN." in result.output
    assert "Row 8, UPN A123456789013: UPN also on row 3." in result.output
    assert rows(db) == {}


def test_dry_run_says_what_would_change_and_imports_nothing(pupils, db):
    result = pupils.run_import(pupil_csv(), "--dry-run")
    assert result.exit_code == 0
    assert "4 new" in result.output and "dry run" in result.output
    assert rows(db) == {}


def test_windows_1252_with_loose_headers_and_extra_columns(pupils, db):
    header = "upn , SURNAME,First Name,Date of Birth,Year Group,Registration Group,Contact ID,Ethnicity"
    data = pupil_csv(["A123456789020,O'Brien,Zo\u00eb,05/06/2018,3,3A,C9,White Irish",
                      "A123456789021,Mart\u00ednez,Jos\u00e9,1/2/2018,3,3A,C9"], header, "cp1252")
    assert b"\xeb" in data  # really Windows-1252, not UTF-8
    result = pupils.run_import(data)
    assert result.exit_code == 0, result.output
    found = rows(db)
    assert found["A123456789020"]["forename"] == "Zo\u00eb"
    assert found["A123456789021"]["surname"] == "Mart\u00ednez" and found["A123456789021"]["dob"] == "2018-02-01"
    assert found["A123456789021"]["family_id"] == "C9"


def test_utf8_with_a_byte_order_mark(pupils, db):
    result = pupils.run_import(b"\xef\xbb\xbf" + pupil_csv(["A123456789020,Nowak,Ma\u0142gorzata,,05/06/2018,3,3A,"]))
    assert result.exit_code == 0, result.output
    assert rows(db)["A123456789020"]["forename"] == "Ma\u0142gorzata"


def test_a_list_missing_a_needed_column_is_refused_whole(pupils, db):
    result = pupils.run_import(pupil_csv(["A123456789020,Nowak,Anna,3"], "UPN,Surname,Forename,Year"))
    assert result.exit_code != 0
    assert "no column for DOB" in result.output
    assert rows(db) == {}


def test_missing_optional_columns_and_short_rows_are_read(pupils, db):
    result = pupils.run_import(pupil_csv(["A123456789020,Nowak,Anna,05/06/2018"], "UPN,Surname,Forename,DOB,Year,Reg"))
    assert result.exit_code == 0, result.output
    assert rows(db)["A123456789020"]["year_group"] == ""


def test_formula_like_cells_are_kept_as_plain_text(pupils, db, auth, client):
    data = pupil_csv(['A123456789020,"=HYPERLINK(""http://evil.example"",""x"")",+Anna,05/06/2018,3,@SUM(A1),'],
                     "UPN,Surname,Forename,DOB,Year,Reg,Family ID")
    assert pupils.run_import(data).exit_code == 0
    row = rows(db)["A123456789020"]
    assert row["surname"] == '=HYPERLINK("http://evil.example","x")' and row["reg_group"] == "@SUM(A1)"
    auth.login("dsl")
    html = client.get("/learners?q=A123456789020").get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://evil.example&#34;" in html and "<a href=\"http://evil" not in html


def test_ten_thousand_rows(pupils, db):
    many = [f"A{n:012d},Surname{n},Forename{n},,{1 + n % 28:02d}/{1 + n % 12:02d}/{2014 + n % 7},{n % 7},R{n % 30},F{n // 3}"
            for n in range(10_000)]
    result = pupils.run_import(pupil_csv(many))
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT count(*) FROM learners").fetchone()[0] == 10_000
    many[9_999] = "A000000009999,Late,Row,,99/99/2015,1,R1,"
    result = pupils.run_import(pupil_csv(many))
    assert result.exit_code != 0 and "Row 10001, UPN A000000009999" in result.output


def test_reimport_updates_by_upn_and_marks_the_absent_as_left(pupils, db, auth, client):
    pupils.load()
    first_ids = pupils.ids()
    moved_up = [CLASS[0].replace(",4,4B,", ",5,5B,"), CLASS[1], CLASS[2]]  # Aisha Khan is not on it
    result = pupils.run_import(pupil_csv(moved_up))
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed, 1 would be marked as left" in result.output
    found = rows(db)
    assert pupils.ids() == first_ids  # nobody deleted, nobody re-created
    assert (found["A123456789012"]["year_group"], found["A123456789012"]["reg_group"]) == ("5", "5B")
    assert found["A123456789015"]["left_on"] is not None
    assert found["A123456789012"]["left_on"] is None
    auth.login("dsl")
    html = client.get("/learners?q=Khan").get_data(as_text=True)
    assert "Aisha Khan" in html and "Left " in html
    page = client.get(f"/learners/{first_ids['A123456789015']}").get_data(as_text=True)
    assert "Left the school on" in page
    # Back on a later list: no longer marked as left.
    assert pupils.run_import(pupil_csv(CLASS)).exit_code == 0
    assert rows(db)["A123456789015"]["left_on"] is None


def test_the_command_records_each_import(pupils, db):
    pupils.load()
    assert [(r["added"], r["changed"], r["left_school"]) for r in db.query("SELECT * FROM learner_imports")] == [(4, 0, 0)]
