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
* ``restoration``: the restoration officer's queue, window applications, case steps (Art. 45);
* ``pledges``: the credit pledges made to the unit and its finding on each (Art. 26).
* ``revocations``: revoked or changed basis documents, changes per department (Art. 44);
* ``complaints``: complaints, reconsideration and litigation cases, suspensions (Art. 46).
* ``measures``: recording a measure application or the Art. 37 waiver (Art. 34, 37).
* ``establishments``: filings, supervision, correction orders and fines (Art. 47-49, 55).
* ``oversight``: oversight orders to departments and the platform (Art. 53-54).
* ``exchange``: the receivers registry and the intake's dead letters (Art. 20, 25).
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
    complaints,
    credit_checks,
    designations,
    desk,
    establishments,
    exchange,
    home,
    inquiry,
    integrity,
    measures,
    oversight,
    pledges,
    proposals,
    queues,
    records,
    restoration,
    revocations,
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
    restoration.router,
    pledges.router,
    revocations.router,
    complaints.router,
    establishments.router,
    oversight.router,
    exchange.router,
    proposals.router,
    integrity.router,
]
