"""The code lists of an objection (Art. 40-42): grounds, channels, routes, events, notices,
outcomes and alerts. The tables' CHECK constraints use them (``models``), and the doors offer
them as choices, so they live apart from the tables: a door reads these lists, never a table
(the thin-doors contract). Their words are in ``pcip.kernel.vocabulary``."""

from __future__ import annotations

#: Art. 40 para 1: the three grounds of an objection.
GROUNDS = ("error", "omission", "beyond_period")
#: Art. 40 para 1: objections reach the platform through any channel
#: (docs/facts.md#national-systems: Credit China is the national window; the department's own desk
#: and post are the others).
CHANNELS = ("web", "mobile", "desk", "mail", "credit_china", "department", "api")
#: The channels staff name when they register an application received elsewhere (a window,
#: the post, another platform, a department); the others are decided by the request itself.
REGISTERED_CHANNELS = ("desk", "mail", "credit_china", "department")
#: Art. 40 para 2: handled by the platform itself, or transferred to the providing unit.
ROUTES = ("self", "transferred")
#: Every fact of a case, in the order SM-1 (docs/decisions.md#state-machines) lets them happen.
EVENT_KINDS = (
    "received",
    "labelled",
    "not_accepted",
    "self_review",
    "transferred",
    "pu_received",
    "pu_result_returned",
    "paused",
    "resumed",
    "decided",
    "notified",
    "reexam_requested",
    "reexam_decided",
    "closed",
)
#: Art. 40 para 3, Art. 41 para 3, Art. 40 para 4; D-2 (status update when the unit is late).
NOTICE_KINDS = ("outcome", "not_accepted", "reexam_outcome", "status_update")
#: Art. 42(1)-(3), or the information stands; or the record is withdrawn from the subject: it
#: was filed against the wrong person, or on a wrong basis (Art. 19, 21, 42(1)).
OUTCOMES = ("corrected", "supplemented", "provision_stopped", "upheld", "withdrawn")
#: Why a record is withdrawn from the subject it was filed against.
WITHDRAWAL_GROUNDS = ("wrong_subject", "wrong_basis")
#: What the operator is told without having to look (D-2).
ALERT_KINDS = ("unit_result_notified", "not_transferred_wd1")
