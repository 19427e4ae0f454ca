"""Each person's home page: links to what their roles allow, and only to what exists."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

bp = Blueprint("home", __name__)

# (role or "any", endpoint, label, what it is for) — a link shows only when its endpoint exists.
LINKS = [
    ("staff", "concerns.new", "Log a concern", "Something you saw, heard or were told."),
    ("staff", "permissions.new", "Ask to use a device", "For yourself, or for a visitor or contractor."),
    ("staff", "concerns.mine", "My concerns", "What you logged and where each has got to."),
    ("staff", "permissions.mine", "My requests", "Your requests and the headteacher's decisions."),
    ("staff", "permissions.in_force", "Permissions in force", "Who may use which device, right now."),
    ("staff", "governance.declaration_new", "Declare a relationship",
     "A relationship with a learner or parent outside school (5.2.3)."),
    ("dsl", "concerns.queue", "Concern queue", "Every concern, urgent and newest first."),
    ("dsl", "sync.phones", "Phones", "Items waiting on phones and their last sync."),
    ("dsl", "sync.quarantine", "Items kept aside", "What was sent that could not be accepted as it was."),
    ("dsl", "governance.reports", "Reports", "Anonymised figures for the governing body."),
    ("dsl", "governance.declarations", "Declarations", "Relationships staff have declared."),
    ("head", "permissions.decisions", "Decisions waiting", "Device-use requests for your written decision."),
    ("governor", "governance.reports", "Reports", "Anonymised figures for the governing body."),
    ("admin", "admin.users", "People", "Accounts and roles."),
    ("admin", "mail.outbox_page", "Email", "Emails waiting to send, and any that keep failing."),
    ("admin", "permissions.register", "School devices", "The register of school phones and tablets."),
    ("any", "governance.policy", "The policy", "The policy in force and its review dates."),
    ("any", "auth.change_password", "Change my password", ""),
]


def links_for(user):
    """Return the home-page links this person may follow, without repeats."""
    seen, out = set(), []
    for role, endpoint, label, hint in LINKS:
        allowed = role == "any" or user.has_role(role)
        if endpoint in current_app.view_functions and allowed and endpoint not in seen:
            seen.add(endpoint)
            out.append({"endpoint": endpoint, "label": label, "hint": hint})
    return out


@bp.route("/")
@login_required
def index():
    return render_template("home.html", links=links_for(current_user))


def init_app(app):
    app.register_blueprint(bp)
