"""Read the pupil list as a school's MIS exports it (SIMS, Arbor, Bromcom): CSV, loosely headed."""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

# Each column we keep, the headers that name it (compared without case, spaces or punctuation),
# and whether a list without it can be read at all.
COLUMNS = {
    "upn": (("upn", "uniquepupilnumber"), True),
    "surname": (("legalsurname", "surname", "lastname", "familyname"), True),
    "forename": (("legalforename", "forename", "firstname", "givenname"), True),
    "dob": (("dob", "dateofbirth", "birthdate"), True),
    "year_group": (("year", "yeargroup", "ncyear", "yr"), False),
    "reg_group": (("reg", "class", "registrationgroup", "reggroup", "form", "regclass"), False),
    "preferred_forename": (("preferredforename", "preferredname", "knownas"), False),
    "family_id": (("familyid", "contactid", "familycode"), False),
}
LABELS = {"upn": "UPN", "surname": "Legal Surname", "forename": "Legal Forename", "dob": "DOB"}
UPN = re.compile(r"^[A-Z0-9]{1,20}$")
MAX_AGE_YEARS = 25  # nobody older than this is on a school's roll
MAX_CELL = 200


@dataclass
class Problem:
    row: int       # the spreadsheet's row number (the header is row 1)
    upn: str
    message: str


@dataclass
class PupilList:
    pupils: list = field(default_factory=list)      # dicts of the columns above
    problems: list = field(default_factory=list)    # Problem, one per wrong row
    file_problem: str = ""                           # the list cannot be read at all

    @property
    def good(self):
        return not self.file_problem and not self.problems


def normalise(header):
    """Turn a header into the form compared against known names ("Legal Surname" -> "legalsurname")."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def decode(data):
    """Read the file's bytes as text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_dob(text, today):
    """Return the ISO date for DD/MM/YYYY or YYYY-MM-DD, or raise ValueError in plain words."""
    text = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    uk = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not text:
        raise ValueError("no date of birth")
    if not (iso or uk):
        raise ValueError(f"date of birth \u2018{text[:40]}\u2019 is not DD/MM/YYYY")
    y, m, d = (iso.groups() if iso else uk.groups()[::-1])
    try:
        born = date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"date of birth \u2018{text}\u2019 does not exist") from None
    if born > today:
        raise ValueError(f"date of birth \u2018{text}\u2019 is in the future")
    if born.year < today.year - MAX_AGE_YEARS:
        raise ValueError(f"date of birth \u2018{text}\u2019 is more than {MAX_AGE_YEARS} years ago")
    return born.isoformat()


def column_positions(headers):
    """Map each known column to its position in the header row; raise ValueError if one is missing."""
    names = [normalise(h) for h in headers]
    found, missing = {}, []
    for key, (aliases, required) in COLUMNS.items():
        position = next((i for i, n in enumerate(names) if n in aliases), None)
        if position is not None:
            found[key] = position
        elif required:
            missing.append(LABELS[key])
    if missing:
        raise ValueError("The list has no column for " + ", ".join(missing) + ". The first row must "
                         "name the columns, for example UPN, Legal Surname, Legal Forename, DOB, Year, Reg.")
    return found


def read_row(cells, positions, today):
    """Return (pupil dict, problem text or '') for one row of cells."""
    pupil = {key: (cells[i].strip() if i < len(cells) else "")[:MAX_CELL] for key, i in positions.items()}
    for key in COLUMNS:
        pupil.setdefault(key, "")
    pupil["upn"] = pupil["upn"].upper()
    if not pupil["upn"]:
        return pupil, "no UPN"
    if not UPN.match(pupil["upn"]):
        return pupil, "the UPN can only have letters and digits"
    if not pupil["surname"] or not pupil["forename"]:
        return pupil, "no surname or forename"
    try:
        pupil["dob"] = parse_dob(pupil["dob"], today)
    except ValueError as e:
        return pupil, str(e)
    return pupil, ""


def read(data, today):
    """Read a pupil list's bytes into pupils and the problem of each wrong row."""
    result = PupilList()
    rows = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        headers = next(rows, None)
        if not headers:
            result.file_problem = "The file is empty."
            return result
        positions = column_positions(headers)
        first_row = {}
        for number, cells in enumerate(rows, start=2):
            if not any(c.strip() for c in cells):
                continue
            pupil, problem = read_row(cells, positions, today)
            if not problem and pupil["upn"] in first_row:
                problem = f"UPN also on row {first_row[pupil['upn']]}"
            if problem:
                result.problems.append(Problem(number, pupil["upn"][:20], problem))
            else:
                first_row[pupil["upn"]] = number
                result.pupils.append(pupil)
    except (ValueError, csv.Error) as e:
        result.file_problem = str(e) if isinstance(e, ValueError) else f"The file is not a readable CSV ({e})."
    if not result.file_problem and not result.pupils and not result.problems:
        result.file_problem = "The list has no pupils in it."
    return result
