"""What a case chronology may hold, how entries move a case on, and what closing needs."""
from dataclasses import dataclass

from .categories import ALLEGATION_OUTCOMES, ALLEGATION_STEP_WORDS, required_before_close

STATUSES = {"received": "Received", "in_progress": "Being dealt with", "closed": "Closed"}


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    needs: tuple = ()   # fields that must be filled: body, reference, assignee_id, status, ...
    own_form: bool = False  # added from its own form on the case page, not the general entry form


KINDS = [
    Kind("note", "Note", ("body",)),
    Kind("status_change", "Change of status", ("status",)),
    Kind("assignment", "Assigned to a DSL", ("assignee_id",)),
    Kind("head_informed", "Headteacher informed"),
    Kind("police_contacted", "Police contacted", ("reference",)),
    Kind("lado_informed", "LADO informed"),
    Kind("advice_sought", "Advice sought from the Education Safeguarding Service (7.7)"),
    Kind("parents_informed", "Parents or carers informed"),
    Kind("visitor_challenged", "Visitor challenged and told the rules"),
    Kind("behaviour_action", "Behaviour or anti-bullying action taken", ("body",)),
    Kind("outcome", "Outcome", ("body",)),
    Kind("lessons_learnt", "Lessons learnt", ("body",)),
    Kind("closing_override", "Close without the usual entries (reason)", ("body",)),
    Kind("closed", "Case closed"),
    Kind("learner_link", "Pupil linked to this concern", ("learner_id",), own_form=True),
    Kind("action", "Action for someone, with a due date", ("body", "assignee_id", "due_on"), own_form=True),
    Kind("action_done", "Action done", ("action_id",), own_form=True),
    Kind("action_cancelled", "Action cancelled", ("action_id", "body"), own_form=True),
    Kind("reply_to_reporter", "Reply to the person who logged it", ("body",), own_form=True),
    Kind("subject_link", "Member of staff this concern is about", ("user_id",), own_form=True),
]
KIND_BY_KEY = {k.key: k for k in KINDS}
CLOSING_KINDS = {"closed"}
ACTION_ENDS = {"action_done", "action_cancelled"}
# A lessons-learnt entry that only says "none" must also say why.
BARE_NONE = {"none", "none.", "nothing", "n/a", "na", "-"}


def kind_label(key):
    """Return the plain label of an entry kind."""
    return KIND_BY_KEY[key].label if key in KIND_BY_KEY else key


def closes(kind, status):
    """Say whether an entry asks for the case to be closed."""
    return kind == "closed" or (kind == "status_change" and status == "closed")


def next_status(current, kind, status):
    """Return the case's status after an entry of this kind is added."""
    if closes(kind, status):
        return "closed"
    if kind == "status_change":
        return status
    if current == "received" and kind != "note":
        return "in_progress"
    return current


def missing_for_close(category_key, events, allegation=False):
    """List, in plain words, what must still be recorded before the case can close.

    An override lifts every step but an allegation's: its LADO contact is never waived.
    """
    kinds = {e["kind"] for e in events}
    if any(e["kind"] == "closing_override" for e in events):
        return [ALLEGATION_STEP_WORDS[k] for k in required_before_close(category_key, allegation)
                if allegation and k in ALLEGATION_STEP_WORDS and k not in kinds]
    missing = []
    if "outcome" not in kinds:
        missing.append("an outcome")
    elif allegation and not any(e["kind"] == "outcome" and e.get("allegation_outcome") for e in events):
        missing.append("the allegation's outcome (" + ", ".join(ALLEGATION_OUTCOMES) + ")")
    if "lessons_learnt" not in kinds:
        missing.append("lessons learnt (or \u2018none\u2019 and why)")
    for kind in required_before_close(category_key, allegation):
        if kind == "police_contacted" and not any(
                e["kind"] == kind and (e.get("reference") or "").strip() for e in events):
            missing.append("police contacted, with the police reference")
        elif kind not in kinds:
            words = ALLEGATION_STEP_WORDS.get(kind) if allegation else None
            missing.append(words or kind_label(kind).lower().replace("lado", "LADO"))
    return missing
