"""The department console (``/console``): pages for the platform operator, the development
and reform department and providing-unit staff over the same services the API and the CLI
call (docs/design.md#principle-7). ``pcip.web.mount`` includes ``routers``.

* ``home``: the landing page per role and the oversight dashboard;
* ``batches``: upload a batch file, watch it applied, the ledger, rejected rows (Art. 20-23);
* ``queues``: the objection queues, the unit's inbox, the re-examinations (Art. 40);
* ``desk``: registering an objection received at a desk or by post (Art. 40 para 1);
* ``cases``: the case page with its steps, evidence and notices (Art. 40-42);
* ``case_archive``: the archive of objection dispositions (Art. 41 para 3);
* ``records``: proactive corrections (Art. 42 para 3);
* ``inquiry``: authority-based inquiry with its purpose (Art. 22(2));
* ``calendar``: the working-day calendar (Art. 40-41);
* ``scopes``: what each unit's authority inquiries may see (Art. 22(2));
* ``designations``: the designation workflow SM-2 (Art. 32-33, 44; issue 16);
* ``credit_checks``: credit checks before an administrative matter (Art. 31, 34);
* ``measures``: recording a measure application or the Art. 37 waiver (Art. 34, 37);
* ``proposals``: change proposals to the city catalog and measure list (SM-4, SM-5);
* ``integrity``: the government-integrity register, breaches and evaluations (Art. 8-10).
"""

from __future__ import annotations

from fastapi import APIRouter

from pcip.web.console import (
    batches,
    calendar,
    case_archive,
    cases,
    credit_checks,
    designations,
    desk,
    home,
    inquiry,
    integrity,
    measures,
    proposals,
    queues,
    records,
    scopes,
)

routers: list[APIRouter] = [
    home.router,
    batches.router,
    queues.router,
    desk.router,  # /objections/new before /objections/{objection_id}
    cases.router,
    case_archive.router,
    records.router,
    inquiry.router,
    calendar.router,
    scopes.router,
    designations.router,
    credit_checks.router,
    measures.router,
    proposals.router,
    integrity.router,
]
