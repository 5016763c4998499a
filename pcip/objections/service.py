"""The objection workflow, SM-1 (Art. 40-42): one plain function per step.

Every function takes ``(session, actor, ...)``, refuses a step SM-1 does not allow from the
current state (``Conflict`` naming that state), writes its case event, its effects on records
and its audit row (citing the article it carries out) in the caller's transaction, and never
edits anything in place. Deadlines are not written anywhere: ``deadlines.py`` derives them.

The steps live in modules named for the stage they carry out; this module gathers them:

* ``intake``: receipt and desk registration (Art. 40 para 1);
* ``handling``: label, refusal, review or transfer, the unit's result, pauses (Art. 40-41);
* ``decisions``: decisions, withdrawal, notices and closing (Art. 40 para 3, 41 para 3, 42);
* ``reexamination``: the department's re-examination (Art. 40 para 4);
* ``casework``: what every step shares (input checks, the SM-1 guard, events, audit rows).
"""

from __future__ import annotations

from pcip.objections.casework import Changes, state
from pcip.objections.decisions import (
    Withdrawal,
    close,
    decide,
    notify,
    notify_status,
    withdrawal_of,
)
from pcip.objections.handling import (
    D2,
    DECLINE_BASES,
    PAUSE_TYPES,
    apply_label,
    decline,
    decline_repeat,
    pause,
    pu_receive,
    pu_return,
    resume,
    start_self_review,
    transfer,
)
from pcip.objections.intake import MAX_RECORD_ID, Received, receive, register
from pcip.objections.reexamination import (
    PAPER_CHANNELS,
    PaperApplication,
    decide_reexam,
    register_reexam,
    request_reexam,
)

__all__ = [
    "D2",
    "DECLINE_BASES",
    "MAX_RECORD_ID",
    "PAPER_CHANNELS",
    "PAUSE_TYPES",
    "Changes",
    "PaperApplication",
    "Received",
    "Withdrawal",
    "apply_label",
    "close",
    "decide",
    "decide_reexam",
    "decline",
    "decline_repeat",
    "notify",
    "notify_status",
    "pause",
    "pu_receive",
    "pu_return",
    "receive",
    "register",
    "register_reexam",
    "request_reexam",
    "resume",
    "start_self_review",
    "state",
    "transfer",
    "withdrawal_of",
]
