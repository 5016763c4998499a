"""The subject's pages (issue 19.9): revoking an authorization asks first, and the inquiry
list can leave out the subject's own views, which stay logged (Art. 22, 39)."""

from __future__ import annotations

from tests.web.support import browser, person_a
from tests.world import BANK, World


def _grant(site: World) -> tuple[object, str]:
    b = person_a(site)
    form = {
        "grantee_uscc": BANK,
        "purpose": "个人消费贷款审批",
        "channels": ["api"],
        "categories": ["2"],
        "valid_to": "2027-06-30",
    }
    assert b.post("/me/authorizations", form).status_code == 303
    page = b.get("/me/authorizations").text
    return b, page.split('data-authorization="')[1].split('"')[0]


def test_art39_revoking_an_authorization_asks_first_and_names_the_organisation(
    site: World,
) -> None:
    b, aid = _grant(site)
    listing = b.get("/me/authorizations").text
    assert f'href="/me/authorizations/{aid}/revoke"' in listing
    assert f'action="/me/authorizations/{aid}/revoke"' not in listing  # no one-click revoke
    ask = b.get(f"/me/authorizations/{aid}/revoke")
    assert ask.status_code == 200
    assert "撤销不能恢复" in ask.text and "个人消费贷款审批" in ask.text
    assert "有效" in b.get("/me/authorizations").text  # asking changed nothing
    r = b.post(f"/me/authorizations/{aid}/revoke", form=f"/me/authorizations/{aid}/revoke")
    assert r.status_code == 303
    assert "已撤销" in b.get("/me/authorizations").text
    # once revoked, the question is not asked again
    again = b.client.get(f"/me/authorizations/{aid}/revoke", follow_redirects=False)
    assert again.status_code == 303
    # someone else's authorization is not found
    other = browser(site.platform)
    other.sign_in_subject("王五", site.person_b)
    assert other.client.get(f"/me/authorizations/{aid}/revoke").status_code == 404


def test_art22_art39_own_views_can_be_hidden_and_stay_logged(site: World) -> None:
    b = person_a(site)
    for _ in range(2):
        assert b.get("/me/records").status_code == 200  # two self inquiries, logged
    everything = b.client.get("/api/v1/me/inquiries").json()
    own = [e for e in everything["entries"] if e["mode"] == "self"]
    assert len(own) >= 2
    hidden = b.client.get("/api/v1/me/inquiries", params={"hide_own": "true"}).json()
    assert all(e["mode"] != "self" for e in hidden["entries"])
    assert hidden["hidden_own"] == len(own)
    assert len(hidden["entries"]) == len(everything["entries"]) - len(own)
    page = browser(site.platform, "en")
    page.sign_in_subject("张三", site.person_a)
    shown = page.get("/me/inquiries", params={"hide_own": "1"}).text
    assert "views of your own are hidden here; they stay in the inquiry log" in shown
    assert 'name="hide_own" value="1" checked' in shown
    # the log itself still holds them
    assert len(b.client.get("/api/v1/me/inquiries").json()["entries"]) >= len(everything["entries"])
