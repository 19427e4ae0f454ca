"""The phone's checks are made from the WTForms classes: same rules, same words, and they follow the form."""
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from webapp.concerns.forms import CaseEventForm, ConcernForm
from webapp.form_rules import Required
from webapp.governance.forms import DeclarationForm
from webapp.permissions.forms import DecisionForm, DeviceRequestForm
from webapp.phone_checks import phone_checks

FORMS = [ConcernForm, CaseEventForm, DeviceRequestForm, DecisionForm, DeclarationForm]


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def errors_for(form_class, data):
    form = form_class(formdata=MultiDict(data), meta={"csrf": False})
    form.validate()
    return form.errors


@pytest.mark.parametrize("form_class", FORMS)
def test_each_length_limit_is_the_servers_with_its_words(ctx, form_class):
    checks = phone_checks(form_class(meta={"csrf": False}))["fields"]
    limited = {name: c for name, c in checks.items() if "max" in c}
    assert limited, "every capture form limits some text"
    for name, c in limited.items():
        assert c["max_message"] in errors_for(form_class, {name: "x" * (c["max"] + 1)}).get(name, [])
        assert name not in errors_for(form_class, {name: "x" * c["max"]})


@pytest.mark.parametrize("form_class", FORMS)
def test_each_required_field_says_what_the_server_says(ctx, form_class):
    checks = phone_checks(form_class(meta={"csrf": False}))["fields"]
    required = {name: c for name, c in checks.items() if "required" in c}
    assert required
    errors = errors_for(form_class, {})
    for name, c in required.items():
        assert c["required"] in errors[name]
        if c.get("blank"):
            assert c["required"] in errors_for(form_class, {name: "   "})[name]


def test_where_and_what_happened_of_only_spaces_are_refused_on_both_sides(ctx):
    checks = phone_checks(ConcernForm(meta={"csrf": False}))["fields"]
    assert checks["location"]["blank"] and checks["account"]["blank"]
    errors = errors_for(ConcernForm, {"category": "other_online_safety", "occurred_at": "2026-01-13T09:00",
                                      "location": "   ", "account": " \t\n "})
    assert errors["location"] == ["Say where it happened."] and errors["account"] == ["Say what happened."]


def test_changing_a_validator_changes_what_the_phone_checks(ctx):
    class Shorter(DeclarationForm):
        with_whom = StringField("Who is it with?", validators=[
            DataRequired("Say who."), Length(max=20, message="Twenty at most.")])

    before = phone_checks(DeclarationForm(meta={"csrf": False}))["fields"]["with_whom"]
    after = phone_checks(Shorter(meta={"csrf": False}))["fields"]["with_whom"]
    assert (before["max"], before["max_message"]) == (200, "Use at most 200 characters.")
    assert (after["max"], after["max_message"], after["required"]) == (20, "Twenty at most.", "Say who.")


def test_a_length_without_words_of_its_own_gets_wtforms_words(ctx):
    class Plain(DeclarationForm):
        with_whom = StringField("Who", validators=[Length(max=5)])

    c = phone_checks(Plain(meta={"csrf": False}))["fields"]["with_whom"]
    assert c["max_message"] in errors_for(Plain, {"with_whom": "x" * 6, "relationship": "neighbour"})["with_whom"]


def test_the_rules_between_fields_are_the_forms_own(ctx):
    rules = phone_checks(DecisionForm(meta={"csrf": False}))["rules"]
    assert [(r["rule"], r["field"], r.get("values")) for r in rules] == [
        ("required", "conditions", ["approved"]), ("required", "ends_at", ["approved"]),
        ("not_past", "ends_at", ["approved"]), ("required", "reason", ["declined", "withdrawn"])]
    for rule in rules:
        if rule["rule"] == "required":
            data = {"request_id": "1", "outcome": rule["values"][0]}
            assert rule["message"] in errors_for(DecisionForm, data)[rule["field"]]

    class Stricter(DecisionForm):
        rules = DecisionForm.rules + (Required(field="conditions", when="outcome", values=("declined",),
                                               message="Say what would change your mind."),)
    assert phone_checks(Stricter(meta={"csrf": False}))["rules"][-1]["message"] == "Say what would change your mind."


def test_the_request_times_are_checked_as_the_form_checks_them(ctx):
    rules = {r["rule"]: r for r in phone_checks(DeviceRequestForm(meta={"csrf": False}))["rules"]}
    assert rules["after"]["start"] == "starts_at" and rules["longest"]["by"] == "for_whom"
    assert rules["longest"]["seconds"] == {"self": 366 * 86400, "visitor": 31 * 86400}
    base = {"for_whom": "visitor", "visitor_name": "A", "visitor_organisation": "B", "device": "phone",
            "purpose": "work_task", "starts_at": "2099-01-01T09:00"}
    too_long = errors_for(DeviceRequestForm, {**base, "ends_at": "2099-02-02T09:01"})
    assert rules["longest"]["messages"]["visitor"] in too_long["ends_at"]
    backwards = errors_for(DeviceRequestForm, {**base, "ends_at": "2099-01-01T08:00"})
    assert backwards["ends_at"] == [rules["after"]["message"]]
    past = errors_for(DeviceRequestForm, {**base, "starts_at": "2001-01-01T09:00", "ends_at": "2001-01-01T10:00"})
    assert past["ends_at"] == [rules["not_past"]["message"]]


def test_what_each_kind_of_case_entry_needs_goes_to_the_phone(ctx):
    rules = phone_checks(CaseEventForm(meta={"csrf": False}))["rules"]
    police = next(r for r in rules if r.get("values") == ["police_contacted"])
    assert police["field"] == "reference"
    errors = errors_for(CaseEventForm, {"concern_id": "1", "kind": "police_contacted"})
    assert errors["reference"] == [police["message"]]
    none = next(r for r in rules if r["rule"] == "not_only")
    assert "none" in none["words"]
    assert errors_for(CaseEventForm, {"concern_id": "1", "kind": "lessons_learnt", "body": "None."})["body"] == \
        [none["message"]]


def test_the_checks_go_with_each_capture_page(app, client, auth):
    auth.login("head")
    for path in ("/concerns/new", "/requests/new", "/requests/decide", "/declarations/new", "/concerns/entry"):
        page = client.get(path).get_data(as_text=True)
        assert "data-checks='{" in page, path
        assert "maxlength" not in page, path  # a paste is never cut short
