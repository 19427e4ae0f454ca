"""Each person's home page: links to the pages their roles open, in a sensible order."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from .concerns import allegations
from .db import get_db

bp = Blueprint("home", __name__)

# (endpoint, label, what it is for). Who sees a link is read from the guard on its page
# (`role_required` records its roles), so the roles are never repeated here.
LINKS = [
    ("concerns.new", "Log a concern", "Something you saw, heard or were told."),
    ("permissions.new", "Ask to use a device", "For yourself, or for a visitor or contractor."),
    ("concerns.mine", "My concerns", "What you logged, where each has got to, and the DSLs' replies."),
    ("actions.index", "Actions", "Actions given to you on a concern, overdue first."),
    ("permissions.mine", "My requests", "Your requests and the headteacher's decisions."),
    ("permissions.in_force", "Permissions in force", "Who may use which device, right now."),
    ("governance.declaration_new", "Declare a relationship",
     "A relationship with a learner or parent outside school (5.2.3)."),
    ("concerns.queue", "Concern queue", "Every concern, urgent and newest first."),
    ("learners.index", "Pupils", "Each child's record: linked concerns, flags, siblings."),
    ("sync.phones", "Phones", "Items waiting on phones and their last sync."),
    ("sync.quarantine", "Items kept aside", "What was sent that could not be accepted as it was."),
    ("governance.reports", "Reports", "Anonymised figures for the governing body."),
    ("governance.declarations", "Declarations", "Relationships staff have declared."),
    ("permissions.decisions", "Decisions waiting", "Device-use requests for your written decision."),
    ("audit.log", "Audit log", "Who viewed, exported, changed roles and registered keys."),
    ("admin.users", "People", "Accounts and roles."),
    ("learners.upload", "Pupil list", "Import the list of pupils from the school's MIS."),
    ("mail.outbox_page", "Email", "Emails waiting to send, and any that keep failing."),
    ("permissions.register", "School devices", "The register of school phones and tablets."),
    ("governance.policy", "The policy", "The policy in force and its review dates."),
    ("admin.two_factor_people", "Two-factor resets", "For someone who lost their authenticator app."),
    ("auth.two_factor", "Two-factor sign-in", "Set up or move your authenticator app."),
    ("passkeys.manage", "Passkeys", "Sign in with a passkey instead of typing a code."),
    ("account.phones", "My phones", "Your phones' signing keys; stop one you lost."),
    ("auth.change_password", "Change my password", ""),
    ("safeguarding.key_details", "Who the DSLs are", "The school's DSLs, deputies and safeguarding governor."),
    ("safeguarding.whistleblowing", "Raising a concern about a DSL or the head",
     "Whistleblowing and complaints: who to tell, and how."),
]


def may_open(user, endpoint):
    """Say whether the page's own guard lets this person in (pages with no role guard: everyone)."""
    roles = getattr(current_app.view_functions[endpoint], "required_roles", None)
    return roles is None or user.has_role(*roles)


def links_for(user):
    """Return the home-page links this person may follow."""
    return [{"endpoint": endpoint, "label": label, "hint": hint}
            for endpoint, label, hint in LINKS if may_open(user, endpoint)]


@bp.route("/")
@login_required
def index():
    return render_template("home.html", links=links_for(current_user), actions=my_actions(current_user),
                           **allegations.home_context(get_db(), current_user))


def my_actions(user):
    """Return this person's open actions, overdue first (shown above their links)."""
    from .actions import due, store, views
    db = get_db()
    return due.with_state([a for a in store.open_actions(db, user.id) if views.shown_to(db, user, a)],
                          due.today())


def init_app(app):
    app.register_blueprint(bp)
