"""Errors that carry a precise, user-facing reason.

Every error a user can cause names the field and the reason, and has a stable code that
API responses, CLI output and batch reports share. Its message is a coded
:class:`pcip.kernel.messages.Message` (a code and parameters, worded in both languages) or,
where no one reads it in another language yet, an English string; ``message_key`` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class PcipError(Exception):
    """Base class: a problem the user can understand and fix."""

    code: str = "error"
    http_status: int = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    @property
    def message_key(self) -> str | None:
        """The code of the coded message (``pcip.kernel.messages``), None for plain text."""
        # Read by duck typing: this module stands below the kernel (pyproject's layers).
        key = getattr(self.message, "key", None)
        return key if isinstance(key, str) else None

    def message_in(self, locale: str) -> str:
        """The message in ``locale`` (a plain-text message as it is)."""
        render = getattr(self.message, "render", None)
        return str(render(locale)) if callable(render) else self.message

    def as_dict(self, locale: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message_in(locale)}
        if self.field is not None:
            out["field"] = self.field
        return out

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationError(PcipError):
    code = "invalid"
    http_status = 422


class NotFound(PcipError):
    code = "not_found"
    http_status = 404


class Conflict(PcipError):
    code = "conflict"
    http_status = 409


class Unauthorized(PcipError):
    code = "unauthorized"
    http_status = 401


class TooLarge(PcipError):
    code = "too_large"
    http_status = 413


class Forbidden(PcipError):
    code = "forbidden"
    http_status = 403


class RateLimited(PcipError):
    """Art. 28: too many requests from one client; ``retry_after`` says when to try again."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(PcipError):
    """Something the answer needs is missing or under maintenance (a file not restored, a key
    rotation under way); the message names it. Not the caller's fault: 503."""

    code = "unavailable"
    http_status = 503


class ConfigError(PcipError):
    """A setting, key file or database URL is wrong; the message says which and how to fix it."""

    code = "config"
    http_status = 500


class FieldErrors(ValidationError):
    """Several fields of one submission refused at once (issue 19.8): ``errors`` lists each
    field's own error, in the form's order; the first is this error's message and field, so
    a caller that knows one error only still reads a precise one."""

    def __init__(self, errors: Sequence[PcipError]) -> None:
        first = errors[0]
        super().__init__(first.message, field=first.field, code=first.code)
        self.errors = list(errors)

    def as_dict(self, locale: str = "en") -> dict[str, Any]:
        out = super().as_dict(locale)
        out["errors"] = [e.as_dict(locale) for e in self.errors]
        return out


class Collect:
    """Check every field of a submission before refusing it (issue 19.8)::

        problems = Collect()
        with problems:
            ground = _choice(ground, GROUNDS, "ground")
        with problems:
            statement = _text(statement, "statement")
        problems.raise_any()

    A ``ValidationError`` inside a ``with`` block is kept (one per field: a later error on a
    field already refused is dropped) and the block is left; ``raise_any`` raises the one
    error, or a ``FieldErrors`` naming each field. Other errors pass through at once.
    """

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def __enter__(self) -> Collect:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object
    ) -> bool:
        if isinstance(exc, FieldErrors):
            for e in exc.errors:
                self._keep(e)
            return True
        if isinstance(exc, ValidationError):
            self._keep(exc)
            return True
        return False

    def _keep(self, error: PcipError) -> None:
        if isinstance(error, ValidationError) and all(e.field != error.field for e in self.errors):
            self.errors.append(error)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FieldErrors(self.errors)
