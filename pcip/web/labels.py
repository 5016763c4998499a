"""Words for the codes the services return (modes, reasons, states...), as msgids.

Display only: which reason applies, which state a case is in, is decided by the services; this
module only names those codes in the visitor's language.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pcip.catalog.schemas import SCOPE_CATEGORIES, FieldType
from pcip.catalog.service import item_spec, items_in_force
from pcip.web.i18n import N_, _, current_locale

MODES = {
    "public_disclosure": N_("Public disclosure"),
    "authorized": N_("Authorized inquiry"),
    "authority": N_("Authority-based inquiry"),
    "self": N_("Self inquiry"),
}
CHANNELS = {
    "web": N_("Website"),
    "mobile": N_("Mobile app"),
    "desk": N_("Service desk"),
    "api": N_("System interface"),
    "mail": N_("Post"),
    "credit_china": N_("Credit China"),
    "department": N_("Department"),
}
POLARITY = {
    "negative": N_("Untrustworthiness information"),
    "positive": N_("Trustworthiness information"),
    "neutral": N_("Basic information"),
}
LABELS = {
    "under_objection": N_("Under objection"),
    "inquiry_period_ended": N_("No longer provided: Art. 43 period ended"),
    "basis_revoked": N_("No longer provided: basis revoked or changed"),
    "provision_stopped": N_("No longer provided after an objection"),
    "restored": N_("No longer provided: credit restored"),
    "ended": N_("Removed or ended by the providing unit"),
    "conduct_ended": N_("No longer public: the conduct ended"),
    "publicity_period_ended": N_("No longer public: publicity period ended"),
    "not_published": N_("Not published: minor untrustworthiness information"),
    "continuing": N_("Continuing: no period runs until the providing unit sends its end"),
    "withdrawn": N_("Withdrawn from your information: no longer provided"),
}
REASONS = {
    "conduct_end_missing": N_("No end date of the conduct: period counted provisionally"),
    "severity_missing": N_("No severity reported: a publicity period is assumed"),
    "not_held": N_("Not the record on that day"),
    "removed": N_("Removed after credit restoration"),
    "inquiry_period_ended": N_("The Art. 43 inquiry period has ended"),
    "basis_revoked": N_("The basis document was revoked or changed"),
    "provision_stopped": N_("Provision stopped after an objection"),
    "restored": N_("Credit restored: no longer provided"),
    "withdrawn": N_("Withdrawn: filed against the wrong subject or on a wrong basis"),
    "purpose_required": N_("A duty purpose is required"),
    "disclosure_class": N_("Not provided in this inquiry mode"),
    "administrative_use_only": N_("For administrative use only"),
    "not_public_information": N_("Market or self-declared information: not public"),
    "minor": N_("Records of minors are not publicly disclosed"),
    "publicity_period_ended": N_("The publicity period has ended"),
    "ended": N_("Removed or ended by the providing unit"),
    "conduct_ended": N_("The conduct ended (e.g. paid in full): no longer public"),
    "not_published": N_("Minor untrustworthiness information is not published"),
    "continuing": N_("Continuing: no period runs until the providing unit sends its end"),
    "severity_default": N_("No severity reported: the item's default severity applies"),
    "birth_date_unknown": N_("Birth date unknown: treated as possibly a minor"),
}
SUBJECT_KINDS = {
    "person": N_("Natural person"),
    "legal_person": N_("Legal person"),
    "organisation": N_("Unincorporated organisation"),
}
AUTHORIZATION_STATUS = {
    "active": N_("Active"),
    "not_yet_valid": N_("Not yet valid"),
    "expired": N_("Expired"),
    "revoked": N_("Revoked"),
}
GROUNDS = {
    "error": N_("The information contains an error"),
    "omission": N_("The information is incomplete"),
    "beyond_period": N_("The information is still provided after its legal period"),
}
STATES = {
    "received": N_("Received, awaiting the label"),
    "labelled": N_("Labelled, awaiting handling"),
    "not_accepted": N_("Not accepted"),
    "self_review": N_("Being verified by the platform"),
    "transferred": N_("Transferred to the providing unit"),
    "pu_review": N_("Being verified by the providing unit"),
    "pu_result_returned": N_("Verification result returned"),
    "paused": N_("Paused (inspection, testing, evaluation or expert review)"),
    "decided": N_("Decided"),
    "notified": N_("Outcome notified"),
    "reexam_requested": N_("Re-examination requested"),
    "reexam_decided": N_("Re-examination decided"),
    "reexam_notified": N_("Re-examination result notified"),
    "closed": N_("Closed"),
}
DEADLINES = {
    "label": N_("Objection label on the records"),
    "transfer": N_("Transfer to the providing unit"),
    "self_handling": N_("Verification and handling by the platform"),
    "pu_handling": N_("Verification and handling by the providing unit"),
    "notice": N_("Written notice of the outcome"),
    "reexam": N_("Re-examination"),
}
NOTICES = {
    "outcome": N_("Notice of the outcome"),
    "not_accepted": N_("Notice of non-acceptance"),
    "reexam_outcome": N_("Notice of the re-examination result"),
    "status_update": N_("Status notice"),
}
EVENTS = {
    "received": N_("Objection received"),
    "labelled": N_("Objection label applied"),
    "not_accepted": N_("Not accepted"),
    "self_review": N_("Verification by the platform started"),
    "transferred": N_("Transferred to the providing unit"),
    "pu_received": N_("Providing unit received the transfer"),
    "pu_result_returned": N_("Providing unit returned its result"),
    "paused": N_("Handling time paused"),
    "resumed": N_("Handling time resumed"),
    "decided": N_("Decided"),
    "notified": N_("Notice issued"),
    "reexam_requested": N_("Re-examination requested"),
    "reexam_decided": N_("Re-examination decided"),
    "closed": N_("Closed"),
}
OUTCOMES = {
    "corrected": N_("Corrected"),
    "supplemented": N_("Supplemented"),
    "provision_stopped": N_("Provision stopped"),
    "upheld": N_("Upheld"),
    "withdrawn": N_("Withdrawn from the subject"),
}


def word(table: dict[Any, str], code: Any) -> str:
    """The code's name in the visitor's language (the code itself if unnamed)."""
    label = table.get(code)
    return _(label) if label else str(code)


def item_name(zh: str, en: str) -> str:
    return zh if current_locale().startswith("zh") else en


def category(n: int) -> str:
    """An Art. 18 scope category's name."""
    pair = SCOPE_CATEGORIES.get(n)
    return item_name(*pair) if pair else str(n)


#: Licence and listing end dates of 2099-12-31 (or later) mean "long-term" (FACTS.md 2).
LONG_TERM = "2099-12-31"


class FieldLabels:
    """Field names of the catalog items in force, in the visitor's language."""

    def __init__(self, session: Session) -> None:
        self._labels: dict[str, dict[str, tuple[str, str]]] = {}
        self._dates: dict[str, frozenset[str]] = {}
        for code, item in items_in_force(session).items():
            spec = item_spec(item)
            self._labels[code] = {f.name: (f.label_zh, f.label_en) for f in spec.fields}
            self._dates[code] = frozenset(f.name for f in spec.fields if f.type is FieldType.DATE)

    def value(self, item_code: str, name: str, value: object) -> str:
        """A field's value as shown: a date of 2099-12-31 or later reads "long-term"."""
        text = "" if value is None else str(value)
        if name in self._dates.get(item_code, ()) and text >= LONG_TERM and len(text) == 10:
            return _("Long-term")
        return text

    def __call__(self, item_code: str, name: str) -> str:
        pair = self._labels.get(item_code, {}).get(name)
        if pair is None:
            return name
        return pair[0] if current_locale().startswith("zh") else pair[1]


def template_helpers() -> dict[str, Any]:
    """Globals for templates: ``word(MODES, code)`` and the tables."""
    return {
        "word": word,
        "item_name": item_name,
        "MODES": MODES,
        "CHANNELS": CHANNELS,
        "POLARITY": POLARITY,
        "LABELS": LABELS,
        "REASONS": REASONS,
        "SUBJECT_KINDS": SUBJECT_KINDS,
        "AUTHORIZATION_STATUS": AUTHORIZATION_STATUS,
        "GROUNDS": GROUNDS,
        "STATES": STATES,
        "DEADLINES": DEADLINES,
        "NOTICES": NOTICES,
        "EVENTS": EVENTS,
        "OUTCOMES": OUTCOMES,
        "category": category,
        "SCOPE_CATEGORIES": sorted(SCOPE_CATEGORIES),
    }
