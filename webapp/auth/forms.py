"""Forms for signing in, changing a password and managing people."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .passwords import MAX_LENGTH, password_problem
from .roles import ROLE_LABELS


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address."),
                                                    Length(max=254, message="That email address is too long.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=MAX_LENGTH, message="That password is too long.")])


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[
        DataRequired("Enter the 6-digit code from your authenticator app, or a recovery code."),
        Length(max=40, message="That code is too long: enter the 6 digits or one recovery code.")],
        description="The 6 digits your authenticator app shows now, or one of your recovery codes.")


class SetupCodeForm(FlaskForm):
    code = StringField("Code from your authenticator app", validators=[
        DataRequired("Enter the 6-digit code your authenticator app shows."),
        Length(max=40, message="That code is too long: enter the 6 digits.")],
        description="6 digits. A new one appears every 30 seconds.")


class PasskeyForm(FlaskForm):
    """A new passkey: the name its owner gives it, and the browser's answer (filled in by passkey.js)."""
    name = StringField("Name for this passkey", validators=[
        DataRequired("Give the passkey a name, such as the phone or key it is on."),
        Length(max=60, message="That name is too long: use 60 characters or fewer.")],
        description="So you can tell your passkeys apart, for example \u201cMy phone\u201d.")
    credential = HiddenField(validators=[
        DataRequired("Your browser did not make a passkey. Press the button again and follow what it asks."),
        Length(max=20000, message="That passkey answer could not be read. Please try again.")])


class PasskeyAnswerForm(FlaskForm):
    """The browser's answer from a passkey at sign-in (filled in by passkey.js)."""
    credential = HiddenField(validators=[
        DataRequired("Your browser did not answer with a passkey. Press the button again."),
        Length(max=20000, message="That passkey answer could not be read. Please try again.")])


class NewPasswordMixin:
    def validate_new_password(self, field):
        problem = password_problem(field.data or "", getattr(self, "email_for_check", ""))
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=MAX_LENGTH)])
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password.")],
                                 description="At least 10 characters. A few unrelated words work well.")


class RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter the person's name."),
                                                Length(max=120, message="Use at most 120 characters.")])
    roles = RolesField("Roles", choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()],
                       validators=[DataRequired("Choose at least one role.")],
                       invalid_choice_message="Choose roles from the list shown.")


class NewUserForm(NewPasswordMixin, UserForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter the person's email address."),
        Email("Enter an email address like name@school.org.uk.", check_deliverability=False),
        Length(max=254, message="That email address is too long.")])
    new_password = PasswordField("First password", validators=[DataRequired("Enter a first password.")],
                                 description="Give it to them in person; they can change it after signing in.")


class DeactivateForm(FlaskForm):
    confirm = BooleanField("Yes, end this person's access now",
                           validators=[DataRequired("Tick the box to confirm.")])


class TemporaryPasswordForm(NewPasswordMixin, FlaskForm):
    new_password = PasswordField("Temporary password", validators=[DataRequired("Enter a temporary password.")],
                                 description="Give it to them in person. It works once: they choose their own "
                                             "password straight after signing in with it.")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address."),
        Email("Enter an email address like name@school.org.uk.", check_deliverability=False),
        Length(max=254, message="That email address is too long.")])


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password.")],
                                 description="At least 10 characters. A few unrelated words work well.")
