"""Forms for the DSLs' and admins' sync pages."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (try again, revoke)."""


class ResolveForm(FlaskForm):
    note = TextAreaField("What you did about it", validators=[
        DataRequired("Say what you did about this item."),
        Length(max=2000, message="Use at most 2,000 characters.")],
        description="For example: copied into the concern queue by hand, or checked with the author.")


class DiscardForm(FlaskForm):
    reason = TextAreaField("Why you are discarding it", validators=[
        DataRequired("Say why you are discarding it."),
        Length(max=2000, message="Use at most 2,000 characters.")],
        description="For example: I logged it again from the web page, or it was sent by mistake.")
