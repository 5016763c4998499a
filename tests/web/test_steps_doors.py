"""A step taken by the wrong principal is refused, whatever door it comes through (Art. 40-42).

The service function of each step checks its principal (``pcip.objections.steps``); these
tests drive the same refusals through the API, the console and the subject's pages, and
check that nothing was written. (The service itself: ``tests/objections/test_objection_steps``.)
"""

from __future__ import annotations

from sqlalchemy import select

from pcip.objections import service
from pcip.objections.states import State
from pcip.records.models import CreditRecord
from tests.objections.cases import case_in
from tests.web.support import Browser, browser, person_a
from tests.web.test_console_pages import staff
from tests.world import World


def _case(site: World, state: str) -> int:
    with site.platform.transaction() as s:
        rid = s.scalars(
            select(CreditRecord.id)
            .where(CreditRecord.subject_id == site.subject_ids["subject_a"])
            .order_by(CreditRecord.id)
        ).first()
    assert rid is not None
    return case_in(site.platform, site.subject_ids["subject_a"], [rid], state)


def _state(site: World, oid: int) -> State:
    with site.platform.transaction() as s:
        return service.state(s, oid)


def _step(b: Browser, oid: int, step: str, data: dict[str, str] | None = None) -> int:
    # The form's token from the console's home page: the case page is not everyone's to see.
    r = b.post(f"/console/objections/{oid}/step/{step}", data or {}, form="/console")
    return r.status_code


def test_art40_4_the_department_may_not_apply_for_reexamination_through_the_api(
    site: World,
) -> None:
    oid = _case(site, "notified")
    r = site.client.post(
        f"/api/v1/objections/{oid}/reexamination",
        data={"statement": "不服"},
        headers=site.auth("drc"),
    )
    assert r.status_code == 403
    assert r.json()["message"] == "a drc may not perform 'objection.file'"
    # A unit does not see a case not transferred to it (Art. 40 para 2(2), Art. 27).
    r = site.client.post(f"/api/v1/objections/{oid}/close", headers=site.auth("staff"))
    assert r.status_code == 404 and r.json()["field"] == "objection_id"
    assert _state(site, oid) is State.NOTIFIED


def test_art40_the_console_refuses_a_step_to_the_wrong_role(site: World) -> None:
    oid = _case(site, "received")
    assert _step(staff(site, "drc"), oid, "label") == 403
    # The unit's staff: not its case, so not found; the step's own form is refused too.
    unit = staff(site, "provider")
    assert _step(unit, oid, "label") == 404
    assert unit.get(f"/console/objections/{oid}/step/decline").status_code == 404
    # The subject's step is taken on the subject's own pages, not in the console.
    assert _step(staff(site, "operator"), oid, "request_reexam") == 404
    assert _state(site, oid) is State.RECEIVED


def test_art40_4_the_subject_pages_take_reexamination_from_the_subject_only(
    site: World,
) -> None:
    oid = _case(site, "notified")
    url = f"/me/objections/{oid}/reexamination"
    drc = staff(site, "drc")
    r = drc.client.post(
        url, data={"statement": "不服", "csrf_token": drc.token("/console")}, follow_redirects=False
    )
    assert r.status_code == 403
    other = browser(site.platform)
    other.sign_in_subject("王五", site.person_b)
    r = other.post(url, {"statement": "不服"}, form="/me/objections")
    assert r.status_code == 404
    assert _state(site, oid) is State.NOTIFIED
    a = person_a(site)
    r = a.post(url, {"statement": "不服处理结果"}, form=f"/me/objections/{oid}")
    assert r.status_code == 303 and _state(site, oid) is State.REEXAM_REQUESTED
