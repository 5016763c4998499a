"""One settings object for the whole platform, read from ``PCIP_*`` environment variables."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from pcip.errors import ConfigError

DEFAULT_HOME = Path("var")


class Settings(BaseSettings):
    """Platform settings. Every field maps to ``PCIP_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PCIP_", extra="ignore")

    #: ``sqlite:///path`` (embedded, default) or ``postgresql://user@host:port/db`` (production).
    database_url: str = Field(default="")
    #: Issue 22: a PostgreSQL streaming replica of ``database_url`` that serves the public
    #: disclosure reads (which may lag by the replica's replay lag); writes, the inquiry log and
    #: every other read stay on the primary (docs/scaling.md). Empty: everything on the primary.
    read_database_url: str = Field(default="")
    #: Directory holding keys (``keys/``) and stored files (evidence, reports).
    home: Path = DEFAULT_HOME
    host: str = "127.0.0.1"
    port: int = 8000
    #: Fixes "now" for tests, demos and drills (ISO date-time; naive means China Standard Time).
    now: datetime | None = None
    #: Log level for the application logs (identifiers are never logged).
    log_level: str = "INFO"
    #: One line per request (method, route template, status, time; no identifier, Art. 27).
    access_log: bool = True
    #: ``development`` or ``production``. Production refuses the built-in development identity
    #: provider and requires a real one (``PCIP_IDP_*``).
    environment: Literal["development", "production"] = "development"
    #: Real-name identity provider (Art. 22 self inquiry): its JWKS, as a URL or a local file.
    #: With neither set, the built-in development identity provider is used (never in
    #: production).
    idp_jwks_url: str = ""
    idp_jwks_file: Path | None = None
    #: The ``iss`` the provider signs with, and the ``aud`` it addresses this platform by.
    idp_issuer: str = ""
    idp_audience: str = "pcip"
    #: Hours a signed-in session lasts (staff and subjects).
    session_hours: int = Field(default=8, ge=1, le=72)
    #: Art. 27-28: public searches and disclosures per client per minute.
    public_rate_per_minute: int = Field(default=60, ge=1)
    #: Shared counters (sign-in throttling, the public rate limit) in Redis, so that every
    #: worker process sees the same counts; empty: in this process only (issue 23).
    redis_url: str = ""
    #: Prefix of every key pcip writes in Redis (several platforms may share one Redis).
    redis_prefix: str = "pcip:"
    #: Staff sign-in (Art. 27): an account is locked for ``signin_lock_minutes`` after this
    #: many failed attempts within that time; an address is refused after
    #: ``signin_address_failures`` failed attempts within it (security parameters of the
    #: platform, not legal ones).
    signin_lock_after: int = Field(default=5, ge=1)
    signin_lock_minutes: int = Field(default=15, ge=1)
    signin_address_failures: int = Field(default=30, ge=1)
    #: Art. 28: inquiries by one account within an hour above which an alert is raised.
    inquiry_alert_per_hour: int = Field(default=300, ge=1)
    #: D-2: how often ``pcip serve`` runs the objection watch (overdue steps, cases not
    #: transferred on their first working day), in seconds; 0 turns it off.
    objection_watch_seconds: int = Field(default=300, ge=0, le=86_400)
    #: The exchange over NATS JetStream (docs/exchange.md): ``off`` (the default: ``make run``
    #: needs no NATS), ``auto`` (``pcip serve`` runs the intake and the feed when the server
    #: answers at start, and says so when it does not) or ``on`` (refuse to start without it).
    exchange: Literal["off", "auto", "on"] = "off"
    exchange_url: str = "nats://127.0.0.1:4222"
    #: Prefix of every stream and subject (several platforms may share one server).
    exchange_prefix: str = Field(default="pcip", pattern=r"^[a-z][a-z0-9_]{0,31}$")
    #: Seconds between two passes of the exchange worker (intake of every unit, then the feed).
    exchange_every_seconds: int = Field(default=10, ge=1, le=3600)
    #: Worker threads of ``pcip serve`` for the request handlers that talk to the database.
    #: Few beat many on a small machine: on 2 cores, 4 answered 20-30% more inquiries per second
    #: than 40 (less contention for the interpreter lock; docs/performance.md). At most 40.
    #: The direct inquiry door has a pool of its own of the same size (``pcip.doors.hop``);
    #: the database connection pool (80) always covers both.
    worker_threads: int = Field(default=8, ge=1, le=40)
    #: Server processes of ``pcip serve`` on its one port (issue 22). Unset: one per core
    #: (``os.cpu_count()``) when ``PCIP_REDIS_URL`` is set, else one (with a note saying why).
    #: More than one asked for without ``PCIP_REDIS_URL`` is refused: each process would keep
    #: its own rate limits and counts, and the public limit of Art. 28 would silently multiply.
    workers: int | None = Field(default=None, ge=1, le=64)
    #: Art. 28, docs/audit.md: signed checkpoints of the audit chain's head, outside the
    #: database. The append-only file they are written to (default
    #: ``PCIP_HOME/anchor/checkpoints.jsonl``), the Ed25519 key that signs them (default
    #: ``PCIP_HOME/keys/audit-anchor.key``) and its public half that verifies them (default
    #: the private key's path with ``.pub``).
    audit_checkpoints: Path | None = None
    audit_anchor_key: Path | None = None
    audit_anchor_public_key: Path | None = None
    #: ``pcip serve`` writes a checkpoint at start and whenever this many entries were added
    #: since the last one (checked every 30 s; also hourly if anything was added). 0: never
    #: (an operator's timer runs ``pcip audit checkpoint`` instead).
    audit_checkpoint_every: int = Field(default=1000, ge=0)
    #: Cost of staff password hashes (Argon2id, ``pcip.auth.passwords``): ``standard`` is
    #: RFC 9106's second recommended option (argon2-cffi's defaults: 3 passes over 64 MiB);
    #: ``minimal`` (1 pass over 8 KiB) exists for the test suite only, which hashes hundreds
    #: of passwords. Production refuses to start with anything but ``standard``.
    password_hash_cost: Literal["standard", "minimal"] = "standard"
    #: The written notices to objection applicants (docs/objections.md, "What a notice says";
    #: issue 19.2): the institution that issues them (the public credit service establishment
    #: that runs this platform, Art. 40) and where the applicant asks questions. Each notice
    #: prints them in its language and says they are the operator's published contact. The
    #: defaults are demo values, marked as such: an operator sets its own.
    notice_issuer_zh: str = Field(default="重庆市公共信用信息平台运行机构（演示）", min_length=1)
    notice_issuer_en: str = Field(
        default="Chongqing Public Credit Information Platform operator (demo)", min_length=1
    )
    notice_contact_phone: str = Field(default="023-0000 0000", min_length=1)
    notice_contact_email: str = Field(default="objections@credit.example.cn", min_length=1)
    notice_contact_address_zh: str = Field(
        default="重庆市渝北区示例路100号 信用服务窗口（演示）", min_length=1
    )
    notice_contact_address_en: str = Field(
        default="Credit service window, 100 Shili Road, Yubei District, Chongqing (demo)",
        min_length=1,
    )

    @property
    def uses_dev_idp(self) -> bool:
        return not (self.idp_jwks_url or self.idp_jwks_file)

    @field_validator("port")
    @classmethod
    def _port_range(cls, v: int) -> int:
        if not 1 <= v <= 65535:
            raise ValueError("must be between 1 and 65535")
        return v

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or an embedded SQLite file under ``PCIP_HOME``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'pcip.sqlite3').resolve()}"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def files_dir(self) -> Path:
        return self.home / "files"

    @property
    def checkpoints_path(self) -> Path:
        return self.audit_checkpoints or self.home / "anchor" / "checkpoints.jsonl"

    @property
    def anchor_key_path(self) -> Path:
        return self.audit_anchor_key or self.keys_dir / "audit-anchor.key"

    @property
    def anchor_public_key_path(self) -> Path:
        return self.audit_anchor_public_key or self.anchor_key_path.with_suffix(".pub")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name or 0.0.0.0-like wildcard: reachable from elsewhere


def refuse_unsafe_start(settings: Settings, host: str | None = None) -> None:
    """Refuse to serve where the built-in development identity provider would let anyone
    sign in as anyone (issue 23): in production, or on an address other machines reach.

    Production without a real provider would also answer every subject sign-in with an error;
    refusing to start says what to configure instead. Production also refuses a lowered
    password-hashing cost (``refuse_weak_password_hashing``).
    """
    if settings.uses_dev_idp:
        _refuse_dev_idp_beyond_development(settings, host)
    refuse_weak_password_hashing(settings)


def server_processes(settings: Settings, asked: int | None = None) -> tuple[int, str | None]:
    """How many processes ``pcip serve`` runs, and a note when it runs fewer than the cores.

    ``asked`` (``--workers``) wins over ``PCIP_WORKERS``; neither: one per core. Several
    processes need the shared state in Redis (``PCIP_REDIS_URL``): asked for explicitly
    without it, the start is refused (one line); by default, one process serves instead.
    """
    import os

    explicit = asked if asked is not None else settings.workers
    if explicit is not None and not 1 <= explicit <= 64:
        raise ConfigError(f"--workers must be between 1 and 64, got {explicit}")
    if explicit is not None:
        if explicit > 1 and not settings.redis_url:
            raise ConfigError(
                f"refusing to start {explicit} server processes without PCIP_REDIS_URL: each "
                "would keep its own rate limits and counts (Art. 28); set PCIP_REDIS_URL "
                "(e.g. redis://127.0.0.1:6379/0) or serve with --workers 1"
            )
        return explicit, None
    cores = os.cpu_count() or 1
    if cores > 1 and not settings.redis_url:
        return 1, (
            f"serving with 1 process of {cores} cores: set PCIP_REDIS_URL to serve on every "
            "core (docs/operations.md)"
        )
    return cores, None


def _refuse_dev_idp_beyond_development(settings: Settings, host: str | None) -> None:
    fix = (
        "set PCIP_IDP_JWKS_URL (or PCIP_IDP_JWKS_FILE) and PCIP_IDP_ISSUER to a real "
        "identity provider"
    )
    if settings.environment == "production":
        raise ConfigError(
            "PCIP_ENVIRONMENT is production but no identity provider is configured: the "
            f"built-in development identity provider signs anyone in as anyone; {fix}"
        )
    if host is not None and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve on {host}: without a real identity provider the built-in "
            "development identity provider signs anyone in as anyone, so pcip serves it on "
            f"this machine only (127.0.0.1); {fix}, or serve on 127.0.0.1"
        )


def refuse_weak_password_hashing(settings: Settings) -> None:
    """Production hashes staff passwords at the standard cost: a lowered cost (the test
    suite's) would make stolen hashes cheap to crack (OWASP ASVS 2.4)."""
    if settings.environment == "production" and settings.password_hash_cost != "standard":
        raise ConfigError(
            f"PCIP_PASSWORD_HASH_COST is {settings.password_hash_cost} but PCIP_ENVIRONMENT is "
            "production: production hashes passwords at the standard cost only; unset "
            "PCIP_PASSWORD_HASH_COST (or set it to standard)"
        )


def refuse_demo_in_production(settings: Settings) -> None:
    """Demo data creates staff accounts with published passwords and keys: never in
    production (issue 23)."""
    if settings.environment == "production":
        raise ConfigError(
            "refusing to load demo data: PCIP_ENVIRONMENT is production (demo data creates "
            "staff accounts with published passwords and API keys)"
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except PydanticValidationError as exc:  # pydantic's text is long; name the variable.
        first = exc.errors()[0]
        name = "PCIP_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigError(f"{name} is invalid: {first['msg']}") from exc


def reset_settings() -> None:
    """Forget cached settings (tests and the CLI change the environment)."""
    get_settings.cache_clear()
