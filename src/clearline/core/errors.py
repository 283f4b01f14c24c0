"""Errors that services raise and adapters translate (API: 4xx JSON; console: a message)."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action. ``field`` names the input at fault, when there is one."""

    status_code = 422

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, code="not_found")


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, message: str = "You are not allowed to do this.") -> None:
        super().__init__(message, code="forbidden")


class Conflict(DomainError):
    status_code = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")
