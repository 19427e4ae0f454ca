"""The concern categories of DESIGN.md section 2: the one table every rule reads."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    explanation: str
    clause: str
    required: tuple = ()          # case_event kinds that must be recorded before closing
    against_staff: bool = False   # always an allegation against a member of staff


CATEGORIES = [
    Category("restricted_area", "Device used in a no-phone area",
             "A phone or device used in the toilets, changing rooms or swimming pool.",
             "5.1.4"),
    Category("abusive_message", "Abusive or unkind message",
             "Someone sent an abusive or inappropriate message or picture from a device.",
             "5.1.5", required=("behaviour_action",)),
    Category("offensive_content", "Offensive content on a device",
             "A device holds content that is offensive, derogatory or against our policies.",
             "5.1.6"),
    Category("staff_device_in_lesson", "Staff phone used in lesson time",
             "A member of staff used their own device while teaching, without permission.",
             "5.2.2"),
    Category("staff_personal_contact", "Staff contact from a personal device",
             "A member of staff contacted a learner or parent from their own phone or account.",
             "5.2.3", against_staff=True),
    Category("staff_images_of_learners", "Staff photos or video of learners",
             "A member of staff took photos or video of learners on their own device.",
             "5.2.4, 5.2.5", required=("head_informed",), against_staff=True),
    Category("illegal_content", "Suspected illegal content or offence",
             "You think a device holds illegal material or was used to commit a crime.",
             "5.2.6, 7.8", required=("police_contacted", "lado_informed")),
    Category("visitor_device", "Visitor or contractor using a device",
             "A visitor, parent helper or contractor used a device without the headteacher's "
             "permission.", "5.3.1, 5.3.4", required=("visitor_challenged",)),
    Category("school_device", "School device lost or unprotected",
             "A school phone or tablet was lost, stolen, shared or left without a passcode.",
             "5.4.2"),
    Category("other_online_safety", "Any other online-safety worry",
             "Anything else about phones, devices or being online that worries you.",
             "4.3, 7.2"),
]

BY_KEY = {c.key: c for c in CATEGORIES}

# An allegation against a member of staff (5.2.5, 5.2.6), whatever its category: before it closes
# the LADO must have been consulted, and its outcome is one of the allegations guidance's categories.
ALLEGATION_REQUIRED = ("lado_informed",)
ALLEGATION_STEP_WORDS = {"lado_informed": "LADO consulted (within one working day)"}
ALLEGATION_OUTCOMES = {
    "substantiated": "Substantiated: there is enough evidence to prove the allegation",
    "malicious": "Malicious: there is clear evidence of a deliberate act to deceive",
    "false": "False: there is enough evidence to disprove the allegation",
    "unsubstantiated": "Unsubstantiated: there is not enough evidence to prove or disprove it",
    "unfounded": "Unfounded: there is no evidence or proper basis to support it",
}
# Images of suspected illegal content must never be copied, so this category takes no attachments.
NO_ATTACHMENTS = {"illegal_content"}


def category(key):
    """Return the category with this key (KeyError if there is none)."""
    return BY_KEY[key]


def label(key):
    """Return the plain label of a category key, or the key itself if unknown."""
    return BY_KEY[key].label if key in BY_KEY else key


def required_before_close(key, allegation):
    """Return the entry kinds a case must hold before it closes: its category's, and an allegation's."""
    required = BY_KEY[key].required
    extra = ALLEGATION_REQUIRED if allegation else ()
    return required + tuple(k for k in extra if k not in required)


def flagged_for_head(key, staff_involved):
    """Say whether a concern is an allegation against staff that the head must see."""
    return BY_KEY[key].against_staff or bool(staff_involved)
