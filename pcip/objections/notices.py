"""The written notices to the applicant (Art. 40 para 3-4, Art. 41 para 3; D-2).

Plain functions from facts to HTML: every value from the case is escaped, every statement of
a right cites its article, and every notice names the Regulations and their effective date
(Art. 57). The notice is stored as issued (``Notice.html``), so the archive shows exactly what
the applicant received.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from pcip.objections.deadlines import REEXAM

REGULATIONS = "Chongqing Municipal Social Credit Regulations (2021), effective 2021-07-01"
#: D-14: the re-examination goes to the development and reform department at the level of the
#: public credit service establishment that handled the objection (the municipal platform).
REEXAM_DEPARTMENT = "重庆市发展和改革委员会 (Chongqing Municipal Development and Reform Commission)"

GROUND_TEXT = {
    "error": "the information contains an error",
    "omission": "the information is incomplete (an omission)",
    "beyond_period": "the information is still provided after its legal period",
}
OUTCOME_TEXT = {
    "corrected": "The information was found to contain an error and has been corrected "
    "(Art. 42(1)).",
    "supplemented": "The information was found to be incomplete and has been supplemented "
    "(Art. 42(2)).",
    "provision_stopped": "The information was found to be provided beyond its legal period: "
    "the platform has stopped providing it in every inquiry mode (Art. 42(3)).",
    "upheld": "The information was verified and found to be accurate and complete: it stands "
    "as recorded.",
}


@dataclass(frozen=True)
class CaseText:
    """What every notice says about the case."""

    objection_id: int
    applicant: str
    received: date
    ground: str
    records: Sequence[tuple[int, str]]  # (record id, catalog item name)


def _head(title: str, case: CaseText, issued: date) -> str:
    items = "".join(f"<li>record {rid}: {escape(name)}</li>" for rid, name in case.records)
    return (
        f'<article class="notice"><h1>{escape(title)}</h1>'
        f"<p>Objection no. {case.objection_id} · issued {issued.isoformat()}</p>"
        f"<p>To: {escape(case.applicant)}</p>"
        f"<p>Your objection, received on {case.received.isoformat()}, stated that "
        f"{escape(GROUND_TEXT[case.ground])} in:</p><ul>{items}</ul>"
    )


def _reasons(reasons: str) -> str:
    return f"<h2>Reasons</h2><p>{escape(reasons)}</p>"


def _reexam_paragraph() -> str:
    return (
        "<h2>Re-examination</h2>"
        "<p>If you are not satisfied with this handling, you may apply for a re-examination "
        f"to {escape(REEXAM_DEPARTMENT)} (Art. 40 para 4), in writing at its service window "
        "or through the Credit China (Chongqing) website, citing this objection number. The "
        "department completes the re-examination within "
        f"{REEXAM.working_days} working days of receiving your application (Art. 40 para 4); "
        "time needed for inspection, testing, evaluation or expert review is not counted "
        "(Art. 41 para 2). The Regulations set no time limit for applying. While the "
        "re-examination runs, the information stays available with an objection label "
        "(Art. 41 para 1).</p>"
    )


def _foot() -> str:
    return f"<footer><p>{escape(REGULATIONS)}.</p></footer></article>"


def outcome(case: CaseText, issued: date, outcome: str, reasons: str, done: Sequence[str]) -> str:
    """Art. 40 para 3: the outcome, its reasons, and the right to re-examination."""
    actions = "".join(f"<li>{escape(d)}</li>" for d in done)
    return (
        _head("Written notice of the outcome of your objection", case, issued)
        + f"<h2>Outcome</h2><p>{escape(OUTCOME_TEXT[outcome])}</p>"
        + (f"<ul>{actions}</ul>" if actions else "")
        + _reasons(reasons)
        + "<p>The objection label has been removed (Art. 42 para 2).</p>"
        + _reexam_paragraph()
        + _foot()
    )


def not_accepted(case: CaseText, issued: date, basis: str, reasons: str) -> str:
    """Art. 41 para 3, D-4: a reasoned notice of non-acceptance (itself re-examinable)."""
    why = (
        "the objection repeats one already handled on the same grounds, without new evidence"
        if basis == "repeat"
        else "the objection gives no legitimate reason"
    )
    return (
        _head("Notice of non-acceptance of your objection", case, issued)
        + f"<h2>Decision</h2><p>The objection is not accepted: {escape(why)} "
        "(Art. 41 para 3).</p>" + _reasons(reasons) + _reexam_paragraph() + _foot()
    )


def reexam_outcome(case: CaseText, issued: date, outcome: str, reasons: str) -> str:
    """Art. 40 para 4: the re-examination result, notified to the applicant."""
    result = (
        "The re-examination upholds the handling of your objection."
        if outcome == "upheld"
        else "The re-examination changes the handling: " + OUTCOME_TEXT[outcome]
    )
    return (
        _head("Notice of the result of the re-examination", case, issued)
        + f"<h2>Result</h2><p>{escape(result)}</p>"
        + _reasons(reasons)
        + f"<p>Decided by {escape(REEXAM_DEPARTMENT)} (Art. 40 para 4).</p>"
        + _foot()
    )


def status_update(case: CaseText, issued: date, state: str, late: Sequence[str]) -> str:
    """D-2: by the notice deadline, the status of a case still in handling."""
    overdue = "".join(f"<li>{escape(x)}</li>" for x in late)
    return (
        _head("Status of your objection", case, issued)
        + f"<p>Your objection is being handled (current step: {escape(state)}). You will "
        "receive a further written notice with the outcome.</p>"
        + (f"<p>Steps past their time limit:</p><ul>{overdue}</ul>" if overdue else "")
        + _foot()
    )
