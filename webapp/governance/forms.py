"""Forms for policy versions, ratification, acknowledgement, declarations and report periods."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from .policy import looks_like_pdf
from .terms import add_years

DATE_MESSAGE = "Enter a real date, for example 31/07/2026."

CHOOSE_RELATIONSHIP = "Choose what kind of relationship it is."
DESCRIBE_WHOM = "Describe who the relationship is with."
RELATIONSHIPS = [
    ("neighbour", "A neighbour"),
    ("relative", "A relative"),
    ("family_friend", "A family friend"),
    ("child_minding", "Child-minding (I look after a learner, or a parent looks after my child)"),
    ("other", "Something else"),
]


def date_field(label, required_message, **kwargs):
    return DateField(label, validators=[InputRequired(required_message)],
                     invalid_value_message=DATE_MESSAGE, **kwargs)


class PolicyVersionForm(FlaskForm):
    title = StringField("Title", default="Mobile technology and social media policy",
                        validators=[DataRequired("Give the version a title."),
                                    Length(max=200, message="Use at most 200 characters.")])
    written_on = date_field("Date written or updated", "Enter the date this version was written.")
    effective_on = date_field("Date it takes effect", "Enter the date this version takes effect.",
                              description="From this date it is the policy in force, and every member "
                                          "of staff is asked to read and acknowledge it.")
    next_review_on = date_field("Date of next review", "Enter the date of the next review.",
                                description="No later than a year after the date written: the policy "
                                            "is reviewed at least once a year (clause 4.1).")
    body_markdown = TextAreaField("Text of the policy", validators=[Optional()],
                                  description="Paste the text here, or upload a PDF below instead. "
                                              "Start a line with # for a heading or - for a list item.")
    document = FileField("Or upload the policy as a PDF", description="A PDF file, ending .pdf.")

    def validate(self, extra_validators=None):
        """Check each field, then the dates against each other and text-or-PDF."""
        ok = super().validate(extra_validators)
        return self._dates_agree() and self._one_source() and ok

    def _dates_agree(self):
        written, effective, review = self.written_on.data, self.effective_on.data, self.next_review_on.data
        if not (written and effective and review):
            return True
        if review < written:
            self.next_review_on.errors.append("The next review cannot be before the date written.")
        elif review > add_years(written, 1):
            self.next_review_on.errors.append(
                f"Review at least once a year: choose a date no later than "
                f"{add_years(written, 1).strftime('%d/%m/%Y')}.")
        if effective < written:
            self.effective_on.errors.append("A version cannot take effect before the date it was written.")
        return not (self.next_review_on.errors or self.effective_on.errors)

    def _one_source(self):
        text = (self.body_markdown.data or "").strip()
        upload = self.document.data
        if upload and not looks_like_pdf(upload):
            self.document.errors.append("The file must be a PDF (ending .pdf). Other kinds of file "
                                        "cannot be used: save or export it as a PDF first.")
        elif upload and text:
            self.body_markdown.errors.append("Give either the text or a PDF, not both.")
        elif not upload and not text:
            self.body_markdown.errors.append("Paste the text of the policy or upload it as a PDF.")
        else:
            return True
        return False


class RatifyForm(FlaskForm):
    ratified_on = date_field("Date agreed and ratified by the governing body",
                             "Enter the date the governing body ratified this version.")


class AcknowledgeForm(FlaskForm):
    policy_version_id = HiddenField()
    confirm = BooleanField("I have read this version of the policy and will follow it",
                           validators=[DataRequired("Tick the box to confirm you have read it.")])


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token (remind, confirm, end)."""


class DeclarationForm(FlaskForm):
    relationship = RadioField("What is the relationship?",
                              choices=[SelectChoice(key, label) for key, label in RELATIONSHIPS],
                              validators=[InputRequired(CHOOSE_RELATIONSHIP)],
                              invalid_choice_message=CHOOSE_RELATIONSHIP)
    with_whom = StringField(
        "Who is it with?",
        validators=[DataRequired(DESCRIBE_WHOM), Length(max=200, message="Use at most 200 characters.")],
        # The same rule in the browser, which checks a form before keeping it on the phone.
        render_kw={"pattern": r".*\S.*", "title": DESCRIBE_WHOM},
        description="No full names needed: for example 'the parent of a learner in Year 4', "
                    "or initials and class.")
    details = TextAreaField(
        "How could it lead to contact from your own phone or devices?",
        validators=[Length(max=2000, message="Use at most 2,000 characters.")],
        description="For example: we message each other as neighbours; I babysit at weekends.")


class ArrangementForm(FlaskForm):
    arrangement = TextAreaField(
        "Arrangement agreed",
        validators=[DataRequired("Describe the arrangement you agreed with the member of staff."),
                    Length(max=2000, message="Use at most 2,000 characters.")],
        description="What contact is acceptable, what goes through school channels instead, and "
                    "who else was consulted (the policy asks for the DSL and the headteacher).")


FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2000, 2099


def in_reporting_years(form, field):
    """Refuse dates no school record can have (year 1, year 9999)."""
    if field.data and not FIRST_REPORT_YEAR <= field.data.year <= LAST_REPORT_YEAR:
        raise ValidationError(f"Enter a date between {FIRST_REPORT_YEAR} and {LAST_REPORT_YEAR}.")


class ReportPeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    start = DateField("From", name="from", validators=[Optional(), in_reporting_years],
                      invalid_value_message=DATE_MESSAGE)
    end = DateField("To", name="to", validators=[Optional(), in_reporting_years], invalid_value_message=DATE_MESSAGE)
