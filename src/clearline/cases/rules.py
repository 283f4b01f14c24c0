"""Pure rules of the case lifecycle: no ORM, no I/O. Services call them and raise what they return."""

from __future__ import annotations

from clearline.core.errors import DomainError

from .models import ADVERSE_OUTCOMES, OPEN_STATUSES, REGULATOR_METHODS, CaseKind, CaseStatus, Method, Outcome

MAX_SUBJECT_LENGTH = 300
MAX_BODY_LENGTH = 100_000


def ensure_valid_method(method: str) -> Method:
    if method not in Method.values:
        raise DomainError(
            f"Unknown method {method!r}; expected one of {', '.join(Method.values)}.", field="method"
        )
    return Method(method)


def ensure_valid_kind(kind: str) -> CaseKind:
    if kind not in CaseKind.values:
        raise DomainError("Kind must be 'request' or 'complaint'.", field="kind")
    return CaseKind(kind)


def ensure_text(value: str, *, field: str, max_length: int) -> str:
    """Trimmed, without NUL characters (a broken client's; PostgreSQL text cannot hold them), not empty."""
    text = value.replace("\x00", "").strip()
    if not text:
        raise DomainError(f"{field.capitalize()} must not be empty.", field=field)
    if len(text) > max_length:
        raise DomainError(f"{field.capitalize()} is longer than {max_length} characters.", field=field)
    return text


def kind_at_intake(*, requested: CaseKind | None, method: Method, dissatisfaction: bool) -> CaseKind:
    """Regulator referrals are always complaints; expressed dissatisfaction makes a complaint (§5.1)."""
    if method in REGULATOR_METHODS or dissatisfaction or requested == CaseKind.COMPLAINT:
        return CaseKind.COMPLAINT
    return CaseKind.REQUEST


def ensure_can_resolve(*, status: str, outcome: str, rationale: str, explanation: str) -> Outcome:
    if status not in OPEN_STATUSES:
        raise DomainError("Only an open case can be resolved.", field="status", code="invalid_state")
    if outcome not in Outcome.values:
        raise DomainError(f"Outcome must be one of {', '.join(Outcome.values)}.", field="outcome")
    if not rationale.strip():
        raise DomainError("Say why the case is resolved this way (rationale).", field="rationale")  # DFS-03
    if outcome in ADVERSE_OUTCOMES and not explanation.strip():
        # DFS-20: a customer who gets less than they asked for is told why, in writing, before closing.
        raise DomainError(
            "A partially resolved or not resolved case needs an explanation for the customer.",
            field="explanation",
        )
    return Outcome(outcome)


def ensure_can_reopen(*, status: str) -> None:
    if status != CaseStatus.RESOLVED:
        raise DomainError("Only a resolved case can be reopened.", field="status", code="invalid_state")
