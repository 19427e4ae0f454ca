"""Forms of the school phone pages."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from ..permissions.forms import KeyRadio, options

ANSWERS = [("confirmed", "Yes, I logged it"), ("denied", "No, it was not me")]


class AnswerForm(FlaskForm):
    """Someone named on a school phone says whether they logged the concern."""

    answer = KeyRadio("Did you log this concern?", choices=options(ANSWERS),
                      missing="Say whether you logged this concern.")
    note = TextAreaField("Anything the DSLs should know (optional)",
                         validators=[Optional(), Length(max=1000, message="Keep this under 1,000 characters.")])


class EndEnrolmentForm(FlaskForm):
    """An administrator stops a school phone's key from counting (only the CSRF token)."""
