"""Forms for device-use requests, decisions and the school-device register (HTML and synced items)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation
from wtforms.widgets import HiddenInput

from ..form_rules import After, CrossChecked, Longest, NotPast, Required
from ..school_time import SchoolTimeField
from .rules import MAX_WINDOW, MAX_WINDOW_WORDS, TIME_CHECKS

FOR_WHOM = [("self", "Myself"), ("visitor", "A visitor or contractor")]
DEVICES = [("phone", "Mobile phone"), ("tablet", "Tablet"), ("wearable", "Smart watch or other wearable"),
           ("laptop", "Laptop"), ("camera", "Camera"), ("other", "Something else")]
PURPOSES = [
    ("emergency_contact", "Staying reachable for an emergency (for example a family matter)"),
    ("work_task", "A work task (for example an app the job needs)"),
    ("photos_of_premises", "Photos of the building or grounds, with no learners in them"),
    ("photos_of_learners", "Photos or video of learners"),
    ("contact_learners_or_parents", "Contacting learners, parents or carers"),
    ("other", "Something else"),
]
OUTCOMES = [("approved", "Approve"), ("declined", "Decline"), ("withdrawn", "Withdraw a permission given")]
DEVICE_KINDS = [("phone", "Phone"), ("tablet", "Tablet"), ("laptop", "Laptop"), ("other", "Other")]
DEVICE_STATUSES = [("in_use", "In use"), ("lost", "Lost"), ("stolen", "Stolen"), ("retired", "Retired")]
MISSING = [("lost", "Lost"), ("stolen", "Stolen")]
TEXT = 2000
# Purposes the policy never allows on a personal device, and the rule that refuses each.
REFUSED_PURPOSES = {"photos_of_learners": "photos_of_learners",
                    "contact_learners_or_parents": "contact_learners_or_parents"}


def options(pairs, blank=None, refusals=None):
    """Turn (key, label) pairs into choices, each marked with the rule that would refuse it, if any."""
    first = [SelectChoice("", blank)] if blank else []
    refusals = refusals or {}
    return first + [SelectChoice(key, label, render_kw={"data-refusal": refusals[key]} if key in refusals else {})
                    for key, label in pairs]


def embedded(form, suffix):
    """Give one of several copies of a form on a page its own element ids (field names stay the same)."""
    for field in form:
        field.id = f"{field.name}-{suffix}"
        field.label.field_id = field.id
    return form


class ChoiceCheck:
    """Refuse a missing or unknown key with a message that says which."""

    def __init__(self, *args, missing="Choose one of the options.", **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = missing
        self.flags.required = True  # so a phone can say so before anything is kept

    def pre_validate(self, form):
        keys = {choice.value for choice in self.choices if choice.value != ""}
        if self.data in keys:
            return
        if self.raw_data and self.raw_data[0]:
            raise StopValidation(f"“{self.raw_data[0]}” is not one of the options. Choose from the list.")
        raise StopValidation(self.missing)


class KeySelect(ChoiceCheck, SelectField):
    """A drop-down list of keys."""


class KeyRadio(ChoiceCheck, RadioField):
    """Radio buttons for keys, rendered by the form macro as a fieldset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "RadioField"

    def __iter__(self):
        for option in super().__iter__():
            option.render_kw = {**(self.render_kw or {}), **(option.choice.render_kw or {})}
            yield option


# The words of each time check ("why. what to do"), as the rules table has them.
TIME_WORDS = {rule.key: f"{rule.why} {rule.instead}" for rule in TIME_CHECKS}


def _most(n):
    return Length(max=n, message=f"Use at most {n:,} characters.")


class DeviceRequestForm(CrossChecked, FlaskForm):
    """Asking to use a personal device: payload kind `device_request`."""

    rules = (
        Required(field="visitor_name", when="for_whom", values=("visitor",), message="Enter the visitor's full name."),
        Required(field="visitor_organisation", when="for_whom", values=("visitor",),
                 message="Enter the visitor's organisation, or “none”."),
        # Mistakes in the times are put right by the person, never recorded as a refusal.
        After(field="ends_at", start="starts_at", message=TIME_WORDS["end_before_start"]),
        NotPast(field="ends_at", message=TIME_WORDS["window_ended"]),
        Longest(field="ends_at", start="starts_at", by="for_whom",
                seconds={k: v.total_seconds() for k, v in MAX_WINDOW.items()}, words=MAX_WINDOW_WORDS,
                message=TIME_WORDS["window_too_long"]),
    )

    for_whom = KeyRadio("Who is the device for?", choices=options(FOR_WHOM), missing="Say who the device is for.")
    visitor_name = StringField("Visitor's full name", validators=[_most(120)],
                               description="Only if you are asking for a visitor or contractor.")
    visitor_organisation = StringField("Their organisation or company", validators=[_most(120)],
                                       description="For example the building firm, or “parent volunteer”.")
    device = KeySelect("Device", choices=options(DEVICES, "Choose a device"), missing="Choose the device.")
    purpose = KeyRadio("What is it for?", choices=options(PURPOSES, refusals=REFUSED_PURPOSES),
                       missing="Choose what the device is for.")
    detail = TextAreaField("A few words about it", validators=[_most(TEXT)],
                           description="What the device is needed for. Do not name learners.")
    location = KeySelect("Where on site", choices=[], missing="Choose where the device will be used.")
    starts_at = SchoolTimeField("From", validators=[InputRequired("Enter when it starts.")])
    ends_at = SchoolTimeField("Until", validators=[InputRequired("Enter when it ends.")])
    during_teaching = BooleanField("It will be used during teaching time")
    urgent = BooleanField("Urgent: email the headteacher now",
                          description="Only when a decision is needed today.")

    def set_areas(self, areas):
        """Offer the school's current list of areas."""
        restricted = {a["key"]: "restricted_area" for a in areas if a["restricted"]}
        self.location.choices = options([(a["key"], a["label"]) for a in areas], "Choose a place", restricted)
        return self


class DecisionForm(CrossChecked, FlaskForm):
    """The headteacher's written decision: payload kind `decision`.

    An approval is given in writing with its conditions and an end time still to come; a decline or a
    withdrawal gives its reason.
    """

    rules = (
        Required(field="conditions", when="outcome", values=("approved",),
                 message="Write the conditions of the approval, for example “only in the office”."),
        Required(field="ends_at", when="outcome", values=("approved",), message="Enter when the permission ends."),
        NotPast(field="ends_at", when="outcome", values=("approved",),
                message="That end time has already passed: choose a later one."),
        Required(field="reason", when="outcome", values=("declined", "withdrawn"),
                 message="Give a reason for declining or withdrawing."),
    )

    request_id = IntegerField("Request", widget=HiddenInput(),
                              validators=[InputRequired("Say which request this decision is about.")])
    outcome = KeyRadio("Decision", choices=options(OUTCOMES), missing="Choose approve or decline.")
    conditions = TextAreaField("Conditions", validators=[_most(TEXT)],
                               description="For example: only in the office, never near learners.")
    ends_at = SchoolTimeField("Permission ends", validators=[Optional()],
                              description="Leave as asked, or make it earlier. It cannot be later.")
    reason = TextAreaField("Reason", validators=[_most(TEXT)],
                           description="Needed when you decline or withdraw.")

    def show_choices(self, keys):
        """Offer only some outcomes on this page (all of them are still accepted when posted)."""
        self.outcome.choices = options([c for c in OUTCOMES if c[0] in keys])
        return self


class AreaForm(FlaskForm):
    label = StringField("Name of the place", validators=[InputRequired("Enter the name of the place."),
                                                         Length(max=60)])
    restricted = BooleanField("Devices are never used here",
                              description="Like toilets, changing rooms and the swimming pool (5.1.4).")


class SchoolDeviceForm(FlaskForm):
    asset_tag = StringField("Asset tag", validators=[InputRequired("Enter the asset tag."), Length(max=40)])
    kind = KeySelect("Kind", choices=options(DEVICE_KINDS), missing="Choose the kind of device.")
    issued_to = KeySelect("Issued to", choices=[], missing="Choose who holds it.")
    status = KeySelect("Status", choices=options(DEVICE_STATUSES), missing="Choose its status.")

    def set_staff(self, people):
        """Offer the active staff, and "nobody" for a device kept in the office."""
        self.issued_to.choices = options([("none", "Nobody (kept in the office)")] +
                                         [(str(p["id"]), p["name"]) for p in people])
        return self


class PasscodeForm(FlaskForm):
    confirm = BooleanField("It locks with a passcode, PIN or password, and only staff use it",
                           validators=[InputRequired("Tick the box to confirm.")])


class MissingDeviceForm(FlaskForm):
    status = KeyRadio("What has happened to it?", choices=options(MISSING), missing="Choose lost or stolen.")
    location = StringField("Where you last had it", validators=[
        InputRequired("Say where you last had it."), Length(max=200)])
    account = TextAreaField("What happened", validators=[InputRequired("Say what happened."), Length(max=TEXT)],
                            description="When you last had it, and anything that might help find it.")
