"""Backfilling cases received before Clearline was installed (DFS-34), as ``contract.md`` specifies.

Every line is validated before anything is written; one bad line imports nothing. ``external_id`` is the
key: a line already imported is skipped, so importing the same file twice adds nothing. Imported cases get
no acknowledgement (it would reach customers about old matters) and carry the texts through the same
redaction as every channel.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Customer, Segment
from clearline.audit import services as audit
from clearline.core.references import new_reference

from ..language import SERVED_LANGUAGES
from ..models import (
    Case,
    CaseKind,
    CaseStatus,
    ClassificationChange,
    Direction,
    Method,
    Outcome,
    Purpose,
    Resolution,
    Topic,
    Visibility,
)
from .clocks import refresh_clocks
from .common import Author, create_message, redact, redact_subject
from .intake import customer_with_email

REQUIRED = ("external_id", "kind", "topic", "method", "received_at", "customer", "subject", "body")


@dataclass
class ImportReport:
    imported: int = 0
    skipped_existing: int = 0
    errors: list[str] = field(default_factory=list)  # "line N: reason"


@dataclass(frozen=True)
class _Row:
    line: int
    external_id: str
    kind: str
    topic: str
    method: str
    received_at: datetime
    resolved_at: datetime | None
    outcome: str
    email: str
    segment: str
    language: str
    csat: int | None
    subject: str
    body: str


def _moment(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO 8601 time with its offset")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{name} needs a UTC offset (for example -04:00)")
    return moment


def _resolution(data: dict[str, Any]) -> tuple[datetime, datetime | None, str, int | None]:
    received = _moment(data["received_at"], "received_at")
    resolved = _moment(data["resolved_at"], "resolved_at") if data.get("resolved_at") else None
    outcome = data.get("outcome") or ""
    if resolved is not None and outcome not in Outcome.values:
        raise ValueError("a resolved case needs an outcome: " + ", ".join(Outcome.values))
    if resolved is None and outcome:
        raise ValueError("an outcome needs resolved_at")
    if resolved is not None and resolved < received:
        raise ValueError("resolved_at is before received_at")
    if received > timezone.now():
        raise ValueError("received_at is in the future")
    csat = data.get("csat")
    if csat is not None and (not isinstance(csat, int) or isinstance(csat, bool) or not 1 <= csat <= 5):
        raise ValueError("csat must be a whole number from 1 to 5, or null")
    if csat is not None and resolved is None:
        raise ValueError("csat needs resolved_at")
    return received, resolved, outcome, csat


def _row(line: int, data: Any, topics: set[str]) -> _Row:
    if not isinstance(data, dict):
        raise ValueError("each line must be a JSON object")
    missing = [name for name in REQUIRED if data.get(name) in (None, "")]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    customer = data["customer"]
    if not isinstance(customer, dict) or "@" not in str(customer.get("email", "")):
        raise ValueError("customer.email is required")
    segment = customer.get("segment") or Segment.UNKNOWN
    if segment not in Segment.values:
        raise ValueError("customer.segment must be individual or institutional")
    if data["kind"] not in CaseKind.values:
        raise ValueError("kind must be request or complaint")
    if data["topic"] not in topics:
        raise ValueError(f"unknown topic {data['topic']!r}")
    if data["method"] not in Method.values:
        raise ValueError(f"unknown method {data['method']!r}")
    received, resolved, outcome, csat = _resolution(data)
    language = data.get("language") or "en"
    if language not in SERVED_LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(SERVED_LANGUAGES)}")
    return _Row(
        line=line,
        external_id=str(data["external_id"])[:100],
        kind=data["kind"],
        topic=data["topic"],
        method=data["method"],
        received_at=received,
        resolved_at=resolved,
        outcome=outcome,
        email=str(customer["email"]).strip().lower(),
        segment=segment,
        language=language,
        csat=csat,
        subject=str(data["subject"])[:300],
        body=str(data["body"])[:100_000],
    )


def import_cases(lines: Iterable[str], *, source: str) -> ImportReport:
    """Validate every line, then import the new ones in one transaction; nothing at all on any error."""
    report = ImportReport()
    topics = set(Topic.objects.values_list("key", flat=True))
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            row = _row(number, json.loads(text), topics)
        except (ValueError, TypeError) as error:  # JSONDecodeError is a ValueError
            report.errors.append(f"line {number}: {error}")
            continue
        if row.external_id in seen:
            report.errors.append(f"line {number}: external_id repeats line {seen[row.external_id]}")
            continue
        seen[row.external_id] = number
        rows.append(row)
    if report.errors:
        return report
    existing = set(Case.objects.filter(external_id__in=list(seen)).values_list("external_id", flat=True))
    with transaction.atomic():
        for row in rows:
            if row.external_id in existing:
                report.skipped_existing += 1
                continue
            _store(row, source=source)
            report.imported += 1
    return report


def _store(row: _Row, *, source: str) -> None:
    from clearline.feedback.models import Survey  # feedback reads cases; an import writes both

    now = timezone.now()
    customer = customer_with_email(row.email) or Customer.objects.create(
        email=row.email, segment=row.segment, language=row.language
    )
    case = Case(
        reference=new_reference(),
        external_id=row.external_id,
        kind=row.kind,
        topic_id=row.topic,
        method=row.method,
        language=row.language,
        customer=customer,
        customer_segment=row.segment,
        subject=redact_subject(row.subject)[0],
        received_at=row.received_at,
        resolution_started_at=row.received_at,
        status=CaseStatus.RESOLVED if row.resolved_at else CaseStatus.OPEN,
        resolved_at=row.resolved_at,
        outcome=row.outcome,
        resolution_rationale="Imported history." if row.resolved_at else "",
        ai_involved=row.method == Method.CHAT_AI,
    )
    refresh_clocks(case, now=now)
    case.save(force_insert=True)
    body, redactions = redact(row.body)
    create_message(
        case,
        author=Author.of_customer(customer),
        direction=Direction.INBOUND,
        visibility=Visibility.PUBLIC,
        purpose=Purpose.CUSTOMER_MESSAGE,
        subject=case.subject,
        body=body,
        redacted=redactions,
        at=row.received_at,
    )
    ClassificationChange.objects.create(
        case=case, to_kind=row.kind, to_topic=row.topic, reason="imported", changed_at=now
    )
    if row.resolved_at:
        Resolution.objects.create(
            case=case, outcome=row.outcome, rationale="Imported history.", resolved_at=row.resolved_at
        )
    if row.csat is not None and row.resolved_at:
        Survey.objects.create(
            case=case,
            due_at=row.resolved_at,
            sent_at=row.resolved_at,
            channel="imported",
            answered_at=row.resolved_at,
            score=row.csat,
        )
    audit.record(
        actor=audit.Actor.system("import"),
        action="case.imported",
        target=case,
        new_stream=True,
        data={"external_id": row.external_id, "source": source, "line": row.line},
    )
