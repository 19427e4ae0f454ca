"""The first administrator's account form."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..auth.forms import NewPasswordMixin


class FirstAdminForm(NewPasswordMixin, FlaskForm):
    name = StringField("Your full name", validators=[DataRequired("Enter your name."),
                                                     Length(max=120, message="Use at most 120 characters.")])
    email = EmailField("Your email address", validators=[
        DataRequired("Enter your email address."),
        Email("Enter an email address like name@school.org.uk.", check_deliverability=False),
        Length(max=254, message="That email address is too long.")])
    new_password = PasswordField("Choose a password", validators=[DataRequired("Choose a password.")],
                                 description="At least 10 characters. A few unrelated words work well.")
    confirm = PasswordField("Type the password again", validators=[
        DataRequired("Type the password again."), EqualTo("new_password", "The two passwords are not the same.")])
