"""The permission table: who may use every route of the API, the portal and the console.

One table, written here, answers every cell (route x caller). ``tests/test_permission_matrix.py``
calls every API route as every caller and ``tests/test_permission_matrix_web.py`` every web
route (portal, subject area, console), each on objects that belong to someone else, and
compares the answers with :func:`cells`; ``docs/security.md`` renders the same table and
``test_the_security_doc_renders_the_permission_table`` checks that it matches.

Callers: ``anonymous``; the subjects ``subject_a`` (person A, who owns the records, cases and
authorizations named in the paths), ``subject_b`` (another person) and ``org`` (a company);
``grantee`` (the bank A authorized) and ``other_bank`` (a third party nobody authorized);
``staff`` (providing-unit staff, signed in) and ``unit_key`` (the unit's system, API key);
``operator`` (the public credit service establishment) and ``drc`` (the development and
reform department). Web pages know sessions only: the API-key holders (``unit_key``,
``grantee``, ``other_bank``) are anonymous there.

Answers: API: ``2xx`` allowed, ``401`` anonymous refused, ``403`` role refused, ``404`` the
object is someone else's (its existence is none of the caller's business). Web: ``ok``
allowed (the page, a redirect after a form, or the form shown again with its errors), ``→
sign-in`` an anonymous visitor sent to sign in (a page) or ``401`` (a form post), ``403``,
``404``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Every caller, in the table's column order.
CALLERS = (
    "anonymous",
    "subject_a",
    "subject_b",
    "org",
    "grantee",
    "other_bank",
    "staff",
    "unit_key",
    "operator",
    "drc",
)
EVERYONE = frozenset(CALLERS)
SUBJECTS = frozenset({"subject_a", "subject_b", "org"})
UNIT = frozenset({"staff", "unit_key"})
GRANTEES = frozenset({"grantee", "other_bank"})
OVERSIGHT = frozenset({"operator", "drc"})
OPERATOR = frozenset({"operator"})
DRC = frozenset({"drc"})
#: Callers that hold API keys: on web pages they are anonymous (no session cookie).
KEY_HOLDERS = frozenset({"unit_key", "grantee", "other_bank"})


@dataclass(frozen=True)
class Access:
    """Who may call a route; ``hidden``: signed-in callers answered 404, because the resource
    named in the path or body is someone else's and its existence is none of their business."""

    allowed: frozenset[str]
    hidden: frozenset[str] = frozenset()
    #: Web forms: the hidden callers get the form back with a "not found" error (422).
    form_refusal: bool = False


# --- the API ----------------------------------------------------------------------------------

ME_AUTHORIZATION = "/api/v1/me/authorizations/{authorization_id}"
SCOPES = "/api/v1/providers/{provider}/inquiry-scope"
CASE = "/api/v1/objections/{objection_id}"
#: Signed-in callers told that A's case (or record) does not exist.
OTHERS_OF_A = frozenset({"subject_b", "org"})
#: ... and, for a case not transferred to the unit, the unit too (Art. 40 para 2(2)).
NOT_TRANSFERRED = OTHERS_OF_A | UNIT
#: Issue 16: a designation against the company (``org``); the persons are told it does not exist.
DESIGNATION = "/api/v1/designations/{designation_id}"
NOT_THE_COMPANY = frozenset({"subject_a", "subject_b"})
ESTABLISHMENT = "/api/v1/establishments/{establishment_id}"
OVERSIGHT_ORDER = "/api/v1/oversight/orders/{order_id}"
PROPOSAL = "/api/v1/proposals/{proposal_id}"
INTEGRITY = "/api/v1/integrity"
CASE_READERS = frozenset({"operator", "drc", "subject_a", "staff", "unit_key"})

API: dict[tuple[str, str], Access] = {
    # Art. 45 (issue 17): the subject applies and follows its own restoration cases (another
    # subject is told the case does not exist); the unit that owns the data, or the platform,
    # registers window applications and handles them; the D&R department has no part in it.
    ("GET", "/api/v1/me/restorations"): Access(SUBJECTS),
    ("GET", "/api/v1/me/restorations/openings"): Access(SUBJECTS),
    ("POST", "/api/v1/me/restorations"): Access(
        frozenset({"org"}), hidden=frozenset({"subject_a", "subject_b"})
    ),
    ("GET", "/api/v1/restorations"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/restorations"): Access(UNIT | OPERATOR),
    ("GET", "/api/v1/restorations/{restoration_id}"): Access(
        frozenset({"org"}) | UNIT | OPERATOR, hidden=frozenset({"subject_a", "subject_b"})
    ),
    ("POST", "/api/v1/restorations/{restoration_id}/officer"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/restorations/{restoration_id}/acceptance"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/restorations/{restoration_id}/non-acceptance"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/restorations/{restoration_id}/materials-request"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/restorations/{restoration_id}/materials"): Access(
        frozenset({"org"}) | UNIT | OPERATOR, hidden=frozenset({"subject_a", "subject_b"})
    ),
    ("POST", "/api/v1/restorations/{restoration_id}/approval"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/restorations/{restoration_id}/rejection"): Access(UNIT | OPERATOR),
    # Art. 26, 18(6) (issue 20): the standard pledge texts are published; subjects pledge and
    # register voluntary information; the unit a pledge was made to records its performance.
    ("GET", "/api/v1/pledges/texts"): Access(EVERYONE),
    ("GET", "/api/v1/pledges"): Access(UNIT),
    ("POST", "/api/v1/pledges/{pledge_id}/performance"): Access(UNIT),
    ("GET", "/api/v1/me/pledges"): Access(SUBJECTS),
    ("POST", "/api/v1/me/pledges"): Access(SUBJECTS),
    ("GET", "/api/v1/me/declarations"): Access(SUBJECTS),
    ("POST", "/api/v1/me/declarations"): Access(SUBJECTS),
    # The platform and its documentation (offline Swagger UI) are public.
    ("GET", "/docs"): Access(EVERYONE),
    ("GET", "/favicon.ico"): Access(EVERYONE),
    ("GET", "/api/v1/health"): Access(EVERYONE),
    # Art. 17: the catalogs in force are published documents.
    ("GET", "/api/v1/catalog/items"): Access(EVERYONE),
    ("GET", "/api/v1/catalog/items/{code}"): Access(EVERYONE),
    # Signing in and out: anyone may try; who they are follows from what they present.
    ("POST", "/api/v1/auth/login"): Access(EVERYONE),
    ("POST", "/api/v1/auth/subject"): Access(EVERYONE),
    ("POST", "/api/v1/auth/logout"): Access(EVERYONE),
    ("GET", "/api/v1/auth/me"): Access(EVERYONE),
    # The development identity provider (tests and demos only) vouches for anyone.
    ("GET", "/dev-idp/jwks.json"): Access(EVERYONE),
    ("POST", "/dev-idp/assertions"): Access(EVERYONE),
    # Art. 22 lawful public disclosure: anyone, no sign-in.
    ("GET", "/api/v1/public/organisations"): Access(EVERYONE),
    ("GET", "/api/v1/public/organisations/{key}"): Access(EVERYONE),
    ("POST", "/api/v1/public/persons"): Access(EVERYONE),
    # Art. 22(2) authority-based inquiry: providing-unit staff and the unit's system.
    # Art. 22(2) within the unit's scope, which the operator sets and the D&R department reads
    # (issue 14.5).
    ("POST", "/api/v1/inquiries/authority"): Access(UNIT),
    ("GET", "/api/v1/inquiries/authority/scope"): Access(UNIT),
    ("GET", SCOPES): Access(OVERSIGHT),
    ("POST", SCOPES): Access(OPERATOR),
    ("POST", SCOPES + "/{grant_id}/revoke"): Access(OPERATOR),
    # D-26: the confidentiality reasons and their citations are published rule data.
    ("GET", "/api/v1/inquiries/confidential-reasons"): Access(EVERYONE),
    # Art. 22 authorized inquiry: only the organisation the subject authorized.
    ("POST", "/api/v1/inquiries/authorized"): Access(
        frozenset({"grantee"}), hidden=frozenset({"other_bank"})
    ),
    ("GET", "/api/v1/grantee/authorizations"): Access(GRANTEES),
    # Art. 22, 39: the real-name subject's own information, history and authorizations.
    ("GET", "/api/v1/me/records"): Access(SUBJECTS),
    ("GET", "/api/v1/me/inquiries"): Access(SUBJECTS),
    ("GET", "/api/v1/me/authorizations"): Access(SUBJECTS),
    ("POST", "/api/v1/me/authorizations"): Access(SUBJECTS),
    # The path names A's authorization: another subject is told it does not exist.
    ("DELETE", ME_AUTHORIZATION): Access(
        frozenset({"subject_a"}), hidden=frozenset({"subject_b", "org"})
    ),
    # Art. 20, 27: a unit's submissions and its own ledger.
    ("POST", "/api/v1/batches"): Access(UNIT),
    ("GET", "/api/v1/batches"): Access(UNIT),
    ("GET", "/api/v1/batches/{batch_id}"): Access(UNIT),
    ("GET", "/api/v1/batches/{batch_id}/rejected"): Access(UNIT),
    # Art. 28 oversight: the operator and the development and reform department read alerts;
    # only the operator acknowledges them.
    ("GET", "/api/v1/alerts"): Access(OVERSIGHT),
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): Access(OPERATOR),
    # Art. 40 para 1: a subject objects to its own records (B and the company are told A's
    # records do not exist); the operator registers one received at a desk.
    ("GET", "/api/v1/me/objections"): Access(SUBJECTS),
    ("POST", "/api/v1/me/objections"): Access(frozenset({"subject_a"}), hidden=OTHERS_OF_A),
    ("POST", "/api/v1/objections"): Access(OPERATOR),
    # Art. 41 para 3: the archive is read by the operator and the D&R department.
    ("GET", "/api/v1/objections"): Access(OVERSIGHT),
    ("GET", "/api/v1/objections/queue"): Access(OPERATOR),
    # D-2: the operator's alerts (a unit's result notified, a case not transferred on WD1).
    ("GET", "/api/v1/objections/alerts"): Access(OPERATOR),
    ("POST", "/api/v1/objections/alerts/{alert_id}/acknowledge"): Access(OPERATOR),
    ("POST", "/api/v1/objections/overdue-check"): Access(OPERATOR),
    ("GET", "/api/v1/objections/transferred"): Access(UNIT),
    ("GET", "/api/v1/objections/reexaminations"): Access(frozenset({"drc"})),
    # One case transferred to the unit: the subject, its handlers and that unit see it.
    ("GET", CASE): Access(CASE_READERS, hidden=OTHERS_OF_A),
    ("GET", CASE + "/notices/{notice_id}"): Access(CASE_READERS, hidden=OTHERS_OF_A),
    ("GET", CASE + "/evidence/{evidence_id}"): Access(CASE_READERS, hidden=OTHERS_OF_A),
    # Art. 40-42, SM-1: each step by its role; a unit does not see untransferred cases.
    ("POST", CASE + "/label"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/decline"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/self-review"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/transfer"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/unit-receipt"): Access(UNIT, hidden=OTHERS_OF_A),
    ("POST", CASE + "/unit-result"): Access(UNIT, hidden=OTHERS_OF_A),
    ("POST", CASE + "/pause"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/resume"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/decision"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/notice"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/status-notice"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/reexamination"): Access(frozenset({"subject_a"}), hidden=NOT_TRANSFERRED),
    # Art. 40 para 4: the department registers a paper application received at its window.
    ("POST", CASE + "/reexamination/paper"): Access(frozenset({"drc"}), hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/reexamination-decision"): Access(frozenset({"drc"}), hidden=NOT_TRANSFERRED),
    ("POST", CASE + "/close"): Access(OPERATOR, hidden=NOT_TRANSFERRED),
    # Art. 42 para 3: proactive correction by the providing unit or the operator.
    ("POST", "/api/v1/records/{record_id}/corrections"): Access(OPERATOR | UNIT),
    # Art. 40: the working-day calendar is public; the operator loads official schedules.
    ("GET", "/api/v1/calendar/deadline"): Access(EVERYONE),
    ("GET", "/api/v1/calendar/years"): Access(EVERYONE),
    ("POST", "/api/v1/calendar/years"): Access(OPERATOR),
    # Art. 32 (issue 16): the list types and the lists in force are public; a unit or the
    # operator imports lists decided elsewhere; the operator records expiries.
    ("GET", "/api/v1/lists/types"): Access(EVERYONE),
    ("GET", "/api/v1/lists/types/{code}"): Access(EVERYONE),
    ("GET", "/api/v1/lists/{code}/entries"): Access(EVERYONE),
    ("POST", "/api/v1/lists/{code}/imports"): Access(UNIT | OPERATOR),
    ("POST", "/api/v1/lists/expiry-check"): Access(OPERATOR),
    # SM-2: the designating unit takes the department's steps on its own designations; the
    # subject (the company) reads its designation from the notice on and files its statement;
    # the operator and the D&R department read every one; Art. 44 revocation by the unit or
    # the operator. Other subjects and third parties are told the designation does not exist.
    ("GET", "/api/v1/designations"): Access(UNIT | OVERSIGHT),
    ("POST", "/api/v1/designations"): Access(UNIT),
    ("GET", DESIGNATION): Access(UNIT | OVERSIGHT | {"org"}, hidden=NOT_THE_COMPANY | GRANTEES),
    ("POST", DESIGNATION + "/notice"): Access(UNIT),
    ("POST", DESIGNATION + "/statement"): Access(UNIT | {"org"}, hidden=NOT_THE_COMPANY),
    ("POST", DESIGNATION + "/response"): Access(UNIT),
    ("POST", DESIGNATION + "/drop"): Access(UNIT),
    ("POST", DESIGNATION + "/decision"): Access(UNIT),
    ("POST", DESIGNATION + "/decision-service"): Access(UNIT),
    ("POST", DESIGNATION + "/listing"): Access(UNIT),
    ("POST", DESIGNATION + "/removal"): Access(UNIT),
    ("POST", DESIGNATION + "/revocation"): Access(UNIT | OPERATOR),
    # Art. 34-36: the measure lists are published; Art. 34, 37 a department records measures;
    # Art. 31, 34 a department checks a subject before an administrative matter (logged).
    ("GET", "/api/v1/measures"): Access(EVERYONE),
    ("GET", "/api/v1/measures/incentives"): Access(EVERYONE),
    ("POST", "/api/v1/measures/applications"): Access(UNIT),
    ("POST", "/api/v1/credit-checks"): Access(UNIT),
    ("POST", "/api/v1/credit-checks/batch"): Access(UNIT),
    # Art. 44 (issue 17.3): a unit (its feed) or the operator registers the revocation or
    # change of a basis document; units and oversight read the changes and the per-department
    # list of changes to data they received.
    ("POST", "/api/v1/basis-changes"): Access(UNIT | OPERATOR),
    ("GET", "/api/v1/basis-changes"): Access(UNIT | OVERSIGHT),
    ("GET", "/api/v1/basis-changes/departments"): Access(UNIT | OVERSIGHT),
    ("GET", "/api/v1/basis-changes/{change_id}"): Access(UNIT | OVERSIGHT),
    # Art. 46 (issue 17.4): a subject lodges and follows its own complaints (another's is not
    # found); the operator handles them and records reconsideration and litigation cases and
    # the decisions suspending measures.
    ("POST", "/api/v1/complaints"): Access(SUBJECTS),
    ("GET", "/api/v1/complaints"): Access(SUBJECTS | OPERATOR),
    ("GET", "/api/v1/complaints/{complaint_id}"): Access(
        frozenset({"subject_a"}) | OPERATOR, hidden=frozenset({"subject_b", "org"})
    ),
    ("POST", "/api/v1/complaints/{complaint_id}/steps"): Access(OPERATOR),
    ("POST", "/api/v1/legal-cases"): Access(OPERATOR),
    ("GET", "/api/v1/legal-cases"): Access(OPERATOR),
    ("GET", "/api/v1/legal-cases/{case_id}"): Access(OPERATOR),
    ("POST", "/api/v1/legal-cases/{case_id}/decision"): Access(OPERATOR),
    ("POST", "/api/v1/legal-cases/{case_id}/suspensions"): Access(OPERATOR),
    # Art. 29 (issue 18): the subject requests its own report, the bank A authorized one under
    # the authorization; a report is read by its requester and its subject only (A's own
    # report here: everyone else is told it does not exist); anyone verifies a report.
    ("POST", "/api/v1/me/reports"): Access(SUBJECTS),
    ("GET", "/api/v1/me/reports"): Access(SUBJECTS),
    ("POST", "/api/v1/reports/authorized/{authorization_id}"): Access(
        frozenset({"grantee"}), hidden=frozenset({"other_bank"})
    ),
    ("GET", "/api/v1/reports/public-key"): Access(EVERYONE),
    ("GET", "/api/v1/reports/verify/{number}"): Access(EVERYONE),
    ("POST", "/api/v1/reports/verify"): Access(EVERYONE),
    ("GET", "/api/v1/reports/{number}"): Access(
        frozenset({"subject_a"}), hidden=EVERYONE - {"subject_a", "anonymous"}
    ),
    ("GET", "/api/v1/reports/{number}/pdf"): Access(
        frozenset({"subject_a"}), hidden=EVERYONE - {"subject_a", "anonymous"}
    ),
    ("GET", "/api/v1/reports/{number}/html"): Access(
        frozenset({"subject_a"}), hidden=EVERYONE - {"subject_a", "anonymous"}
    ),
    # Art. 30: departments only, for an administrative purpose; the overseers read the
    # distribution of the batch run.
    ("POST", "/api/v1/assessments"): Access(UNIT),
    ("GET", "/api/v1/assessments/distribution"): Access(OVERSIGHT),
    # Art. 47-55 (issue 20.4): the directory of filed establishments is public; the D&R
    # department records filings, supervision, correction orders and fines and issues
    # oversight orders (Art. 53-54); each addressee reads and answers its own.
    ("GET", "/api/v1/establishments"): Access(EVERYONE),
    ("POST", "/api/v1/establishments"): Access(DRC),
    ("POST", ESTABLISHMENT + "/supervision"): Access(DRC),
    ("POST", ESTABLISHMENT + "/orders"): Access(DRC),
    ("POST", ESTABLISHMENT + "/fines"): Access(DRC),
    ("GET", "/api/v1/establishment-orders"): Access(DRC),
    ("POST", "/api/v1/establishment-orders/{order_id}/correction"): Access(DRC),
    ("GET", "/api/v1/oversight/overdue-steps"): Access(DRC),
    ("GET", "/api/v1/oversight/orders"): Access(UNIT | OVERSIGHT),
    ("POST", "/api/v1/oversight/orders"): Access(DRC),
    ("POST", "/api/v1/oversight/orders/from-step"): Access(DRC),
    ("POST", OVERSIGHT_ORDER + "/response"): Access(OPERATOR, hidden=UNIT),
    ("POST", OVERSIGHT_ORDER + "/escalation"): Access(DRC),
    # Art. 17-18, 35-36 (issue 20): anyone reads the proposals open for comment or decided and
    # comments; a department drafts, submits and withdraws its own; the D&R department takes
    # every other step (as in the console).
    ("GET", "/api/v1/proposals"): Access(EVERYONE),
    ("POST", "/api/v1/proposals"): Access(UNIT),
    ("GET", PROPOSAL): Access(EVERYONE),
    ("POST", PROPOSAL + "/comments"): Access(EVERYONE),
    ("POST", PROPOSAL + "/submission"): Access(UNIT),
    ("POST", PROPOSAL + "/withdrawal"): Access(UNIT),
    ("POST", PROPOSAL + "/screening"): Access(DRC),
    ("POST", PROPOSAL + "/return"): Access(DRC),
    ("POST", PROPOSAL + "/consultation"): Access(DRC),
    ("POST", PROPOSAL + "/consultation/close"): Access(DRC),
    ("POST", PROPOSAL + "/mpg-submission"): Access(DRC),
    ("POST", PROPOSAL + "/decision"): Access(DRC),
    ("POST", PROPOSAL + "/publication"): Access(DRC),
    ("POST", "/api/v1/proposal-comments/{comment_id}/moderation"): Access(DRC),
    ("POST", "/api/v1/proposal-comments/{comment_id}/answer"): Access(DRC),
    # Art. 8-10 (issue 20): the D&R department records government integrity; it and the
    # operator read the register, the breaches, the dashboard and the evaluations.
    ("GET", INTEGRITY + "/commitments"): Access(OVERSIGHT),
    ("POST", INTEGRITY + "/commitments"): Access(DRC),
    ("POST", INTEGRITY + "/commitments/{commitment_id}/performance"): Access(DRC),
    ("POST", INTEGRITY + "/commitments/{commitment_id}/changes"): Access(DRC),
    ("POST", INTEGRITY + "/changes/{change_id}/compensations"): Access(DRC),
    ("POST", INTEGRITY + "/changes/{change_id}/closure"): Access(DRC),
    ("GET", INTEGRITY + "/breaches"): Access(OVERSIGHT),
    ("POST", INTEGRITY + "/breaches"): Access(DRC),
    ("POST", INTEGRITY + "/cases/{case_id}"): Access(DRC),
    ("GET", INTEGRITY + "/dashboard"): Access(OVERSIGHT),
    ("GET", INTEGRITY + "/evaluations"): Access(OVERSIGHT),
    ("POST", INTEGRITY + "/evaluations"): Access(DRC),
    ("GET", INTEGRITY + "/evaluations/{evaluation_id}"): Access(OVERSIGHT),
    # Art. 25: only a registered receiver's key (X-Receiver-Key) reads the feed; nobody here
    # holds one.
    ("GET", "/api/v1/exchange/feed"): Access(frozenset()),
    ("POST", "/api/v1/exchange/feed/ack"): Access(frozenset()),
    ("GET", "/api/v1/exchange/feed/reconciliation"): Access(frozenset()),
}


def api_answer(access: Access, caller: str) -> str:
    if caller in access.allowed:
        return "2xx"
    if caller == "anonymous":
        return "401"
    return "404" if caller in access.hidden else "403"


# --- the portal, the subject's area and the console ------------------------------------------

SESSIONS = frozenset(CALLERS) - KEY_HOLDERS - {"anonymous"}
ME_CASE = "/me/objections/{objection_id}"
CONSOLE_CASE = "/console/objections/{objection_id}"
STAFF = frozenset({"staff", "operator", "drc"})

WEB: dict[tuple[str, str], Access] = {
    # Art. 22: the public portal, its rules pages and the language switch: anyone.
    ("GET", "/"): Access(EVERYONE),
    ("GET", "/organisations/{key}"): Access(EVERYONE),
    ("GET", "/persons"): Access(EVERYONE),
    ("POST", "/persons"): Access(EVERYONE),
    ("GET", "/rules"): Access(EVERYONE),
    ("GET", "/rules/{topic}"): Access(EVERYONE),
    ("GET", "/lang/{code}"): Access(EVERYONE),
    ("GET", "/signin"): Access(EVERYONE),
    ("POST", "/signin/dev"): Access(EVERYONE),
    ("GET", "/staff/signin"): Access(EVERYONE),
    ("POST", "/staff/signin"): Access(EVERYONE),
    ("POST", "/signout"): Access(EVERYONE),
    # Art. 22, 39: a subject's own area.
    ("GET", "/me"): Access(SUBJECTS),
    ("GET", "/me/records"): Access(SUBJECTS),
    ("GET", "/me/inquiries"): Access(SUBJECTS),
    ("GET", "/me/authorizations"): Access(SUBJECTS),
    ("POST", "/me/authorizations"): Access(SUBJECTS),
    ("GET", "/me/authorizations/{authorization_id}/revoke"): Access(
        frozenset({"subject_a"}), hidden=OTHERS_OF_A
    ),
    ("POST", "/me/authorizations/{authorization_id}/revoke"): Access(
        frozenset({"subject_a"}), hidden=OTHERS_OF_A
    ),
    ("GET", "/me/objections"): Access(SUBJECTS),
    ("GET", "/me/objections/new"): Access(SUBJECTS),
    ("POST", "/me/objections"): Access(
        frozenset({"subject_a"}), hidden=OTHERS_OF_A, form_refusal=True
    ),
    ("GET", ME_CASE): Access(frozenset({"subject_a"}), hidden=OTHERS_OF_A),
    ("POST", ME_CASE + "/reexamination"): Access(frozenset({"subject_a"}), hidden=OTHERS_OF_A),
    ("GET", ME_CASE + "/notices/{notice_id}"): Access(frozenset({"subject_a"}), hidden=OTHERS_OF_A),
    ("GET", ME_CASE + "/evidence/{evidence_id}"): Access(
        frozenset({"subject_a"}), hidden=OTHERS_OF_A
    ),
    # The console (docs/design.md#principle-7): staff only; each page for its roles.
    ("GET", "/console"): Access(STAFF),
    ("GET", "/console/dashboard"): Access(OVERSIGHT),
    ("GET", "/console/batches"): Access(frozenset({"staff"})),
    ("POST", "/console/batches"): Access(frozenset({"staff"})),
    ("GET", "/console/batches/uploads/{job_id}"): Access(frozenset({"staff"})),
    ("GET", "/console/batches/uploads/{job_id}/status"): Access(frozenset({"staff"})),
    ("GET", "/console/batches/{batch_id}"): Access(frozenset({"staff"})),
    ("GET", "/console/batches/{batch_id}/rejected"): Access(frozenset({"staff"})),
    ("GET", "/console/objections"): Access(OPERATOR),
    # D-2: the operator acknowledges an alert it has seen (audited).
    ("POST", "/console/objections/alerts/{alert_id}/acknowledge"): Access(OPERATOR),
    ("GET", "/console/inbox"): Access(frozenset({"staff"})),
    ("GET", "/console/reexaminations"): Access(frozenset({"drc"})),
    # A case's pages follow the case's access rules (pcip.objections.access, as the API):
    # its subject may read it here too; other subjects are told it does not exist.
    ("GET", CONSOLE_CASE): Access(STAFF | {"subject_a"}, hidden=OTHERS_OF_A),
    ("GET", CONSOLE_CASE + "/step/{step}"): Access(
        OPERATOR, hidden=frozenset({"staff"}) | OTHERS_OF_A
    ),
    ("POST", CONSOLE_CASE + "/step/{step}"): Access(
        OPERATOR, hidden=frozenset({"staff"}) | OTHERS_OF_A
    ),
    ("GET", CONSOLE_CASE + "/evidence/{evidence_id}"): Access(
        STAFF | {"subject_a"}, hidden=OTHERS_OF_A
    ),
    ("GET", CONSOLE_CASE + "/notices/{notice_id}"): Access(
        STAFF | {"subject_a"}, hidden=OTHERS_OF_A
    ),
    ("GET", "/console/objections/new"): Access(OPERATOR),
    ("POST", "/console/objections/new"): Access(OPERATOR),
    ("GET", "/console/archive"): Access(OVERSIGHT),
    ("GET", "/console/records"): Access(frozenset({"operator", "staff"})),
    ("GET", "/console/records/{record_id}"): Access(frozenset({"operator", "staff"})),
    ("POST", "/console/records/{record_id}"): Access(frozenset({"operator", "staff"})),
    ("GET", "/console/inquiry"): Access(frozenset({"staff"})),
    ("POST", "/console/inquiry"): Access(frozenset({"staff"})),
    ("GET", "/console/calendar"): Access(OPERATOR),
    ("POST", "/console/calendar"): Access(OPERATOR),
    # Art. 22(2), issue 14.5: the units' inquiry scopes; the operator sets them, the D&R
    # department reads them.
    ("GET", "/console/scopes"): Access(OVERSIGHT),
    ("POST", "/console/scopes"): Access(OPERATOR),
    ("POST", "/console/scopes/{grant_id}/revoke"): Access(OPERATOR),
    # Art. 31, 34-36: the punishment and incentive measures are published.
    ("GET", "/measures"): Access(EVERYONE),
    # Art. 32 (issue 16): the lists are public; the subject's listings are its own; the
    # company states its case on its own designation (the persons are told it does not
    # exist); the console's designation pages are the unit's, read by the overseers.
    ("GET", "/lists"): Access(EVERYONE),
    ("GET", "/lists/{code}"): Access(EVERYONE),
    ("GET", "/me/listings"): Access(SUBJECTS),
    ("POST", "/me/listings/{designation_id}/statement"): Access(
        frozenset({"org"}), hidden=NOT_THE_COMPANY
    ),
    ("GET", "/console/designations"): Access(frozenset({"staff"}) | OVERSIGHT),
    ("POST", "/console/designations"): Access(frozenset({"staff"})),
    ("GET", "/console/designations/{designation_id}"): Access(frozenset({"staff"}) | OVERSIGHT),
    ("POST", "/console/designations/{designation_id}/step/{step}"): Access(frozenset({"staff"})),
    ("GET", "/console/credit-checks"): Access(frozenset({"staff"})),
    ("POST", "/console/credit-checks"): Access(frozenset({"staff"})),
    ("POST", "/console/credit-checks/batch"): Access(frozenset({"staff"})),
    # Art. 26, 45 (issues 17, 20): the subject applies for restoration and follows its own
    # cases (another subject is told the case does not exist), makes pledges and registers
    # self-declared information; the unit's staff and the operator handle restoration.
    ("GET", "/me/restorations"): Access(SUBJECTS),
    ("GET", "/me/restorations/new"): Access(SUBJECTS),
    ("POST", "/me/restorations"): Access(SUBJECTS),
    ("GET", "/me/restorations/{restoration_id}"): Access(
        frozenset({"org"}), hidden=NOT_THE_COMPANY
    ),
    ("POST", "/me/restorations/{restoration_id}/materials"): Access(
        frozenset({"org"}), hidden=NOT_THE_COMPANY
    ),
    ("GET", "/me/pledges"): Access(SUBJECTS),
    ("POST", "/me/pledges"): Access(SUBJECTS),
    ("POST", "/me/declarations"): Access(SUBJECTS),
    ("POST", "/me/declarations/{declaration_id}/withdraw"): Access(
        frozenset({"org"}), hidden=NOT_THE_COMPANY
    ),
    ("GET", "/console/restoration"): Access(frozenset({"staff", "operator"})),
    ("POST", "/console/restoration"): Access(frozenset({"staff", "operator"})),
    ("GET", "/console/restoration/{restoration_id}"): Access(frozenset({"staff", "operator"})),
    ("POST", "/console/restoration/{restoration_id}/step/{step}"): Access(
        frozenset({"staff", "operator"})
    ),
    ("GET", "/console/pledges"): Access(frozenset({"staff"})),
    ("POST", "/console/pledges/{pledge_id}/performance"): Access(frozenset({"staff"})),
    # Art. 34, 37: the unit records a measure application or the waiver.
    ("GET", "/console/measures"): Access(frozenset({"staff"})),
    ("POST", "/console/measures"): Access(frozenset({"staff"})),
    # Art. 44 (issue 17.3): revoked or changed basis documents and the per-department changes.
    ("GET", "/console/revocations"): Access(frozenset({"staff"}) | OVERSIGHT),
    ("POST", "/console/revocations"): Access(frozenset({"staff", "operator"})),
    # Art. 46 (issue 17.4): the subject's complaints; the operator's queue and legal cases.
    ("GET", "/me/complaints"): Access(SUBJECTS),
    ("POST", "/me/complaints"): Access(SUBJECTS),
    ("GET", "/console/complaints"): Access(OPERATOR),
    ("POST", "/console/complaints/{complaint_id}/step"): Access(OPERATOR),
    ("POST", "/console/complaints/cases"): Access(OPERATOR),
    ("POST", "/console/complaints/cases/{case_id}/decision"): Access(OPERATOR),
    ("POST", "/console/complaints/cases/{case_id}/suspension"): Access(OPERATOR),
    # Art. 29 (issue 18): the subject's reports (A's own report in the paths: everyone else
    # signed in is told it does not exist); anyone verifies a report.
    ("GET", "/me/reports"): Access(SUBJECTS),
    ("POST", "/me/reports"): Access(SUBJECTS),
    ("GET", "/me/reports/{number}"): Access(
        frozenset({"subject_a"}), hidden=SESSIONS - {"subject_a"}
    ),
    ("GET", "/me/reports/{number}/pdf"): Access(
        frozenset({"subject_a"}), hidden=SESSIONS - {"subject_a"}
    ),
    ("GET", "/verify"): Access(EVERYONE),
    ("POST", "/verify"): Access(EVERYONE),
    # Art. 47-55 (issue 20.4): the directory is public; the D&R department's console pages for
    # filings, supervision, orders and fines; oversight orders, each addressee its own.
    ("GET", "/establishments"): Access(EVERYONE),
    ("GET", "/console/establishments"): Access(DRC),
    ("POST", "/console/establishments"): Access(DRC),
    ("GET", "/console/establishments/{establishment_id}"): Access(DRC),
    ("POST", "/console/establishments/{establishment_id}/{action}"): Access(DRC),
    ("GET", "/console/oversight"): Access(frozenset({"staff"}) | OVERSIGHT),
    ("POST", "/console/oversight"): Access(DRC),
    ("POST", "/console/oversight/{order_id}/response"): Access(
        OPERATOR, hidden=frozenset({"staff"})
    ),
    ("POST", "/console/oversight/{order_id}/escalation"): Access(DRC),
    ("GET", "/console/exchange"): Access(OVERSIGHT),
    ("POST", "/console/exchange"): Access(OPERATOR),
    ("POST", "/console/exchange/{code}/{action}"): Access(OPERATOR),
    ("GET", "/console/exchange/dead-letters"): Access(OVERSIGHT),
    # Art. 17, 35 (issue 20): anyone reads the proposals open for comment and comments; a
    # department drafts its own proposals (another unit's are not found), the D&R department
    # takes every other step.
    ("GET", "/consultations"): Access(EVERYONE),
    ("GET", "/consultations/{proposal_id}"): Access(EVERYONE),
    ("POST", "/consultations/{proposal_id}"): Access(EVERYONE),
    ("GET", "/console/proposals"): Access(frozenset({"staff", "drc"})),
    ("POST", "/console/proposals"): Access(frozenset({"staff"})),
    ("GET", "/console/proposals/{proposal_id}"): Access(
        frozenset({"drc"}), hidden=frozenset({"staff"})
    ),
    ("POST", "/console/proposals/{proposal_id}/step/{step}"): Access(frozenset({"drc"})),
    # Art. 8-10 (issue 20): the D&R department records government integrity; the operator reads.
    ("GET", "/console/integrity"): Access(OVERSIGHT),
    ("POST", "/console/integrity/{action}"): Access(frozenset({"drc"})),
    ("GET", "/console/integrity/evaluations/{evaluation_id}"): Access(OVERSIGHT),
    ("GET", "/console/integrity/evaluations/{evaluation_id}/export"): Access(OVERSIGHT),
}


def web_answer(access: Access, caller: str, method: str) -> str:
    if caller in access.allowed:
        return "ok"
    if caller == "anonymous" or caller in KEY_HOLDERS:
        return "→ sign-in" if method == "GET" else "401"
    if caller in access.hidden:
        return "422 (not found)" if access.form_refusal else "404"
    return "403"


def cells() -> dict[tuple[str, str], dict[str, str]]:
    """Every cell of the table: (method, path) -> caller -> expected answer."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for route, access in API.items():
        out[route] = {c: api_answer(access, c) for c in CALLERS}
    for route, access in WEB.items():
        out[route] = {c: web_answer(access, c, route[0]) for c in CALLERS}
    return out


SHORT = {
    "anonymous": "anon",
    "subject_a": "A",
    "subject_b": "B",
    "org": "org",
    "grantee": "bank",
    "other_bank": "bank2",
    "staff": "unit",
    "unit_key": "unit key",
    "operator": "op",
    "drc": "drc",
}


def markdown() -> str:
    """The table as docs/security.md shows it (between its table markers)."""
    head = "| route | " + " | ".join(SHORT[c] for c in CALLERS) + " |"
    rule = "|---|" + "---|" * len(CALLERS)
    rows = [head, rule]
    for (method, path), answers in cells().items():
        rows.append(f"| `{method} {path}` | " + " | ".join(answers[c] for c in CALLERS) + " |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m tests.permission_table > the table for docs/security.md
    print(markdown(), end="")
