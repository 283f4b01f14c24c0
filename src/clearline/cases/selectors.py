"""Reads of cases: the queue, one case, its timeline. Querysets with the joins the callers need."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.dateparse import parse_datetime

from clearline.accounts.models import Customer, Staff
from clearline.accounts.permissions import Capability, require
from clearline.core.errors import DomainError, NotFound
from clearline.core.references import normalise_reference

from .models import OPEN_STATUSES, Case, ClassificationChange, Macro, Message, Topic, Visibility

QUEUE_PAGE_SIZE = 50


def get_case(reference: str) -> Case:
    normalised = normalise_reference(reference)
    case = (
        Case.objects.select_related("topic", "customer", "assignee").filter(reference=normalised).first()
        if normalised
        else None
    )
    if case is None:
        raise NotFound("No case with that reference.")
    return case


def get_case_for_staff(reference: str, *, staff: Staff) -> Case:
    require(staff, Capability.CASE_VIEW)
    return get_case(reference)


def get_case_for_customer(reference: str, *, customer: Customer) -> Case:
    """Customers see only their own cases; someone else's reference answers exactly like an unknown one."""
    case = get_case(reference)
    if case.customer_id != customer.pk:
        raise NotFound("No case with that reference.")
    return case


def case_of_customer(reference: str, email: str) -> Case | None:
    """The case with this reference if it is this email address's; else None, alike for unknown ones."""
    return (
        Case.objects.alias(email_lower=Lower("customer__email"))
        .filter(reference=reference.strip().upper()[:20], email_lower=email.strip().lower())
        .first()
    )


def list_timeline(case: Case, *, include_internal: bool) -> list[Message]:
    messages = Message.objects.filter(case=case).select_related("author_staff").order_by("created_at", "id")
    if not include_internal:
        messages = messages.filter(visibility=Visibility.PUBLIC)
    return list(messages)


def list_classification_history(case: Case) -> list[ClassificationChange]:
    return list(case.classification_changes.select_related("changed_by"))


def list_active_topics() -> list[Topic]:
    return list(Topic.objects.filter(is_active=True))


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    next_cursor: str | None


def _encode_cursor(case: Case) -> str:
    raw = f"{case.next_due_at.isoformat() if case.next_due_at else ''}|{case.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due_text, pk_text = raw.split("|", 1)
        due = parse_datetime(due_text) if due_text else None
        if due_text and due is None:
            raise ValueError(due_text)
        return due, int(pk_text)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise DomainError("The cursor is not valid; start again without it.", field="cursor") from error


def list_queue(
    *,
    staff: Staff,
    cursor: str | None = None,
    limit: int = QUEUE_PAGE_SIZE,
    kind: str | None = None,
    topic: str | None = None,
    method: str | None = None,
    assignee: Staff | None = None,
    unassigned: bool = False,
) -> QueuePage:
    """Open cases, what is due next first (keyset pagination on the partial index ``case_queue_idx``)."""
    require(staff, Capability.CASE_VIEW)
    cases: QuerySet[Case] = Case.objects.filter(status__in=OPEN_STATUSES).select_related(
        "topic", "assignee", "customer"
    )
    if kind:
        cases = cases.filter(kind=kind)
    if topic:
        cases = cases.filter(topic_id=topic)
    if method:
        cases = cases.filter(method=method)
    if assignee is not None:
        cases = cases.filter(assignee=assignee)
    elif unassigned:
        cases = cases.filter(assignee__isnull=True)
    if cursor:
        due, pk = _decode_cursor(cursor)
        if due is None:  # cases without a deadline sort last
            cases = cases.filter(next_due_at__isnull=True, id__gt=pk)
        else:
            cases = cases.filter(
                Q(next_due_at__gt=due) | Q(next_due_at=due, id__gt=pk) | Q(next_due_at__isnull=True)
            )
    rows = list(cases.order_by("next_due_at", "id")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return QueuePage(cases=rows, next_cursor=_encode_cursor(rows[-1]) if has_more and rows else None)


def list_macros(*, language: str | None = None) -> QuerySet[Macro]:
    macros = Macro.objects.filter(is_active=True).order_by("name", "language")
    return macros.filter(language=language) if language else macros


def get_macro(macro_id: int) -> Macro:
    macro = Macro.objects.filter(pk=macro_id, is_active=True).first()
    if macro is None:
        raise NotFound("No such macro.")
    return macro
