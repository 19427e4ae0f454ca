"""The form of the actions page: marking one's own action done (the entry rules are the case form's)."""
from flask_wtf import FlaskForm


class DoneForm(FlaskForm):
    """Only the CSRF token: which action is in the address, and the case form checks the entry."""
