"""A double-publicity administrative penalty file (CF_* layout) of N valid rows.

Rows are what a market-regulation unit exports: companies (half with their legal
representative) and some natural persons, every identifier valid, one decision document per
row (unique numbers, so every row is a new record), dates in the last seven years. Built from
the catalog item's own field schema by ``pcip.demo.generators.records.make_row``.

Run: .venv/bin/python -m bench.penalty_file OUT.csv N [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from pcip.catalog.schemas import FieldRole, ItemSpec
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.demo.generators import (
    random_citizen_id,
    random_company_name,
    random_person_name,
    random_uscc,
)
from pcip.demo.generators.records import (
    CAT_ORGANISATION,
    CAT_PERSON,
    Issuer,
    Party,
    make_row,
)
from pcip.kernel.enums import SubjectKind

ITEM = "admin_penalty"
#: The unit that submits the file (a municipal market regulation bureau, entity type 11).
UNIT_NAME = "重庆市市场监督管理局"
PERSON_SHARE = 0.1
LEGAL_REP_SHARE = 0.5
TEMPLATES = 2000


def item_spec(code: str = ITEM) -> ItemSpec:
    for catalog in SEED_CATALOGS:
        for item in catalog.items:
            if item.code == code:
                return item
    raise KeyError(code)


def unit_uscc(seed: int = 0) -> str:
    return random_uscc(random.Random(f"unit-{seed}"), authority="1", entity_type="1")


def parties(rng: random.Random, n: int, today: date) -> list[Party]:
    """``n`` distinct subjects: organisations (some with a legal representative) and people."""
    adults_to = today - timedelta(days=19 * 365)
    out: list[Party] = []
    for _ in range(n):
        if rng.random() < PERSON_SHARE:
            cid = random_citizen_id(rng, birth_from=date(1950, 1, 1), birth_to=adults_to)
            out.append(Party(SubjectKind.PERSON, random_person_name(rng), citizen_id=cid))
            continue
        rep = rng.random() < LEGAL_REP_SHARE
        out.append(
            Party(
                SubjectKind.LEGAL_PERSON,
                random_company_name(rng),
                uscc=random_uscc(rng, authority="9", entity_type="1"),
                legal_rep_name=random_person_name(rng) if rep else None,
                legal_rep_id=(
                    random_citizen_id(rng, birth_from=date(1950, 1, 1), birth_to=adults_to)
                    if rep
                    else None
                ),
            )
        )
    return out


def write(path: Path, n: int, *, seed: int = 1, today: date | None = None) -> int:
    """Write ``n`` rows to ``path`` (UTF-8 CSV); returns the file size in bytes."""
    today = today or date.today()
    rng = random.Random(seed)
    spec = item_spec()
    issuer = Issuer(UNIT_NAME, unit_uscc())
    number = next(f.name for f in spec.fields if f.role is FieldRole.BASIS_NUMBER)
    decided = next(f.name for f in spec.fields if f.role is FieldRole.BASIS_DECISION_DATE)
    # About two rows per subject, as in a real export (repeat offenders are common).
    pool = parties(rng, max(1, n // 2), today)
    # make_row is thorough but slow; rows are built from a few thousand of its rows with the
    # party's fields and a unique document number put in (same values, 20x faster).
    templates = [
        make_row(rng, spec, pool[int(rng.random() * len(pool))], issuer, today)
        for _ in range(min(n, TEMPLATES))
    ]
    roles = {f.role: f.name for f in spec.fields if f.role is not None}
    names = [f.name for f in spec.fields]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(names)
        for i in range(n):
            row = dict(templates[int(rng.random() * len(templates))])
            row.update(_party_fields(roles, pool[int(rng.random() * len(pool))]))
            # Unique document numbers: every row is a record of its own.
            row[number] = f"渝市监罚〔{row[decided][:4]}〕{i + 1:07d}号"
            out.writerow([row[k] for k in names])
    return path.stat().st_size


def _party_fields(roles: dict[FieldRole, str], p: Party) -> dict[str, str]:
    person = p.kind is SubjectKind.PERSON
    values = {
        FieldRole.SUBJECT_NAME: p.name,
        FieldRole.SUBJECT_CATEGORY: CAT_PERSON if person else CAT_ORGANISATION,
        FieldRole.SUBJECT_USCC: p.uscc or "",
        FieldRole.SUBJECT_DOC_TYPE: "身份证" if p.citizen_id else "",
        FieldRole.SUBJECT_DOC_NUMBER: p.citizen_id or "",
        FieldRole.LEGAL_REP_NAME: p.legal_rep_name or "",
        FieldRole.LEGAL_REP_DOC_TYPE: "身份证" if p.legal_rep_id else "",
        FieldRole.LEGAL_REP_DOC_NUMBER: p.legal_rep_id or "",
    }
    return {roles[r]: v for r, v in values.items() if r in roles}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    size = write(args.out, args.n, seed=args.seed)
    print(f"{args.n} rows, {size / args.n:.0f} bytes/row -> {args.out}")


if __name__ == "__main__":
    main()
