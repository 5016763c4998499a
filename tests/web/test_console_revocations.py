"""Issue 19.3: the console's revocation page (Art. 44) says the service's refusals in the page's
language (coded messages, pcip.revocation.service)."""

from __future__ import annotations

import pytest

from tests.web.test_console_pages import staff
from tests.world import World

FORM = {
    "basis_issuer": "重庆市市场监督管理局",
    "basis_number": "渝市监〔2099〕999号",
    "kind": "revoked",
    "document_kind": "judgment",
    "document_number": "（2026）渝0103行初123号",
    "document_issuer": "重庆市渝中区人民法院",
    "document_date": "2026-01-05",
    "document_ref": "判决书正本存档",
    "reason": "法院判决撤销所依据的行政处罚决定",
}


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("zh_CN", "没有 重庆市市场监督管理局 的依据文书 渝市监〔2099〕999号", "is on file"),
        ("en", "no basis document 渝市监〔2099〕999号 of 重庆市市场监督管理局 is on file", "没有"),
    ],
)
def test_art44_an_unknown_basis_document_is_refused_in_the_page_language(
    site: World, lang: str, said: str, not_said: str
) -> None:
    b = staff(site, "operator")
    b.client.cookies.set("lang", lang)
    r = b.post("/console/revocations", FORM, form="/console/revocations")
    assert r.status_code == 422, r.text[:300]
    error = r.text.split('id="basis_number-error"')[1].split("</p>")[0]
    assert said in error and not_said not in error
