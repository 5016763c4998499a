"""Who may do what: every action's permission, checked in one place (Art. 22, 27).

Routes and services never test roles themselves; they ask ``require(principal, Permission.X)``.
The matrix below is the whole access policy, and ``tests/test_permission_matrix.py`` calls
every endpoint as every role to prove it. What a permitted caller then *sees* is decided by
the disclosure rules (``pcip.disclosure.rules``) for the inquiry mode the permission opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pcip.errors import Forbidden, Unauthorized
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import msg


class Permission(StrEnum):
    # Art. 22 lawful public disclosure: anyone, no sign-in.
    PUBLIC_SEARCH = "public.search"
    PUBLIC_DISCLOSURE = "public.disclosure"
    CATALOG_READ = "catalog.read"
    # Art. 22 real-name self inquiry, Art. 39 the subject's own inquiry history, Art. 22/39
    # authorizations the subject grants and revokes.
    SELF_INQUIRY = "self.inquiry"
    SELF_INQUIRY_LOG = "self.inquiry_log"
    AUTHORIZATION_MANAGE = "authorization.manage"
    # Art. 22 authorized inquiry by a third party holding an authorization.
    AUTHORIZED_INQUIRY = "authorized.inquiry"
    AUTHORIZATION_RECEIVED = "authorization.received"
    # Art. 22 authority-based inquiry by providing-unit staff, with a duty purpose.
    AUTHORITY_INQUIRY = "authority.inquiry"
    # Art. 22(2): the items each unit's authority inquiries may see; the operator sets them,
    # the operator and the development and reform department read them.
    INQUIRY_SCOPE_READ = "inquiry_scope.read"
    INQUIRY_SCOPE_MANAGE = "inquiry_scope.manage"
    # Art. 20 submissions and the unit's own ledger.
    BATCH_SUBMIT = "batch.submit"
    BATCH_READ = "batch.read"
    # Art. 28 oversight: abnormal inquiry volume alerts.
    ALERT_READ = "alert.read"
    ALERT_ACKNOWLEDGE = "alert.acknowledge"
    # Art. 40-42 objections: the subject files and follows its own; the operator registers
    # one received at a desk and handles the queue; a providing unit answers the cases
    # transferred to it; the development and reform department re-examines (Art. 41).
    OBJECTION_FILE = "objection.file"
    OBJECTION_REGISTER = "objection.register"
    OBJECTION_HANDLE = "objection.handle"
    OBJECTION_TRANSFERRED = "objection.transferred"
    OBJECTION_REEXAMINE = "objection.reexamine"
    OBJECTION_ARCHIVE = "objection.archive"
    # Art. 42 para 2: proactive correction by the providing unit or the operator.
    RECORD_CORRECT = "record.correct"
    # Art. 40: the statutory working-day calendar; the operator loads official schedules.
    CALENDAR_READ = "calendar.read"
    CALENDAR_MANAGE = "calendar.manage"
    # Art. 28, 53 oversight: aggregate figures (records received, objections, inquiries).
    DASHBOARD_READ = "dashboard.read"
    # Art. 32-33, 44 (issue 16): the lists. The public reads the lists and their types; a
    # department designates (SM-2) and ends its own listings; the subject files its statement;
    # lists decided elsewhere are imported by a unit or the operator; the operator and the
    # D&R department oversee every designation; the operator runs the expiry sweep.
    LIST_PUBLIC = "list.public"
    LIST_DESIGNATE = "list.designate"
    LIST_STATEMENT = "list.statement"
    LIST_IMPORT = "list.import"
    LIST_REVOKE = "list.revoke"
    LIST_OVERSEE = "list.oversee"
    LIST_MAINTAIN = "list.maintain"
    # Art. 34, 37: a department records a measure (or its mandatory waiver); Art. 31, 34, 38:
    # a department checks which measures apply to a subject before an administrative matter.
    MEASURE_APPLY = "measure.apply"
    CREDIT_CHECK = "credit.check"
    # Art. 45 (issue 17): credit restoration. The subject applies for its own records and
    # listings; staff at a service window register a paper application; the providing unit
    # (its designated restoration officer) or the platform handles the cases it owns.
    RESTORATION_APPLY = "restoration.apply"
    RESTORATION_REGISTER = "restoration.register"
    RESTORATION_HANDLE = "restoration.handle"
    # Art. 26, 18(6) (issue 20): the subject makes credit pledges and registers voluntary
    # information; the unit a pledge was made to records whether it was kept or broken.
    PLEDGE_MAKE = "pledge.make"
    PLEDGE_TRACK = "pledge.track"
    # Art. 44 (issue 17.3): a unit (its feed) or the operator registers the revocation or
    # change of a basis document; units, the operator and the D&R department read the
    # changes (a unit: its own department's).
    REVOCATION_REGISTER = "revocation.register"
    REVOCATION_READ = "revocation.read"
    # Art. 46 (issue 17.4): a subject lodges and follows its complaints; the operator handles
    # them, records reconsideration and litigation cases and the decisions suspending measures.
    COMPLAINT_FILE = "complaint.file"
    COMPLAINT_HANDLE = "complaint.handle"
    # Art. 29 (issue 18): anyone checks that a credit report is genuine (reports themselves
    # are requested through the self and authorized inquiry permissions). Art. 30: only
    # departments read the comprehensive assessment, for an administrative purpose; the
    # operator runs the batch.
    REPORT_VERIFY = "report.verify"
    ASSESSMENT_READ = "assessment.read"
    ASSESSMENT_RUN = "assessment.run"
    # Art. 47-55 (issue 20.4): the public directory of filed credit service establishments;
    # the development and reform department records filings, supervision, correction orders
    # and fines, and issues oversight orders (Art. 53-54) that their addressees answer.
    ESTABLISHMENT_DIRECTORY = "establishment.directory"
    ESTABLISHMENT_SUPERVISE = "establishment.supervise"
    OVERSIGHT_ISSUE = "oversight.issue"
    OVERSIGHT_RESPOND = "oversight.respond"
    # Art. 20, 25 (issue 21): the exchange. The operator and the D&R department read the
    # receivers registry and the intake's dead letters; the operator manages the receivers.
    EXCHANGE_READ = "exchange.read"
    EXCHANGE_MANAGE = "exchange.manage"
    # Art. 17, 35 (SM-4, SM-5): a city department drafts and submits change proposals; the
    # D&R department screens them, runs the public comment and records the municipal
    # government's approval and the publication; anyone comments during the period.
    PROPOSAL_DRAFT = "proposal.draft"
    PROPOSAL_MANAGE = "proposal.manage"
    PROPOSAL_COMMENT = "proposal.comment"
    # Art. 8-10: the government-integrity register, breaches and evaluations (D&R department);
    # the operator reads them.
    INTEGRITY_MANAGE = "integrity.manage"
    INTEGRITY_READ = "integrity.read"


_PUBLIC = frozenset(
    {
        Permission.PUBLIC_SEARCH,
        Permission.PUBLIC_DISCLOSURE,
        Permission.CATALOG_READ,
        Permission.CALENDAR_READ,
        Permission.LIST_PUBLIC,
        Permission.REPORT_VERIFY,
        Permission.ESTABLISHMENT_DIRECTORY,
        Permission.PROPOSAL_COMMENT,
    }
)

#: The access policy. Everyone has the public permissions; nobody else has anything implicit.
MATRIX: dict[ActorKind, frozenset[Permission]] = {
    ActorKind.PUBLIC: _PUBLIC,
    ActorKind.SUBJECT: _PUBLIC
    | {
        Permission.SELF_INQUIRY,
        Permission.SELF_INQUIRY_LOG,
        Permission.AUTHORIZATION_MANAGE,
        Permission.OBJECTION_FILE,
        Permission.LIST_STATEMENT,
        Permission.RESTORATION_APPLY,
        Permission.PLEDGE_MAKE,
        Permission.COMPLAINT_FILE,
    },
    ActorKind.GRANTEE: _PUBLIC | {Permission.AUTHORIZED_INQUIRY, Permission.AUTHORIZATION_RECEIVED},
    ActorKind.PROVIDER: _PUBLIC
    | {
        Permission.AUTHORITY_INQUIRY,
        Permission.BATCH_SUBMIT,
        Permission.BATCH_READ,
        Permission.OBJECTION_TRANSFERRED,
        Permission.RECORD_CORRECT,
        Permission.LIST_DESIGNATE,
        Permission.LIST_IMPORT,
        Permission.LIST_REVOKE,
        Permission.MEASURE_APPLY,
        Permission.CREDIT_CHECK,
        Permission.RESTORATION_REGISTER,
        Permission.RESTORATION_HANDLE,
        Permission.PLEDGE_TRACK,
        Permission.REVOCATION_REGISTER,
        Permission.REVOCATION_READ,
        Permission.ASSESSMENT_READ,
        Permission.OVERSIGHT_RESPOND,
        Permission.PROPOSAL_DRAFT,
    },
    ActorKind.OPERATOR: _PUBLIC
    | {
        Permission.ALERT_READ,
        Permission.ALERT_ACKNOWLEDGE,
        Permission.DASHBOARD_READ,
        Permission.INQUIRY_SCOPE_READ,
        Permission.INQUIRY_SCOPE_MANAGE,
        Permission.OBJECTION_REGISTER,
        Permission.OBJECTION_HANDLE,
        Permission.OBJECTION_ARCHIVE,
        Permission.RECORD_CORRECT,
        Permission.CALENDAR_MANAGE,
        Permission.LIST_IMPORT,
        Permission.LIST_REVOKE,
        Permission.LIST_OVERSEE,
        Permission.LIST_MAINTAIN,
        Permission.RESTORATION_REGISTER,
        Permission.RESTORATION_HANDLE,
        Permission.REVOCATION_REGISTER,
        Permission.REVOCATION_READ,
        Permission.COMPLAINT_HANDLE,
        Permission.ASSESSMENT_RUN,
        Permission.OVERSIGHT_RESPOND,
        Permission.EXCHANGE_READ,
        Permission.EXCHANGE_MANAGE,
        Permission.INTEGRITY_READ,
    },
    ActorKind.DRC: _PUBLIC
    | {
        Permission.ALERT_READ,
        Permission.DASHBOARD_READ,
        Permission.INQUIRY_SCOPE_READ,
        Permission.OBJECTION_REEXAMINE,
        Permission.OBJECTION_ARCHIVE,
        Permission.LIST_OVERSEE,
        Permission.REVOCATION_READ,
        Permission.ESTABLISHMENT_SUPERVISE,
        Permission.OVERSIGHT_ISSUE,
        Permission.OVERSIGHT_RESPOND,
        Permission.EXCHANGE_READ,
        Permission.PROPOSAL_MANAGE,
        Permission.INTEGRITY_MANAGE,
        Permission.INTEGRITY_READ,
    },
    ActorKind.SYSTEM: frozenset(),
}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request (anonymous callers are ``ActorKind.PUBLIC``)."""

    role: ActorKind
    actor: Actor
    #: How they proved it: anonymous, session (web or API sign-in) or api_key.
    via: str = "anonymous"
    account_id: int | None = None
    provider_id: int | None = None
    grantee_id: int | None = None
    subject_id: int | None = None
    session_id: int | None = None
    #: Organisation name shown to subjects in their inquiry history (Art. 39).
    organisation: str = ""
    #: Set when the session arrived in a cookie: unsafe requests must echo it (CSRF).
    csrf_token: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.role is ActorKind.PUBLIC

    @classmethod
    def internal(
        cls, actor: Actor, *, provider_id: int | None = None, subject_id: int | None = None
    ) -> Principal:
        """Code acting without a request (the demo loader, jobs, tests) as a named actor of a
        role: the steps it takes are checked like anyone's (the unit's and the subject's scope
        by ``provider_id`` and ``subject_id``)."""
        return cls(
            actor.kind, actor, via="internal", provider_id=provider_id, subject_id=subject_id
        )


def system_principal(ref: str) -> Principal:
    """A job acting as the platform itself (``Actor.system``): it holds no permission of the
    matrix, so it takes no step a role takes; what it does is audited under its name."""
    return Principal(ActorKind.SYSTEM, Actor.system(ref), via="internal")


ANONYMOUS = Principal(ActorKind.PUBLIC, Actor(ActorKind.PUBLIC, "anonymous", "public"))


def allowed(principal: Principal, permission: Permission) -> bool:
    return permission in MATRIX.get(principal.role, frozenset())


def require(principal: Principal, permission: Permission) -> None:
    """Raise 401 for an anonymous caller, 403 for a signed-in one without the permission."""
    if allowed(principal, permission):
        return
    if principal.anonymous:
        raise Unauthorized(msg("auth.sign_in_needed", permission=permission.value))
    raise Forbidden(
        msg("auth.not_permitted", role=principal.role.value, permission=permission.value)
    )
