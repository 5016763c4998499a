"""Demo credit reports and an assessment batch run (issue 18, Art. 29-30), so that the demo
person's "Credit reports" page, the verification page and the dashboard's grade distribution
are not empty. Made through the same services a visitor's request uses."""

from __future__ import annotations

from pcip.assessment import batch
from pcip.auth.permissions import Principal
from pcip.demo.accounts import demo_subjects
from pcip.inquiry.schemas import Channel
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.reports import service as reports


def create_demo_reports(platform: Platform, base_url: str) -> list[str]:
    """One self report of the demo person and organisation; one assessment batch run."""
    numbers: list[str] = []
    with platform.transaction() as s:
        for subject in demo_subjects(s):
            if subject is None:
                continue
            who = Principal.internal(
                Actor(ActorKind.SUBJECT, str(subject.id), subject.name), subject_id=subject.id
            )
            numbers.append(reports.issue_self(s, who, Channel.WEB, base_url=base_url).number)
        operator = Principal.internal(Actor(ActorKind.OPERATOR, "demo", "demo operator"))
        batch.run(s, operator)
    return numbers
