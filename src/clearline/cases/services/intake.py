"""Opening a case: the one way a case comes into existence, for every channel."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from clearline.accounts.models import Customer, Segment
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.core.errors import DomainError
from clearline.core.references import new_reference
from clearline.core.rows import GuardedUpdate, fetch_rows, insert_chain, one_statement_chains
from clearline.crypto.details import clean_details

from .. import rules
from ..complaint_detection import detect_dissatisfaction
from ..language import SERVED_LANGUAGES, detect_language
from ..models import (
    REGULATOR_METHODS,
    Case,
    CaseKind,
    ClassificationChange,
    Direction,
    Message,
    Method,
    Purpose,
    Visibility,
)
from ..signals import case_opened
from .acknowledgement import build_automatic_message
from .clocks import refresh_clocks
from .common import (
    Author,
    active_topic,
    build_message,
    enqueue_delivery,
    enqueue_routing,
    redact,
    redact_subject,
)

# A channel's rows written with a new case, and its row the case files: see open_case.
WrittenWith = Callable[[Case, Message], tuple[Sequence[Model], GuardedUpdate]]

PHONE_NUMBER = re.compile(r"\+[1-9][0-9]{6,14}")


def _validated_customer_fields(
    email: str, *, phone: str, name: str, segment: str | None, language: str
) -> dict[str, str]:
    address = email.strip().lower()
    if (address or not phone) and ("@" not in address or len(address) > 254):
        raise DomainError("A valid customer email address is required.", field="customer.email")
    if phone and not PHONE_NUMBER.fullmatch(phone):
        raise DomainError("A phone number must be in E.164 form, e.g. +12125550142.", field="customer.phone")
    if segment is not None and segment not in Segment.values:
        raise DomainError("Segment must be individual, institutional or unknown.", field="customer.segment")
    return {
        "email": address,
        "phone": phone,
        "name": name[:200],
        "segment": segment or Segment.UNKNOWN,
        "language": language,
    }


# The case-insensitive unique index on LOWER(email) is partial (callers known by phone only have none), so
# the lookup repeats its condition word for word: without it neither database can use the index, and every
# new customer's lookup scans the table. Plain SQL: asked at every intake, the ORM's compile cost 1 ms.
CUSTOMER_BY_EMAIL = "SELECT * FROM accounts_customer WHERE LOWER(email) = %s AND NOT (email = '') LIMIT 1"


def customer_with_email(address: str) -> Customer | None:
    """The customer with this (lower-cased) address."""
    found = fetch_rows(Customer, CUSTOMER_BY_EMAIL, [address])
    return found[0] if found else None


def _known_customer(fields: dict[str, str]) -> Customer | None:
    """By email when given (the unique key), else the earliest customer with that phone number."""
    customer = customer_with_email(fields["email"]) if fields["email"] else None
    if customer is None and fields["phone"]:
        customer = Customer.objects.filter(phone=fields["phone"]).order_by("pk").first()
    return customer


def _with_given_details(customer: Customer, fields: dict[str, str], *, segment: str | None) -> Customer:
    """An existing customer, with a segment given at intake and a phone number it lacked stored."""
    changed = []
    if segment and customer.segment != segment:
        customer.segment = segment
        changed.append("segment")
    if fields.get("phone") and not customer.phone:  # a caller who also gave an address: both kept
        customer.phone = fields["phone"]
        changed.append("phone")
    if changed:
        customer.save(update_fields=changed)
    return customer


def _acknowledgement(case: Case, *, at: datetime, secrets_removed: bool) -> Message:
    """DFS-12: reference, next steps and estimates at any hour, once per case (a unique constraint); tells
    the customer when a pasted secret was removed and what to do (CRY-03)."""
    return build_automatic_message(
        case,
        template="acknowledgement",
        purpose=Purpose.ACKNOWLEDGEMENT,
        at=at,
        extra={"secrets_removed": secrets_removed},
    )


def open_case(
    *,
    by: Author,
    customer_email: str,
    subject: str,
    body: str,
    topic: str,
    method: str,
    customer_name: str = "",
    customer_phone: str = "",
    customer_segment: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    details: dict[str, Any] | None = None,
    related_reference: str | None = None,
    received_at: datetime | None = None,
    sender_is_automatic: bool = False,
    written_with: WrittenWith | None = None,
) -> Case:
    """The one way a case comes into existence, for every channel.

    A caller may be known by ``customer_phone`` alone (``customer_email`` empty).
    ``sender_is_automatic`` (an auto-reply or a bounce that a channel still files) stores the case without an
    acknowledgement: answering an automatic sender starts mail loops.
    ``written_with`` gives a channel's own rows to write with the case, and its row that the case files
    (an email's attachments, and the stored email guarded so that one worker files it); it is called with
    the unsaved case and first message. ``GuardFailed`` when that row's guard no longer holds: no case.
    """
    if by.staff is not None:
        require(by.staff, Capability.CASE_CREATE)
    method_code = rules.ensure_valid_method(method)
    requested_kind = rules.ensure_valid_kind(kind) if kind else None
    subject_text, subject_redactions = redact_subject(
        rules.ensure_text(subject, field="subject", max_length=rules.MAX_SUBJECT_LENGTH)
    )
    body_text, body_redactions = redact(
        rules.ensure_text(body, field="body", max_length=rules.MAX_BODY_LENGTH)
    )
    if language is not None and language not in SERVED_LANGUAGES:
        raise DomainError(f"Language must be one of {', '.join(SERVED_LANGUAGES)}.", field="language")
    case_language = language or detect_language(f"{subject_text}\n{body_text}")
    signal = detect_dissatisfaction(f"{subject_text}\n{body_text}", language=case_language)
    case_kind = rules.kind_at_intake(
        requested=requested_kind, method=method_code, dissatisfaction=signal.is_complaint
    )
    now = timezone.now()
    received = received_at or now

    intake = _Intake(
        by=by,
        topic=topic,
        method=method_code,
        kind=case_kind,
        requested_kind=requested_kind,
        language=case_language,
        subject=subject_text,
        body=body_text,
        redactions=sorted(set(subject_redactions + body_redactions)),
        complaint_rules=signal.matched,
        customer_email=customer_email,
        customer_phone=customer_phone,
        customer_name=customer_name,
        customer_segment=customer_segment,
        details=details or {},
        related_reference=related_reference,
        received=received,
        now=now,
        acknowledge=not sender_is_automatic,
    )
    prepared = _prepare_new_case(intake)
    # The case and its first rows are written by one insert_chain: on PostgreSQL one statement, atomic by
    # itself, so no transaction is opened for it. Inside a caller's transaction (an email filed with a note
    # on a refused attachment) the writes join it without a savepoint (two round trips): nothing here is
    # retried after an error. A lost guard (written_with) rolls back only the case, as the statement would.
    guarded = written_with is not None
    with nullcontext() if one_statement_chains(Case) else transaction.atomic(savepoint=guarded):
        case = _store_new_case(intake, prepared, written_with)
    case_opened.send(sender=Case, case=case)
    return case


@dataclass(frozen=True)
class _Intake:
    """A validated, redacted and classified intake, ready to be stored."""

    by: Author
    topic: str
    method: Method
    kind: CaseKind
    requested_kind: CaseKind | None
    language: str
    subject: str
    body: str
    redactions: list[str]
    complaint_rules: tuple[str, ...]
    customer_email: str
    customer_phone: str
    customer_name: str
    customer_segment: str | None
    details: dict[str, Any]
    related_reference: str | None
    received: datetime
    now: datetime
    acknowledge: bool


def _intake_reason(intake: _Intake) -> str:
    if intake.kind in (intake.requested_kind, CaseKind.REQUEST):
        return "intake"
    return "regulator referral" if intake.method in REGULATOR_METHODS else "dissatisfaction detected"


@dataclass(frozen=True)
class _PreparedCase:
    case: Case  # unsaved and without its customer, who may not exist yet
    found_customer: Customer | None  # by email, when the intake names one
    customer_fields: dict[str, str]  # validated, to create that customer; empty for a signed-in customer
    acknowledgement: Message | None


def _prepare_new_case(intake: _Intake) -> _PreparedCase:
    """Reads and computation (deadlines, the rendered acknowledgement) before the write transaction: on
    SQLite every writer queues on one lock, so what runs outside it is throughput for every channel."""
    topic_row = active_topic(intake.topic)
    details = clean_details(topic_row.intake_form, intake.details)
    related = None
    if intake.related_reference:
        related = Case.objects.filter(reference=intake.related_reference.strip().upper()).first()
        if related is None:
            raise DomainError("No case with that earlier reference.", field="related_reference")
    fields: dict[str, str] = {}
    found = None
    if intake.by.customer is None:
        fields = _validated_customer_fields(
            intake.customer_email,
            phone=intake.customer_phone,
            name=intake.customer_name,
            segment=intake.customer_segment,
            language=intake.language,
        )
        found = _known_customer(fields)
    case = Case(
        reference=new_reference(),
        kind=intake.kind,
        topic=topic_row,
        method=intake.method,
        language=intake.language,
        subject=intake.subject,
        details=details,
        related_case=related,
        received_at=intake.received,
        # The acknowledgement is stored in the same transaction as the case; it is the first customer update.
        acknowledged_at=intake.now if intake.acknowledge else None,
        last_customer_update_at=intake.now if intake.acknowledge else None,
        resolution_started_at=intake.received,
        ai_involved=intake.method == Method.CHAT_AI,
    )
    refresh_clocks(case, now=intake.now)
    return _PreparedCase(
        case=case,
        found_customer=found,
        customer_fields=fields,
        acknowledgement=(
            _acknowledgement(case, at=intake.now, secrets_removed=bool(intake.redactions))
            if intake.acknowledge
            else None
        ),
    )


def _store_new_case(intake: _Intake, prepared: _PreparedCase, written_with: WrittenWith | None) -> Case:
    """The writes of ``open_case``: a new customer, the case, its messages, its classification and the first
    event of its audit stream, in one ``insert_chain`` (one statement on PostgreSQL: every intake pays it)."""
    case, acknowledgement = prepared.case, prepared.acknowledgement
    customer = intake.by.customer or prepared.found_customer
    if customer is not None and intake.by.customer is None:
        customer = _with_given_details(customer, prepared.customer_fields, segment=intake.customer_segment)
    for _attempt in range(3):
        case.customer = customer or Customer(**prepared.customer_fields)
        new_customer = None if case.customer is customer else case.customer
        case.customer_segment = case.customer.segment
        inbound, rows = _rows_of_new_case(intake, case, acknowledgement)
        leading = [new_customer, case] if new_customer is not None else [case]
        then = None
        if written_with is not None:
            channel_rows, then = written_with(case, inbound)
            rows += channel_rows
        written = insert_chain([*leading, *rows], may_conflict=len(leading), then=then)
        if written == len(leading) + len(rows):
            break
        if new_customer is not None and written == 0:  # a concurrent intake created the same customer
            customer = customer_with_email(prepared.customer_fields["email"])
            if customer is None:
                raise DomainError("The customer could not be stored; try again.", code="retry")
            customer = _with_given_details(
                customer, prepared.customer_fields, segment=intake.customer_segment
            )
            continue
        customer = customer or new_customer  # stored; the reference was taken (1 in ~10^6 at a million cases)
        case.reference = new_reference()
        if acknowledgement is not None:  # its text names the reference
            acknowledgement = _acknowledgement(case, at=intake.now, secrets_removed=bool(intake.redactions))
    else:
        raise DomainError("Could not allocate a case reference; try again.", code="retry")
    case.opening_message = inbound
    if acknowledgement is not None:
        enqueue_delivery(acknowledgement)
    enqueue_routing(case)
    return case


def _rows_of_new_case(
    intake: _Intake, case: Case, acknowledgement: Message | None
) -> tuple[Message, list[Any]]:
    """The rows written with a new case: its first messages, its classification, its opening audit event."""
    # The first message is the customer's words even when staff enter it for them (a call, a letter).
    inbound = build_message(
        case,
        author=Author.of_customer(case.customer),
        direction=Direction.INBOUND,
        visibility=Visibility.PUBLIC,
        purpose=Purpose.CUSTOMER_MESSAGE,
        subject=intake.subject,
        body=intake.body,
        redacted=intake.redactions,
        complaint_rules=intake.complaint_rules,
        at=intake.received,
    )
    classification = ClassificationChange(
        case=case,
        to_kind=intake.kind,
        to_topic=case.topic.key,
        reason=_intake_reason(intake),
        is_automatic=intake.requested_kind != intake.kind,
        changed_by=intake.by.staff,
        changed_at=intake.now,
    )
    opened = audit.opening_event(
        actor=intake.by.actor(),
        action="case.opened",
        target=case,
        data={
            "kind": intake.kind,
            "topic": case.topic.key,
            "method": intake.method,
            "language": intake.language,
            "received_at": intake.received.isoformat(),
            "complaint_rules": list(intake.complaint_rules),
            "redacted": intake.redactions,
            "acknowledged_at": _iso(case.acknowledged_at),
            "first_response_due_at": _iso(case.first_response_due_at),
            "resolution_due_at": _iso(case.resolution_due_at),
            "service_policy": case.service_policy_id,
            "related_case": case.related_case.reference if case.related_case else None,
        },
    )
    messages = [inbound] if acknowledgement is None else [inbound, acknowledgement]
    return inbound, [*messages, classification, opened]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
