"""The restoration and pledge routes of the API permission matrix (tests/test_permission_matrix.py).

Each step runs on a fresh case in the state it needs: a fresh old penalty of the company
(``org``, decided 2025-01-06, so its minimum publicity period has ended on the matrix's day)
and an application for it, walked to the state by the services themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import count
from typing import Any

from sqlalchemy import select

from pcip import clock
from pcip.auth.permissions import Principal
from pcip.catalog.schemas import FieldRole
from pcip.demo import scenario
from pcip.demo.generators.records import Issuer, Party
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind, SubjectKind
from pcip.kernel.platform import Platform
from pcip.pledges import service as pledges
from pcip.providers.models import Provider
from pcip.records.ingest import Source
from pcip.records.models import BasisDocument, RecordVersion
from pcip.restoration import service
from tests.world import ACTOR, UNIT

_numbers = count(1)
CORRECTION = "罚款已缴清，违法行为已整改完毕，附缴款凭证。"


def record_number(n: int) -> str:
    return f"渝市监罚〔2025〕9{n:04d}号"


def _unit(platform: Platform) -> Principal:
    with platform.transaction() as s:
        pid = s.scalar(select(Provider.id).where(Provider.uscc == UNIT))
    return Principal(
        ActorKind.PROVIDER, Actor(ActorKind.PROVIDER, "matrix", "staff"), provider_id=pid
    )


def _subject(subject_id: int) -> Principal:
    actor = Actor(ActorKind.SUBJECT, str(subject_id), "org")
    return Principal(ActorKind.SUBJECT, actor, subject_id=subject_id)


def old_record(
    platform: Platform, org_uscc: str, org_name: str, decided: str = "2025-01-06"
) -> int:
    """A fresh general-class penalty of the company decided on ``decided`` (by default
    restorable on the matrix's day: its 3-month minimum period ended in April 2025)."""
    return old_records(platform, org_uscc, org_name, 1, decided)[0]


def old_records(
    platform: Platform, org_uscc: str, org_name: str, n: int, decided: str = "2025-01-06"
) -> list[int]:
    """``n`` penalties as :func:`old_record` makes them, submitted in one batch."""
    numbers = [record_number(next(_numbers)) for _ in range(n)]
    party = Party(SubjectKind.LEGAL_PERSON, org_name, uscc=org_uscc)
    issuer = Issuer("重庆市市场监督管理局", UNIT)
    rows = []
    for number in numbers:
        fixed = {
            FieldRole.BASIS_NUMBER: number,
            FieldRole.BASIS_DECISION_DATE: decided,
            FieldRole.BASIS_EFFECTIVE_DATE: decided,
            FieldRole.CONDUCT_END_DATE: decided,
            FieldRole.PUBLICITY_END: "",
            FieldRole.SEVERITY: "一般",
        }
        rows.append(
            scenario.item_row(
                platform, "admin_penalty", party, issuer, clock.today(), seed=number, fixed=fixed
            )
        )
    scenario.submit(
        platform,
        ACTOR,
        unit_uscc=UNIT,
        item="admin_penalty",
        rows=rows,
        source=Source("matrix", None, None, "json"),
    )
    with platform.transaction() as s:
        found = {
            number: rid
            for rid, number in s.execute(
                select(RecordVersion.record_id, BasisDocument.number)
                .join(BasisDocument, BasisDocument.id == RecordVersion.basis_id)
                .where(BasisDocument.number.in_(numbers))
            )
        }
    assert set(found) == set(numbers), found
    return [found[number] for number in numbers]


def fresh_case(
    platform: Platform,
    org: int,
    org_uscc: str,
    org_name: str,
    state: str,
    record_id: int | None = None,
) -> int:
    """An application of the company walked to ``state``: submitted, assigned, under_review or
    materials_requested; for ``record_id`` (an :func:`old_record`), or a fresh old record."""
    rid = record_id if record_id is not None else old_record(platform, org_uscc, org_name)
    unit = _unit(platform)
    with platform.transaction() as s:
        case_id = service.apply(s, _subject(org), record_id=rid, correction=CORRECTION).id
        order = ["submitted", "assigned", "under_review", "materials_requested"]
        goal = order.index(state)
        if goal >= 1:
            service.assign(s, unit, case_id, "王修复")
        if goal >= 2:
            service.accept(s, unit, case_id)
        if goal >= 3:
            service.request_materials(s, unit, case_id, "请提供整改报告")
    return case_id


def fresh_pledge(platform: Platform, org: int) -> int:
    unit = _unit(platform)
    with platform.transaction() as s:
        return pledges.make_pledge(
            s,
            _subject(org),
            subject_id=org,
            matter="administrative_matter",
            provider_id=unit.provider_id,
        ).id


def restoration_requests(world: Any, call: Callable[..., Any]) -> dict[tuple[str, str], list[Any]]:
    """The matrix's calls for restoration and pledges (``call`` builds its ``Call``)."""
    w = world
    org = w.subject_ids["org"]

    spare: list[int] = []

    def record() -> int:
        """A fresh old record: they are submitted eight to a batch (a batch costs the same)."""
        if not spare:
            spare.extend(old_records(w.platform, w.org_uscc, w.org_name, 8))
        return spare.pop(0)

    def fresh(state: str, step: str) -> Callable[[], str]:
        return lambda: (
            f"/api/v1/restorations/"
            f"{fresh_case(w.platform, org, w.org_uscc, w.org_name, state, record())}/{step}"
        )

    read = fresh_case(w.platform, org, w.org_uscc, w.org_name, "submitted")
    base = "/api/v1/restorations"
    reasons = {"reasons": "符合修复条件", "remedies": "可申请复核"}
    return {
        ("GET", "/api/v1/me/restorations"): [call("/api/v1/me/restorations")],
        ("GET", "/api/v1/me/restorations/openings"): [call("/api/v1/me/restorations/openings")],
        ("POST", "/api/v1/me/restorations"): [
            call(
                "/api/v1/me/restorations",
                data={
                    "record_id": str(old_record(w.platform, w.org_uscc, w.org_name)),
                    "correction": CORRECTION,
                },
                files=lambda: [("proof", ("receipt.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))],
            )
        ],
        ("GET", base): [call(base)],
        ("POST", base): [
            call(
                base,
                lambda: {
                    "subject_id": org,
                    "record_id": record(),
                    "correction": CORRECTION,
                },
            )
        ],
        ("GET", base + "/{restoration_id}"): [call(f"{base}/{read}")],
        ("POST", base + "/{restoration_id}/officer"): [
            call(fresh("submitted", "officer"), {"officer": "王修复"})
        ],
        ("POST", base + "/{restoration_id}/acceptance"): [call(fresh("assigned", "acceptance"))],
        ("POST", base + "/{restoration_id}/non-acceptance"): [
            call(fresh("assigned", "non-acceptance"), reasons)
        ],
        ("POST", base + "/{restoration_id}/materials-request"): [
            call(fresh("under_review", "materials-request"), {"what": "整改报告"})
        ],
        ("POST", base + "/{restoration_id}/materials"): [
            call(fresh("materials_requested", "materials"), data={"note": "已补充"})
        ],
        ("POST", base + "/{restoration_id}/approval"): [
            call(fresh("under_review", "approval"), reasons)
        ],
        ("POST", base + "/{restoration_id}/rejection"): [
            call(fresh("under_review", "rejection"), reasons)
        ],
        ("GET", "/api/v1/pledges/texts"): [call("/api/v1/pledges/texts")],
        ("GET", "/api/v1/pledges"): [call("/api/v1/pledges")],
        ("POST", "/api/v1/pledges/{pledge_id}/performance"): [
            call(
                lambda: f"/api/v1/pledges/{fresh_pledge(w.platform, org)}/performance",
                {"outcome": "kept", "finding": "按期履行"},
            )
        ],
        ("GET", "/api/v1/me/pledges"): [call("/api/v1/me/pledges")],
        ("POST", "/api/v1/me/pledges"): [
            call("/api/v1/me/pledges", {"matter": "administrative_matter"})
        ],
        ("GET", "/api/v1/me/declarations"): [call("/api/v1/me/declarations")],
        ("POST", "/api/v1/me/declarations"): [
            call(
                "/api/v1/me/declarations",
                {"kind": "credential", "title": "ISO 9001 认证", "content": "证书编号 0001"},
            )
        ],
    }


def fresh_declaration(platform: Platform, org: int) -> int:
    with platform.transaction() as s:
        return pledges.declare(
            s, _subject(org), kind="credential", title="ISO 9001 认证", content="证书编号 0001"
        ).id


def restoration_pages(world: Any, call: Callable[..., Any]) -> dict[tuple[str, str], list[Any]]:
    """The web permission matrix's calls for the restoration and pledge pages."""
    w = world
    org = w.subject_ids["org"]

    def case(state: str) -> int:
        return fresh_case(w.platform, org, w.org_uscc, w.org_name, state)

    read = case("submitted")
    return {
        ("GET", "/me/restorations"): [call("/me/restorations")],
        ("GET", "/me/restorations/new"): [call("/me/restorations/new")],
        ("POST", "/me/restorations"): [call("/me/restorations", {})],
        ("GET", "/me/restorations/{restoration_id}"): [call(f"/me/restorations/{read}")],
        ("POST", "/me/restorations/{restoration_id}/materials"): [
            call(
                lambda: f"/me/restorations/{case('materials_requested')}/materials",
                {"note": "已补充"},
            )
        ],
        ("GET", "/me/pledges"): [call("/me/pledges")],
        ("POST", "/me/pledges"): [call("/me/pledges", {"matter": "administrative_matter"})],
        ("POST", "/me/declarations"): [call("/me/declarations", {})],
        ("POST", "/me/declarations/{declaration_id}/withdraw"): [
            call(lambda: f"/me/declarations/{fresh_declaration(w.platform, org)}/withdraw", {})
        ],
        ("GET", "/console/restoration"): [call("/console/restoration")],
        ("POST", "/console/restoration"): [call("/console/restoration", {})],
        ("GET", "/console/restoration/{restoration_id}"): [call(f"/console/restoration/{read}")],
        ("POST", "/console/restoration/{restoration_id}/step/{step}"): [
            call(lambda: f"/console/restoration/{case('assigned')}/step/accept", {})
        ],
        ("GET", "/console/pledges"): [call("/console/pledges")],
        ("POST", "/console/pledges/{pledge_id}/performance"): [
            call(
                lambda: f"/console/pledges/{fresh_pledge(w.platform, org)}/performance",
                {"outcome": "kept", "finding": "按期履行"},
            )
        ],
    }


__all__ = ["date", "restoration_pages", "restoration_requests"]
