"""Turn a WTForms form into the checks a phone runs before sealing, in the server's own words.

Only checks that need no server data: required fields and choices, lengths, time formats, and the
form's declared `rules` (webapp/form_rules.py). The page carries the result as JSON in the form's
`data-checks` attribute; static/js/checks.js runs it.
"""
from types import SimpleNamespace

from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from .school_time import EARLIEST_YEAR, LATEST_YEAR, TIME_FORMAT_MESSAGE, SchoolTimeField


def _required_message(validator, field):
    return validator.message or field.gettext("This field is required.")


def _length_message(validator, field):
    """Return the words the server uses for text one character too long (asked of the validator itself)."""
    probe = SimpleNamespace(data="x" * (validator.max + 1), gettext=field.gettext, ngettext=field.ngettext)
    try:
        validator(field.form if hasattr(field, "form") else None, probe)
    except ValidationError as error:
        return str(error)
    return None


def field_checks(field):
    """Return one field's own checks as JSON data (empty if it has none)."""
    checks = {}
    for validator in field.validators:
        if isinstance(validator, DataRequired):
            checks.update(required=_required_message(validator, field), blank=True)
        elif isinstance(validator, InputRequired):
            checks.update(required=_required_message(validator, field))
        elif isinstance(validator, Length) and validator.max >= 0:
            checks.update(max=validator.max, max_message=_length_message(validator, field))
    missing = getattr(field, "missing", None)  # a choice that names what to choose (permissions.forms)
    if missing:
        checks["required"] = missing
    if isinstance(field, SchoolTimeField):
        checks["time"] = {"earliest": f"{EARLIEST_YEAR:04d}-01-01T00:00", "latest": f"{LATEST_YEAR:04d}-12-31T23:59",
                          "message": TIME_FORMAT_MESSAGE}
    return checks


def phone_checks(form):
    """Return every check of a form the phone can run: {"fields": {name: {...}}, "rules": [...]}."""
    fields = {}
    for field in form:
        checks = field_checks(field)
        if checks:
            fields[field.name] = {"id": field.id, **checks}
    return {"fields": fields, "rules": [rule.as_phone() for rule in getattr(form, "rules", ())]}


def init_app(app):
    app.jinja_env.globals["phone_checks"] = phone_checks
