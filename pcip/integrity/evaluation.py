"""Art. 10: the periodic government-integrity evaluation of district and county governments.

One scored row per district or county (the region of its bodies' USCCs), with indicators
computed from the Art. 9 register for the period:

* contract-performance rate: of the pledges and contracts due in the period (or ended by a
  breach in it), the share performed;
* breaches recorded in the period (``breach_cap`` or more scores nothing on that indicator);
* compensation rate: of the lawful terminations recorded in the period, the share with a
  compensation record.

The weights are data with their citation (``data/rules.yaml``). A run is stored and exported as
CSV for the performance-evaluation system.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import NotFound, ValidationError
from pcip.identity.regions import region_info
from pcip.integrity import rules
from pcip.integrity.models import (
    GovBreach,
    GovChange,
    GovCommitment,
    GovCompensation,
    GovEvaluation,
)
from pcip.integrity.schemas import EvaluationIn
from pcip.kernel import audit
from pcip.kernel.messages import msg

COLUMNS = (
    "region_code",
    "region_name",
    "bodies",
    "due",
    "performed",
    "breaches",
    "performance_rate",
    "lawful_terminations",
    "compensated",
    "compensation_rate",
    "score",
)


def run(session: Session, principal: Principal, body: EvaluationIn) -> GovEvaluation:
    require(principal, Permission.INTEGRITY_MANAGE)
    start, end = body.period_start, body.period_end
    if end < start:
        raise ValidationError(msg("integrity.period_reversed"), field="period_end")
    if end > clock.today():
        raise ValidationError(msg("integrity.period_not_ended"), field="period_end")
    r = rules.rules()
    w = r.weights
    regions: dict[str, dict[str, Any]] = {}
    commitments = list(session.scalars(select(GovCommitment)))
    by_id = {c.id: c for c in commitments}
    for c in commitments:
        d = regions.setdefault(
            c.region_code,
            {
                "region_code": c.region_code,
                "bodies": set(),
                "due": 0,
                "performed": 0,
                "breaches": 0,
                "lawful_terminations": 0,
                "compensated": 0,
            },
        )
        d["bodies"].add(c.body_id)
        if c.due_on is not None and start <= c.due_on <= end:
            d["due"] += 1
            d["performed"] += int(c.state == "performed")
    for b in session.scalars(select(GovBreach).where(GovBreach.determined_on.between(start, end))):
        hit = by_id.get(b.commitment_id or 0)
        if hit is not None:
            d = regions[hit.region_code]
            d["breaches"] += 1
            if hit.due_on is None or not start <= hit.due_on <= end:
                d["due"] += 1  # ended by a breach in the period: counts against the rate
    paid = set(session.scalars(select(GovCompensation.change_id)))
    for ch in session.scalars(
        select(GovChange).where(
            GovChange.lawful.is_(True),
            GovChange.action == "terminate",
            GovChange.recorded_on.between(start, end),
        )
    ):
        d = regions[by_id[ch.commitment_id].region_code]
        d["lawful_terminations"] += 1
        d["compensated"] += int(ch.id in paid)
    results = []
    for code in sorted(regions):
        d = regions[code]
        perf = d["performed"] / d["due"] if d["due"] else 1.0
        comp = d["compensated"] / d["lawful_terminations"] if d["lawful_terminations"] else 1.0
        no_breach = 1 - min(d["breaches"], r.breach_cap) / r.breach_cap
        score = w.performance_rate * perf + w.no_breach * no_breach + w.compensation_rate * comp
        info = region_info(code)
        results.append(
            {
                **d,
                "region_name": info.name if info else code,
                "bodies": len(d["bodies"]),
                "performance_rate": round(perf, 4),
                "compensation_rate": round(comp, 4),
                "score": round(score, 1),
            }
        )
    ev = GovEvaluation(
        period_start=start,
        period_end=end,
        run_at=clock.now(),
        run_by=str(principal.actor),
        results=results,
    )
    session.add(ev)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "integrity.evaluate",
        object_type="gov_evaluation",
        object_id=ev.id,
        article="Art. 10",
        details={"period": f"{start.isoformat()}..{end.isoformat()}", "regions": len(results)},
    )
    return ev


def get(session: Session, evaluation_id: int) -> GovEvaluation:
    ev = session.get(GovEvaluation, evaluation_id)
    if ev is None:
        raise NotFound(msg("integrity.no_evaluation", id=evaluation_id), field="evaluation_id")
    return ev


def evaluations(session: Session) -> list[GovEvaluation]:
    return list(session.scalars(select(GovEvaluation).order_by(GovEvaluation.id.desc())))


def export_csv(ev: GovEvaluation) -> str:
    """The export for the performance-evaluation system (Art. 10)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period_start", "period_end", *COLUMNS])
    for row in ev.results:
        writer.writerow(
            [ev.period_start.isoformat(), ev.period_end.isoformat(), *(row[c] for c in COLUMNS)]
        )
    return out.getvalue()
