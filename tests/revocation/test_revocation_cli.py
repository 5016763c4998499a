"""Art. 44: a unit's feed of revocations through the CLI goes through the same service as the
API: the document's file is kept by its digest, and the record is withdrawn at once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings
from pcip.kernel.platform import Platform
from tests.revocation.support import BASIS, REVOKED, UNIT_NAME, records_on
from tests.world import UNIT

runner = CliRunner()


def test_art44_a_units_feed_revokes_through_the_cli_with_the_documents_digest(
    platform: Platform, api_world_data: Any, cli_env: Settings, tmp_path: Path
) -> None:
    from pcip.cli import app

    [record_id] = records_on(platform, BASIS)
    change = {
        "basis_issuer": UNIT_NAME,
        "basis_number": BASIS,
        "kind": "revoked",
        "document_kind": "unit_notice",
        "document_number": "渝市监撤〔2026〕3号",
        "document_issuer": UNIT_NAME,
        "document_date": "2026-12-09",
        "reason": "本机关自行撤销原处罚决定",
    }
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(change, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(b"%PDF-1.4 revocation notice")
    with clock.frozen(REVOKED):
        result = runner.invoke(
            app, ["revocation", "register", str(feed), "--unit", UNIT, "--document", str(pdf)]
        )
    assert result.exit_code == 0, result.output + repr(result.exception)
    [out] = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert out["channel"] == "feed"
    assert out["document_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert out["items"] == [
        {
            "target_type": "record",
            "target_id": record_id,
            "subject_id": out["items"][0]["subject_id"],
            "effect": "withdrawn",
        }
    ]
    with clock.frozen(REVOKED):
        again = runner.invoke(
            app, ["revocation", "register", str(feed), "--unit", UNIT, "--document", str(pdf)]
        )
    assert again.exit_code != 0 and "already revoked" in repr(again.exception)
