"""Enrolled school phones: anyone with an account can log a concern on one, with no signal and no sign-in."""
from ..audit.actions import register_action
from ..db import get_db
from ..sync import handoff
from . import answers, api, credit, enrolment, pull, schema, store, views  # noqa: F401  (pages add their routes)

migrations = schema.migrations
seed_demo = None


def credits_for(concern_ids):
    """Return {concern id: its school phone credit} for pages listing concerns (queue, case)."""
    return store.credits(get_db(), concern_ids)


def unconfirmed_of(concern_ids):
    """Return the ids among these of concerns a school phone credited that are not confirmed (yet)."""
    return {i for i, c in store.credits(get_db(), concern_ids).items() if c["answer"] != "confirmed"}


def init_app(app):
    app.register_blueprint(views.bp)
    api.init_app(app)
    handoff.register(app, source=pull.changes_since)
    register_action("school_phone.enrol", "Enrolled a school phone")
    register_action("school_phone.end", "Ended a school phone's enrolment")
    register_action("school_phone.answer", "Answered about a concern logged in their name on a school phone")
    app.jinja_env.globals.update(school_phone_credits=credits_for, school_phone_unconfirmed=unconfirmed_of,
                                 school_phone_reported_by=credit.phrase,
                                 school_phone_enrolment=enrolment.enrolment_of,
                                 school_phone_waiting_answers=answers.waiting_answers)
