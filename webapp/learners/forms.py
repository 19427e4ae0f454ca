"""Forms of the pupil pages: the one place their field rules live."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

FLAGS = {"early_help": "Early help", "child_in_need": "Child in need",
         "child_protection_plan": "Child protection plan", "looked_after": "Looked after"}
MAX_LIST_BYTES = 8 * 1024 * 1024


class ImportForm(FlaskForm):
    pupil_list = FileField("The pupil list (CSV)",
                           description="Exported from SIMS, Arbor or Bromcom, with a first row naming the "
                                       "columns: UPN, Legal Surname, Legal Forename, DOB, Year, Reg, and "
                                       "Family ID if you have it.")

    def validate_pupil_list(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Choose the CSV file of the pupil list.")


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[InputRequired("Upload the list again."),
                                    Regexp(r"^[0-9a-f]{32}$", message="Upload the list again.")])
    filename = HiddenField(validators=[Optional(), Length(max=200)])


class SearchForm(FlaskForm):
    """Search pupils from the address (GET), so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Name or UPN", validators=[Optional(), Length(max=100, message="Use at most 100 characters.")])


class FlagForm(FlaskForm):
    flag = SelectField("Flag", choices=[SelectChoice(k, v) for k, v in FLAGS.items()],
                       validate_choice=False)
    change = SelectField("Set or clear", choices=[SelectChoice("set", "Set"), SelectChoice("cleared", "Cleared")],
                         validate_choice=False)
    on_date = DateField("From what date", validators=[InputRequired("Enter the date it was set or cleared.")])
    body = TextAreaField("Note", validators=[Optional(), Length(max=2000, message="Use at most 2,000 characters.")])

    def validate_flag(self, field):
        if field.data not in FLAGS:
            raise ValidationError("Choose one of the flags listed.")

    def validate_change(self, field):
        if field.data not in ("set", "cleared"):
            raise ValidationError("Choose set or cleared.")


class HoldForm(FlaskForm):
    """A legal hold set or cleared: while one is in force nothing of the record may be destroyed."""
    change = SelectField("Set or clear", choices=[SelectChoice("hold_set", "Set a legal hold"),
                                                  SelectChoice("hold_cleared", "Clear the legal hold")],
                         validate_choice=False)
    on_date = DateField("From what date", validators=[InputRequired("Enter the date of the hold or its end.")])
    body = TextAreaField("Why", validators=[InputRequired("Say why (for example: the police asked us to keep it)."),
                                            Length(max=2000, message="Use at most 2,000 characters.")])

    def validate_change(self, field):
        if field.data not in ("hold_set", "hold_cleared"):
            raise ValidationError("Choose set or clear.")


REVIEW_DECISIONS = {"review_keep": "Keep the record for longer", "review_destroy": "Destroy the record"}


class ReviewForm(FlaskForm):
    """The headteacher's decision once a record's review date has come: never taken by the app itself."""
    decision = SelectField("Decision", choices=[SelectChoice(k, v) for k, v in REVIEW_DECISIONS.items()],
                           validate_choice=False)
    on_date = DateField("Date of the decision", validators=[InputRequired("Enter the date of the decision.")])
    body = TextAreaField("Reason", description="Kept after the record is destroyed: do not name the child.",
                         validators=[InputRequired("Give the reason for the decision."),
                                               Length(max=2000, message="Use at most 2,000 characters.")])

    def validate_decision(self, field):
        if field.data not in REVIEW_DECISIONS:
            raise ValidationError("Choose keep or destroy.")


class DestroyForm(FlaskForm):
    """The head's confirmation, after seeing what will go, that the record is destroyed now."""
    confirm = BooleanField("I understand that this cannot be undone",
                           validators=[InputRequired("Tick the box to confirm: a destroyed record cannot be brought back.")])
