"""Before anything else: a person who must set up a second factor, or change a temporary password, does that first."""
from flask import jsonify, redirect, request, url_for
from flask_login import current_user

# What stays reachable while a sign-in is unfinished: signing out, the page that finishes it,
# and what every page needs to load.
ALWAYS_OPEN = {"auth.logout", "auth.login", "reset.forgot", "reset.choose", "static", "pwa.service_worker", "pwa.manifest"}
SECOND_FACTOR_PAGE = "auth.two_factor"
PASSWORD_PAGE = "auth.change_password"


def finish_sign_in_first():
    """Send a person with an unfinished sign-in to the one page that finishes it (APIs answer JSON)."""
    if request.endpoint is None or request.endpoint in ALWAYS_OPEN or not current_user.is_authenticated:
        return None
    if current_user.must_change_password:
        page, message = PASSWORD_PAGE, "Change your temporary password on the website before going on."
    elif current_user.needs_second_factor:
        page, message = SECOND_FACTOR_PAGE, ("Set up two-factor sign-in on the website "
                                              "(Account, Two-factor sign-in) before using this phone.")
    else:
        return None
    if request.endpoint == page:
        return None
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": 403}), 403
    return redirect(url_for(page))
