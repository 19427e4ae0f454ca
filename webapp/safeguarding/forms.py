"""The admin's forms for the school's procedures and the titles and extensions on Key details."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import HiddenInput


class ProceduresForm(FlaskForm):
    whistleblowing = TextAreaField(
        "The school's whistleblowing procedure", validators=[Optional(), Length(max=20000,
                                                             message="Use at most 20,000 characters.")],
        description="In plain words: who staff tell, and what happens next. Shown to everyone, offline too.")
    complaints = TextAreaField(
        "The school's complaints procedure", validators=[Optional(), Length(max=20000,
                                                         message="Use at most 20,000 characters.")],
        description="How learners, parents and staff make a complaint (7.4).")


class ContactForm(FlaskForm):
    user_id = IntegerField("Person", widget=HiddenInput(), validators=[InputRequired("Say whose details these are.")])
    title = StringField("Title", validators=[Optional(), Length(max=100, message="Use at most 100 characters.")],
                        description="For example: Deputy DSL, Year 6 teacher.")
    extension = StringField(
        "Phone extension", validators=[Optional(), Length(max=20, message="Use at most 20 characters."),
                                       Regexp(r"^[0-9 +()-]*$", message="Use digits only (spaces, + and - allowed).")])
