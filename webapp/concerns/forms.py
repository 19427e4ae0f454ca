"""The concern and case-entry forms: the one place their field rules live (web and phone)."""
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, MultipleFileField, RadioField,
                     SelectField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..clock import CLOCK_SKEW, utcnow
from ..school_time import SchoolTimeField
from . import evidence
from .categories import ALLEGATION_OUTCOMES, CATEGORIES, NO_ATTACHMENTS
from .chronology import BARE_NONE, KIND_BY_KEY, KINDS, STATUSES

ME = "me"  # assign to whoever signs the entry: works on a phone page that names nobody


def status_choices():
    return [SelectChoice(key, text) for key, text in STATUSES.items()]


def _limit(n):
    return Length(max=n, message=f"Use at most {n:,} characters.")


class ChoiceField(RadioField):
    """Radio buttons that name the problem plainly when an unknown value is sent."""

    def __init__(self, *args, unknown="Choose one of the options listed.", **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown = unknown

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.unknown)


# A tick box also reads 0, no and off (from a phone or a script) as "no".
FALSE_VALUES = (False, "false", "False", "", "0", "no", "No", "off", "n", "N")


def not_in_future(form, field):
    if field.data and field.data > utcnow() + CLOCK_SKEW:
        raise ValidationError("That time is in the future: enter when it happened.")


class ConcernForm(FlaskForm):
    category = ChoiceField(
        "What kind of concern is it?",
        choices=[SelectChoice(c.key, c.label) for c in CATEGORIES],
        validators=[InputRequired("Choose what kind of concern this is.")],
        unknown="Choose one of the kinds of concern listed.")
    occurred_at = SchoolTimeField(
        "When did it happen?", default=utcnow, description="Your best guess is fine.",
        validators=[InputRequired("Enter when it happened."), not_in_future])
    location = StringField(
        "Where did it happen?", description="For example: Year 4 classroom, field, school trip.",
        validators=[InputRequired("Say where it happened."), _limit(200)])
    learners = TextAreaField(
        "Which learners were involved?", validators=[Optional(), _limit(1000)],
        description="Names and classes, if you know them. Leave empty if none.")
    adults = TextAreaField(
        "Which adults were involved?", validators=[Optional(), _limit(1000)],
        description="Staff, visitors or contractors, parents: say who and which.")
    staff_involved = BooleanField(
        "A member of staff is involved", false_values=FALSE_VALUES,
        description="The headteacher is told (5.2.5).")
    about_head = BooleanField(
        "It is about the headteacher", false_values=FALSE_VALUES,
        description="Only the chair of governors will see it: no DSL and not the headteacher.")
    account = TextAreaField(
        "What happened?", description="In your own words: what you saw, heard or were told.",
        validators=[InputRequired("Say what happened."), _limit(10000)])
    action_taken = TextAreaField(
        "What did you do straight away?", validators=[Optional(), _limit(5000)],
        description="For example: took the phone to the office. Leave empty if nothing yet.")
    told_dsl_in_person = BooleanField("I have told a DSL in person", false_values=FALSE_VALUES)
    urgent = BooleanField("This is urgent: a DSL needs to act today", false_values=FALSE_VALUES)
    attachments = MultipleFileField(
        "Photos or screenshots (optional)",
        description=(f"Pictures only (JPEG, PNG, WebP or GIF), up to {evidence.MAX_FILES}, "
                     f"each under {evidence.MAX_MB} MB. Only DSLs and the headteacher can see "
                     "them. Never attach anything for suspected illegal content."))

    def validate_attachments(self, field):
        files = evidence.chosen_files(field.data)
        if files and self.category.data in NO_ATTACHMENTS:
            raise ValidationError("Remove the attachments: suspected illegal images must never be "
                                  "copied. Leave the device as it is and tell a DSL.")
        messages = evidence.problems(files)
        if messages:
            raise ValidationError(" ".join(messages))

    def files(self):
        """Return the pictures actually chosen."""
        return evidence.chosen_files(self.attachments.data)


class CaseEventForm(FlaskForm):
    concern_id = IntegerField("Case", widget=HiddenInput(),
                              validators=[InputRequired("Say which case this entry is for.")])
    kind = SelectField("What are you recording?",
                       choices=[SelectChoice(k.key, k.label) for k in KINDS if not k.own_form],
                       validate_choice=False,
                       validators=[InputRequired("Choose what you are recording.")])
    body = TextAreaField("Details", validators=[Optional(), _limit(5000)],
                         description="What was done or decided, and by whom. Needed for notes, "
                                     "outcomes, lessons learnt, behaviour action and closing "
                                     "reasons.")
    reference = StringField("Reference", validators=[Optional(), _limit(100)],
                            description="The police reference number, when police were contacted.")
    assignee_id = SelectField("Assign to", choices=[SelectChoice("", "Nobody")],
                              validate_choice=False,
                              description="Only for an assignment: who takes this case on.")
    status = SelectField("New status", choices=[SelectChoice("", "No change")] + status_choices(),
                         validate_choice=False, description="Only for a change of status.")
    learner_id = IntegerField("Pupil", widget=HiddenInput(), validators=[Optional()])
    due_on = DateField("Due by", validators=[Optional()], description="The day it must be done by.")
    action_id = IntegerField("Action", widget=HiddenInput(), validators=[Optional()])
    user_id = IntegerField("Member of staff", validators=[Optional()],
                           description="The member of staff this concern is about: from now on they "
                                       "cannot see it in any way, whatever their role.")
    allegation_outcome = SelectField(
        "Outcome of the allegation", validate_choice=False,
        choices=[SelectChoice("", "Not an allegation about staff")]
        + [SelectChoice(k, text) for k, text in ALLEGATION_OUTCOMES.items()],
        description="For an allegation about a member of staff: the allegations guidance's categories.")

    def set_assignees(self, people, named=True, owners=()):
        """Offer "me" and, unless the page is kept on a phone, each DSL and the head by name.

        `owners` are the other people an action may be given to (any member of staff).
        """
        named_choices = [SelectChoice(str(p["id"]), p["name"]) for p in (people if named else [])]
        self.assignee_id.choices = [SelectChoice("", "Nobody"),
                                    SelectChoice(ME, "Me (the person signed in)")] + named_choices
        self.case_workers = {str(p["id"]) for p in people}
        self.action_owners = self.case_workers | {str(p["id"]) for p in owners}
        return self

    def validate_kind(self, field):
        if field.data not in KIND_BY_KEY:
            raise ValidationError("Choose one of the kinds of entry listed.")

    def validate_allegation_outcome(self, field):
        if field.data and field.data not in ALLEGATION_OUTCOMES:
            raise ValidationError("Choose substantiated, malicious, false, unsubstantiated or unfounded.")

    def validate_status(self, field):
        if field.data and field.data not in STATUSES:
            raise ValidationError("Choose received, being dealt with or closed.")

    def validate_assignee_id(self, field):
        if self.kind.data == "action":
            if field.data and field.data != ME and field.data not in getattr(self, "action_owners", ()):
                raise ValidationError("Choose a member of staff listed.")
            return
        known = getattr(self, "case_workers", ())
        if field.data and field.data != ME and field.data not in known:
            raise ValidationError("Choose one of the DSLs listed.")

    def validate(self, extra_validators=None):
        """Check each field, then what this kind of entry needs."""
        ok = super().validate(extra_validators)
        kind = KIND_BY_KEY.get(self.kind.data)
        for name in kind.needs if kind else ():
            if not str(self[name].data or "").strip() and not self[name].errors:
                self[name].errors.append(needed(kind, name))
                ok = False
        bare_none = (self.body.data or "").strip().lower() in BARE_NONE
        if self.kind.data == "lessons_learnt" and bare_none and not self.body.errors:
            self.body.errors.append("If there are no lessons to learn, say why, for example "
                                    "\u2018None: the rule worked and was followed\u2019.")
            ok = False
        return ok

    def assignee(self, author_id):
        """Return the chosen assignee's id ("me" is the entry's author), or None."""
        if self.assignee_id.data == ME:
            return author_id
        return int(self.assignee_id.data) if self.assignee_id.data else None


def needed(kind, name):
    """Say which field an entry of this kind is missing."""
    if name == "body":
        if kind.key == "closing_override":
            return "Give the reason for closing without the usual entries."
        return f"Write the details for \u2018{kind.label}\u2019."
    if kind.key == "action" and name == "assignee_id":
        return "Choose who will do this action."
    return {"reference": "Enter the police reference number.",
            "assignee_id": "Choose who to assign this case to.",
            "status": "Choose the new status.",
            "learner_id": "Choose the pupil to link.",
            "due_on": "Enter the day the action must be done by.",
            "action_id": "Say which action this is about.",
            "user_id": "Choose the member of staff this concern is about."}[name]


class QueueFilterForm(FlaskForm):
    """Filters for the queue, read from the address (GET), so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Search the reports", validators=[Optional(), _limit(200)],
                    description="Words from what happened, what was done, where or who.")
    status = SelectField("Status", validate_choice=False, choices=[
        SelectChoice("", "Any status"), SelectChoice("open", "Open (not closed)"),
        *status_choices()])
    category = SelectField("Kind of concern", validate_choice=False, choices=[
        SelectChoice("", "Any kind")] + [SelectChoice(c.key, c.label) for c in CATEGORIES])
    assignee = SelectField("Assigned to", validate_choice=False, choices=[
        SelectChoice("", "Anyone"), SelectChoice("none", "Nobody yet")])
    date_from = DateField("Logged on or after", name="from", validators=[Optional()])
    date_to = DateField("Logged on or before", name="to", validators=[Optional()])
