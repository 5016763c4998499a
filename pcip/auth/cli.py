"""CLI for accounts and third parties (Art. 22, 39).

``pcip account``, ``pcip grantee`` and ``pcip dev-idp``: operator actions at the server's
console, each calling the same services as the API and writing its audit row.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pcip.doors.terminal import emit
from pcip.kernel.actors import Actor

account_app = typer.Typer(help="Staff accounts (operator, drc, providing-unit staff).")
grantee_app = typer.Typer(help="Authorized third parties and their API keys (Art. 22).")
grantee_key_app = typer.Typer(help="API keys of authorized third parties.")
grantee_app.add_typer(grantee_key_app, name="key")
dev_idp_app = typer.Typer(help="The built-in development identity provider (demo/tests only).")

for sub in (account_app, grantee_app, grantee_key_app, dev_idp_app):
    sub.info.no_args_is_help = True


def _platform() -> Any:
    from pcip.kernel.platform import Platform

    return Platform.open()


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@account_app.command("add")
def account_add(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option(help="operator, drc or provider.")],
    provider: Annotated[
        str | None, typer.Option(help="The unit's USCC (providing-unit staff only).")
    ] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a staff account (the password is asked for, never given on the command line)."""
    from pcip.auth.service import add_account

    password = _read_password(password_stdin)
    with _platform().transaction() as s:
        a = add_account(
            s,
            Actor.cli(),
            username=username,
            password=password,
            role=role,
            display_name=name,
            provider_uscc=provider,
        )
        emit({"account_id": a.id, "username": a.username, "role": a.role})


@account_app.command("disable")
def account_disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account and end its sessions at once."""
    from pcip.auth.service import disable_account

    with _platform().transaction() as s:
        a = disable_account(s, Actor.cli(), username)
        emit({"username": a.username, "disabled_at": a.disabled_at})


@account_app.command("list")
def account_list() -> None:
    from pcip.auth.queries import accounts

    with _platform().transaction() as s:
        for a in accounts(s):
            emit(
                {
                    "username": a.username,
                    "role": a.role,
                    "display_name": a.display_name,
                    "provider_id": a.provider_id,
                    "disabled_at": a.disabled_at,
                }
            )


@grantee_app.command("add")
def grantee_add(
    uscc: Annotated[str, typer.Argument(help="The organisation's USCC.")],
    name: Annotated[str, typer.Argument(help="Its registered name.")],
) -> None:
    """Register an organisation that subjects may authorize (e.g. a bank). Idempotent."""
    from pcip.auth.service import add_grantee

    with _platform().transaction() as s:
        g = add_grantee(s, Actor.cli(), uscc, name)
        emit({"grantee_id": g.id, "uscc": g.uscc, "name": g.name})


@grantee_key_app.command("create")
def grantee_key_create(
    uscc: Annotated[str, typer.Argument(help="The organisation's USCC.")],
    label: Annotated[str, typer.Option(help="What the key is for.")] = "default",
) -> None:
    """Issue an API key for the organisation's systems. Shown once."""
    from pcip.auth.service import create_grantee_key, get_grantee

    with _platform().transaction() as s:
        issued = create_grantee_key(s, Actor.cli(), get_grantee(s, uscc), label)
    emit(
        {
            "key_id": issued.key_id,
            "token": issued.token,
            "note": "shown once; send it as 'Authorization: Bearer <token>'",
        }
    )


@grantee_key_app.command("revoke")
def grantee_key_revoke(key_id: Annotated[str, typer.Argument(help="The key id.")]) -> None:
    from pcip.auth.service import revoke_grantee_key

    with _platform().transaction() as s:
        key = revoke_grantee_key(s, Actor.cli(), key_id)
        emit({"key_id": key.key_id, "revoked_at": key.revoked_at})


@dev_idp_app.command("assert")
def dev_idp_assert(
    id_number: Annotated[str, typer.Argument(help="Citizen ID, document number or USCC.")],
    name: Annotated[str, typer.Option(help="The name to assert.")],
    id_type: Annotated[str, typer.Option(help="citizen_id, document or uscc.")] = "citizen_id",
    document_type: Annotated[str | None, typer.Option(help="For documents.")] = None,
    document_country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3.")] = None,
) -> None:
    """Sign a real-name assertion with the development identity provider (verifies nobody).

    Exchange it at POST /api/v1/auth/subject for a session token.
    """
    from pcip.auth.dev_idp import WARNING, DevIdentityProvider
    from pcip.config import get_settings

    settings = get_settings()
    if not settings.uses_dev_idp or settings.environment == "production":
        from pcip.errors import ConfigError

        raise ConfigError("the development identity provider is not in use on this platform")
    idp = DevIdentityProvider.load_or_create(settings.keys_dir)
    token = idp.issue(
        name=name,
        id_type=id_type,
        id_number=id_number,
        document_type=document_type,
        document_country=document_country,
        audience=settings.idp_audience,
    )
    emit({"assertion": token, "warning": WARNING})
