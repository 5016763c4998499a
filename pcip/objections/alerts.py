"""What the operator is told without having to look (D-2): an entry on its alert list.

* ``unit_result_notified``: a providing unit's result arrived, and the decision and the
  written notice were generated from it at once (``service.pu_return``);
* ``not_transferred_wd1``: a case was neither transferred, reviewed by the platform itself nor
  refused by the end of its first working day (D-2 encourages the transfer on WD1, so that
  the unit's 3 working days still fit in the 5-working-day notice deadline). Raised by the
  overdue watch (``tracking.overdue_check``), which ``pcip serve`` runs every few minutes and
  ``pcip objections overdue-check`` runs on demand.

Each alert is raised once per case and kind (a unique constraint), with an audit row; the
operator acknowledges it (who and when), which is audited too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import NotFound
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.objections.models import ObjectionAlert

ARTICLE = {
    "unit_result_notified": "Art. 40 para 3; D-2",
    "not_transferred_wd1": "Art. 40 para 2(2); D-2",
}


def raise_alert(
    session: Session, objection: Any, kind: str, details: dict[str, Any]
) -> ObjectionAlert | None:
    """Raise ``kind`` for the case once (None: it was raised before)."""
    found = session.scalar(
        select(ObjectionAlert).where(
            ObjectionAlert.objection_id == objection.id, ObjectionAlert.kind == kind
        )
    )
    if found is not None:
        return None
    alert = ObjectionAlert(
        objection_id=objection.id,
        subject_id=objection.subject_id,
        kind=kind,
        raised_at=clock.now(),
        details=details,
    )
    try:
        with session.begin_nested():  # two watchers at once: the second one adds nothing
            session.add(alert)
            session.flush()
    except IntegrityError:
        return None
    audit.record(
        session,
        Actor.system("objections.alerts"),
        f"objection.alert.{kind}",
        object_type="objection",
        object_id=objection.id,
        article=ARTICLE[kind],
        details={"alert_id": alert.id, **details},
    )
    return alert


def list_alerts(session: Session, *, open_only: bool = False) -> list[ObjectionAlert]:
    query = select(ObjectionAlert).order_by(ObjectionAlert.id.desc())
    if open_only:
        query = query.where(ObjectionAlert.acknowledged_at.is_(None))
    return list(session.scalars(query.limit(500)))


def acknowledge(session: Session, principal: Principal, alert_id: int) -> ObjectionAlert:
    """D-2: the operator records that it saw the alert (who and when; audited)."""
    require(principal, Permission.OBJECTION_HANDLE)
    actor = principal.actor
    alert = session.get(ObjectionAlert, alert_id)
    if alert is None:
        raise NotFound(msg("objections.no_alert", id=alert_id), field="alert_id")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = clock.now(), str(actor)
        audit.record(
            session,
            actor,
            "objection.alert.acknowledge",
            object_type="objection",
            object_id=alert.objection_id,
            article=ARTICLE[alert.kind],
            details={"alert_id": alert.id, "kind": alert.kind},
        )
    return alert
