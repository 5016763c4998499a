"""``pcip init``: create or upgrade the database, keys and reference data, idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from pcip.calendar.service import seed as seed_calendar
from pcip.catalog.service import seed
from pcip.config import get_settings, refuse_demo_in_production
from pcip.db import display_url
from pcip.demo.accounts import create_demo_accounts, instructions_path
from pcip.errors import PcipError
from pcip.kernel.actors import Actor
from pcip.kernel.audit.anchor import (
    ANCHOR_META,
    create_anchor_key,
    key_fingerprint,
    load_public_key,
)
from pcip.kernel.audit.checkpoints import checkpoint
from pcip.kernel.meta import get_meta, set_meta
from pcip.kernel.platform import Platform, initialise
from pcip.subjects.models import Subject


def init_platform(*, demo_if_empty: bool = False, progress: bool = False) -> list[str]:
    """Returns the lines to show the operator."""
    settings = get_settings()
    if demo_if_empty:
        refuse_demo_in_production(settings)
    platform, changed = initialise(settings)
    lines = [
        f"database: {display_url(str(platform.engine.url))} "
        f"({'schema created or upgraded' if changed else 'schema up to date'})",
        f"keys: {settings.keys_dir}",
    ]
    actor = Actor.system("init")
    with platform.transaction() as s:
        result = seed(s, actor)
        years = seed_calendar(s, actor)
    lines.append(
        "reference data: "
        + (
            f"{result.versions_created} catalog version(s), {result.items_created} item(s) seeded"
            if result.versions_created
            else "up to date"
        )
        + (f"; working-day calendar: {years} official year(s) seeded" if years else "")
    )
    from pcip.objections.evidence import seal_plaintext_files

    with platform.transaction() as s:
        sealed, _checked = seal_plaintext_files(s, settings.files_dir)
    if sealed:
        lines.append(f"evidence files: {sealed} stored before encryption at rest, now encrypted")
    if demo_if_empty:
        with platform.transaction() as s:
            empty = not s.scalar(select(func.count()).select_from(Subject))
        if empty:
            from pcip.demo.world import generate_demo

            res = generate_demo(platform, subjects=300, records=1500, seed=2021, progress=progress)
            lines.append(res.summary())
            create_demo_accounts(platform, f"http://{settings.host}:{settings.port}")
            from pcip.demo.cases import create_demo_objections

            made = create_demo_objections(platform)
            lines.append(f"demo objections: {made} case(s) in several states (Art. 40-42)")
            from pcip.demo.restorations import create_demo_restorations

            made = create_demo_restorations(platform)
            lines.append(f"demo restorations: {made} case(s), one restored (Art. 45)")
            from pcip.demo.remedies import create_demo_remedies

            revoked, lodged = create_demo_remedies(platform)
            lines.append(
                f"demo revocation: {revoked} (Art. 44); demo complaint: {lodged} (Art. 46)"
            )
            from pcip.demo.identities import create_demo_identity_cases

            lines.append(create_demo_identity_cases(platform))
            from pcip.demo.reports import create_demo_reports

            issued = create_demo_reports(platform, f"http://{settings.host}:{settings.port}")
            lines.append(
                f"demo reports: {', '.join(issued)}; one assessment batch run (Art. 29-30)"
            )
            from pcip.demo.establishments import create_demo_establishments

            lines.append(create_demo_establishments(platform))  # Art. 47-55
            from pcip.demo.exchange import create_demo_exchange

            read = create_demo_exchange(platform)
            lines.append(f"demo exchange: 2 feed receivers, {read} change(s) read (Art. 25)")
            from pcip.demo.governance import create_demo_governance

            lines.append(create_demo_governance(platform))
        else:
            lines.append("demo data: database already holds subjects; left as it is")
    lines.append(_anchor(platform))
    if demo_if_empty:
        path = instructions_path(platform)
        if path.exists():
            lines += ["", f"how to sign in as each role ({path}):", path.read_text("utf-8")]
    platform.dispose()
    return lines


def _anchor(platform: Platform) -> str:
    """Art. 28: the audit anchor key (created once) and a checkpoint of the chain as it is now."""
    settings = platform.settings
    created = create_anchor_key(settings)
    try:
        with platform.transaction() as s:
            public = load_public_key(settings)
            if public is not None and get_meta(s, ANCHOR_META) is None:
                set_meta(s, ANCHOR_META, key_fingerprint(public))  # verify expects this key
            result = checkpoint(s, settings)
    except PcipError as exc:
        return f"audit checkpoint NOT written: {exc.message}; run 'pcip audit verify'"
    key = f"audit anchor key: {settings.anchor_key_path}{' (created)' if created else ''}"
    if not result.written:
        return f"{key}; checkpoint {result.line} already records entry {result.seq}"
    return f"{key}; checkpoint {result.line} (entry {result.seq}) written to {result.path}"
