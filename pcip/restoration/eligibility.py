"""When restoration may be requested (Art. 45; docs/facts.md section 3).

Before the minimum publicity period of the record's severity class ends, restoration cannot be
requested; the date it becomes possible is derived from the record's facts and the catalog
item's period parameters (``SeverityClass.min_months``), counted from the same day the
disclosure rules count the maximum from (``pcip.disclosure.rules``). For a listing, the list
rule's early-removal period (``early_removal_after_years``) counts from the listing day.

Nothing here is stored: the subject's own view and the application both ask these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pcip.disclosure import rules
from pcip.kernel.enums import Polarity
from pcip.lists import types
from pcip.lists.designation import add_years
from pcip.lists.models import Designation


@dataclass(frozen=True)
class Opening:
    """The first day restoration may be requested (None: no minimum period applies), and the
    rule it comes from."""

    on: date | None
    basis: str


def record_opens(facts: rules.RecordFacts) -> Opening:
    """Art. 45, docs/facts.md section 3: the end of the minimum publicity period of the
    record's severity class (the item's default, else the general class, as ``public_end``)."""
    if facts.polarity is not Polarity.NEGATIVE:
        return Opening(None, "not untrustworthiness information")
    rule = facts.publicity
    if rule is not None and rule.public != "severity":
        return Opening(None, rule.citation)
    severity = facts.severity or facts.default_severity or rules.DEFAULT_SEVERITY
    klass = next((c for c in facts.severity_classes if c.severity is severity), None)
    start = facts.effective_date if rule is not None and rule.starts == "effective_date" else None
    start = start or facts.decision_date or facts.effective_date
    if klass is None or start is None:
        return Opening(None, "no minimum publicity period is set for this item")
    return Opening(rules.add_months(start, klass.min_months), klass.citation)


def listing_opens(d: Designation) -> Opening:
    """A list rule's early removal on application after its period on the list (e.g. SAMR
    Order No. 44: after 1 year)."""
    spec = types.get(d.list_type)
    if d.listed_on is None:
        return Opening(None, "not listed")
    years = spec.early_removal_after_years
    if years is None:
        return Opening(None, "the list rule sets no minimum period before removal")
    return Opening(
        add_years(d.listed_on, years), f"{spec.code}: early removal after {years} year(s)"
    )
