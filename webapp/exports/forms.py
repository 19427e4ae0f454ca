"""Forms of a child's transfer to a new school: the one place their field rules live."""
from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

MIN_PASSPHRASE = 12


class TransferForm(FlaskForm):
    recipient = StringField("Sent to", description="The receiving school and its DSL, for example "
                                                   "\u2018Oakfield Primary, Ms Patel (DSL)\u2019.",
                            validators=[InputRequired("Say which school and which DSL it is going to."),
                                        Length(max=200, message="Use at most 200 characters.")])
    on_date = DateField("Date sent", validators=[InputRequired("Enter the date the file goes.")])
    passphrase = PasswordField(
        "Passphrase for the file", description=f"At least {MIN_PASSPHRASE} characters. Give it to the receiving "
                                               "DSL separately (by phone, not in the same email). It is not kept.",
        validators=[InputRequired("Choose a passphrase to lock the file with."),
                    Length(min=MIN_PASSPHRASE, max=200,
                           message=f"Use a passphrase of at least {MIN_PASSPHRASE} characters.")])


class ReceiptForm(FlaskForm):
    on_date = DateField("Date they confirmed", validators=[InputRequired("Enter the date of the confirmation.")])
    body = TextAreaField("Who confirmed, and how", validators=[
        InputRequired("Say who at the receiving school confirmed, and how."),
        Length(max=2000, message="Use at most 2,000 characters.")])
    recipient = StringField("School", validators=[Optional(), Length(max=200)])
