"""Demo accounts for every role, and the instructions to sign in as each (``make run``).

Passwords and API keys are random, shown in ``PCIP_HOME/demo-accounts.txt`` (mode 0600) and
stored only as hashes. Credit subjects sign in through the built-in development identity
provider, with the identifier of a demo subject that has records.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.service import items_in_force
from pcip.demo import scenario
from pcip.disclosure.rules import add_years
from pcip.kernel.actors import Actor
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.providers.models import Provider
from pcip.records.models import CreditRecord
from pcip.subjects.models import Subject
from pcip.subjects.service import reveal_identifier

FILE = "demo-accounts.txt"
DEMO_UNIT = "重庆市市场监督管理局"
DEMO_BANK = ("91542222247332330G", "重庆示例银行股份有限公司")


def instructions_path(platform: Platform) -> Path:
    return platform.settings.home / FILE


def create_demo_accounts(platform: Platform, base_url: str) -> Path:
    """Create one account or key per role and write how to use each. Returns the file."""
    actor = Actor.system("demo")
    pw = {role: secrets.token_urlsafe(12) for role in ("operator", "drc", "amr-staff")}
    with platform.transaction() as s:
        unit = s.scalar(select(Provider).where(Provider.name == DEMO_UNIT))
        if unit is None:  # the demo data normally registered it; stay usable without it
            unit = scenario.register_unit(
                s, actor, "11370829MA1QYCKR9Y", DEMO_UNIT, ["admin_penalty"]
            )
        scenario.add_staff(
            s,
            actor,
            username="operator",
            password=pw["operator"],
            role="operator",
            display_name="平台运营专员（演示）",
        )
        scenario.add_staff(
            s,
            actor,
            username="drc",
            password=pw["drc"],
            role="drc",
            display_name="发展改革委工作人员（演示）",
        )
        scenario.add_staff(
            s,
            actor,
            username="amr-staff",
            password=pw["amr-staff"],
            role="provider",
            display_name="市场监管局工作人员",
            unit_uscc=unit.uscc,
        )
        unit_key = scenario.unit_key(s, actor, unit, "demo")
        bank = scenario.add_bank(s, actor, *DEMO_BANK, "demo")
        person, org = demo_subjects(s)
        person_id = reveal_identifier(platform.keyring, person) if person else None
        org_q = org.name.removeprefix("重庆市").removeprefix("重庆")[-8:-4] if org else "有限"
        lines = [
            "pcip demo accounts (synthetic data only; keep this file private)",
            "",
            f"Web portal: {base_url}/   (subjects sign in at {base_url}/signin;",
            f"            staff at {base_url}/staff/signin, which opens the department console)",
            f"API and docs: {base_url}/docs",
            "",
            'Staff: POST /api/v1/auth/login {"username": ..., "password": ...}',
            f"  operator (public credit service establishment): operator / {pw['operator']}",
            f"  development and reform department:              drc / {pw['drc']}",
            f"  providing-unit staff ({unit.name}):     amr-staff / {pw['amr-staff']}",
            "",
            "API keys (send as 'Authorization: Bearer <key>'):",
            f"  providing unit {unit.name}: {unit_key}",
            f"  authorized third party {bank.grantee.name}: {bank.key}",
            "",
            "Credit subjects sign in with a real-name assertion. Here it comes from the built-in",
            "DEVELOPMENT identity provider, which verifies nobody:",
        ]
        if person is not None and person_id:
            lines += [
                f"  a person with records ({person.name}):",
                f"    .venv/bin/pcip dev-idp assert {person_id} --name {person.name}",
            ]
        if org is not None and org.uscc:
            lines += [
                f"  an organisation ({org.name}):",
                f"    .venv/bin/pcip dev-idp assert {org.uscc} --id-type uscc --name {org.name}",
            ]
        lines += [
            '  then POST /api/v1/auth/subject {"assertion": "<the assertion>"}',
            "  (or POST /dev-idp/assertions in /docs to get an assertion)",
            "",
            "Anyone, no sign-in (Art. 22 public disclosure):",
            f"  GET {base_url}/api/v1/public/organisations?q={org_q}",
        ]
    path = instructions_path(platform)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def demo_subjects(s: Session) -> tuple[Subject | None, Subject | None]:
    with_records = select(CreditRecord.subject_id).where(
        CreditRecord.item_code.in_(list(items_in_force(s)))
    )
    person = s.scalar(
        select(Subject)
        .where(
            Subject.kind == SubjectKind.PERSON.value,
            Subject.id.in_(with_records),
            Subject.id_type == "citizen_id",
            Subject.birth_date < _adult_born_before(),
        )
        .order_by(Subject.id)
        .limit(1)
    )
    org = s.scalar(
        select(Subject)
        .where(
            Subject.kind != SubjectKind.PERSON.value,
            Subject.uscc.is_not(None),
            Subject.id.in_(with_records),
        )
        .order_by(Subject.id)
        .limit(1)
    )
    return person, org


def _adult_born_before() -> date:
    return add_years(clock.today(), -18)
