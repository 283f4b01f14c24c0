"""The daily reconciliation of inbound contacts against cases (DFS-23): zero orphans, or an alert.

Contact records are what a channel stores before (or instead of) a case: today the stored email. A record
is an orphan when it sits unprocessed for more than an hour, or claims a case it is not on; the other way
round, an email case with no stored original is missing its record (DFS-25). Web forms and the API open
their case in the same request that receives them, so they have nothing to reconcile.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from clearline.audit import services as audit
from clearline.cases.models import Case
from clearline.channels.email.models import InboundEmail, InboundStatus
from clearline.org.selectors import local_period

from .models import ContactReconciliation

logger = logging.getLogger(__name__)

PROCESSING_GRACE = timedelta(hours=1)


def reconcile_inbound_contacts(day: date) -> ContactReconciliation:
    """Count and list; store the result for examiners; an alert (audit event, error log) on any orphan."""
    start, end = local_period(day, day + timedelta(days=1))
    now = timezone.now()
    emails = InboundEmail.objects.filter(received_at__gte=start, received_at__lt=end)
    counts = emails.aggregate(
        contacts=Count("pk"),
        on_cases=Count("pk", filter=Q(status=InboundStatus.FILED, case__isnull=False)),
        quarantined=Count("pk", filter=Q(status=InboundStatus.QUARANTINED)),
    )
    orphans: list[dict[str, Any]] = [
        {"record": "email", "id": row["pk"], "message_id": row["message_id"], "reason": "not processed"}
        for row in emails.filter(status=InboundStatus.RECEIVED, received_at__lt=now - PROCESSING_GRACE)
        .values("pk", "message_id")
        .order_by("pk")[:1000]
    ]
    orphans += [
        {
            "record": "email",
            "id": row["pk"],
            "message_id": row["message_id"],
            "reason": "filed without a case",
        }
        for row in emails.filter(status=InboundStatus.FILED)
        .filter(Q(case__isnull=True) | Q(case_message__isnull=True))
        .values("pk", "message_id")[:1000]
    ]
    orphans += [
        {
            "record": "case",
            "id": row["pk"],
            "reference": row["reference"],
            "reason": "email case without its stored original",
        }
        for row in Case.objects.filter(
            method="email", received_at__gte=start, received_at__lt=end, external_id__isnull=True
        )
        .exclude(Exists(InboundEmail.objects.filter(case=OuterRef("pk"))))
        .values("pk", "reference")[:1000]
    ]
    with transaction.atomic():
        result, _ = ContactReconciliation.objects.update_or_create(
            day=day,
            defaults={"checked_at": now, "orphans": orphans, **counts},
        )
        audit.record(
            actor=audit.Actor.system("reconciliation"),
            action="contacts.reconciled" if not orphans else "contacts.orphans_found",
            target=result,
            data={"day": day.isoformat(), **counts, "orphans": len(orphans)},
        )
    if orphans:
        logger.error(
            "DFS-23 reconciliation of %s: %s inbound contact(s) belong to no case", day, len(orphans)
        )
    return result


def recent_reconciliations(days: int = 14) -> list[ContactReconciliation]:
    return list(ContactReconciliation.objects.order_by("-day")[:days])


def reconciliation_out(row: ContactReconciliation) -> dict[str, Any]:
    return {
        "day": row.day,
        "checked_at": row.checked_at,
        "contacts": row.contacts,
        "on_cases": row.on_cases,
        "quarantined": row.quarantined,
        "orphans": row.orphans,
    }
