"""Declaring notices, posting their updates, and tagging the cases they affect (DFS-22, CRY-05)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.cases.language import SERVED_LANGUAGES
from clearline.cases.models import OPEN_STATUSES, Case, Topic
from clearline.cases.services import send_status_update
from clearline.core.cache import forget_now_and_after_commit
from clearline.core.errors import DomainError
from clearline.core.jobs import enqueue_on_commit

from .models import (
    FINAL_STAGES,
    INCIDENT_STAGES,
    MAINTENANCE_STAGES,
    Component,
    Impact,
    Notice,
    NoticeCase,
    NoticeKind,
    NoticeUpdate,
    Stage,
)
from .selectors import active_notices, forget_open_notices

MAINTENANCE_NOTICE = timedelta(hours=24)  # DFS-22 default: planned events are announced a day ahead
MAX_TEXT = 2000


def _texts(value: Mapping[str, str] | None, *, field: str, required: bool) -> dict[str, str]:
    """Per-language plain text; English is the fallback every language falls back to, so it is required."""
    texts = {str(k): str(v).strip() for k, v in (value or {}).items() if str(v).strip()}
    if required and not texts.get("en"):
        raise DomainError(
            "An English text is required (other languages fall back to it).", field=f"{field}.en"
        )
    if texts and "en" not in texts:
        raise DomainError("Give the English text too: other languages fall back to it.", field=f"{field}.en")
    for language, text in texts.items():
        if language not in SERVED_LANGUAGES or len(text) > MAX_TEXT:
            raise DomainError(
                f"Texts are per language ({', '.join(SERVED_LANGUAGES)}), at most {MAX_TEXT} characters.",
                field=field,
            )
    return texts


def declare_notice(
    *,
    by: Staff,
    kind: str,
    titles: Mapping[str, str],
    impact: str,
    components: Iterable[str],
    first_update: Mapping[str, str],
    topics: Iterable[str] = (),
    intake_notices: Mapping[str, str] | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    short_notice_reason: str = "",
) -> Notice:
    """An incident (starts now or earlier) or a planned maintenance (announced at least a day ahead)."""
    require(by, Capability.NOTICE_MANAGE)
    now = timezone.now()
    if kind not in NoticeKind.values:
        raise DomainError("Kind must be incident or maintenance.", field="kind")
    if impact not in Impact.values:
        raise DomainError(f"Impact must be one of {', '.join(Impact.values)}.", field="impact")
    component_rows = list(Component.objects.filter(key__in=list(components)))
    if not component_rows:
        raise DomainError("Name at least one known component.", field="components")
    topic_keys = sorted(set(topics))
    known_topics = set(Topic.objects.filter(key__in=topic_keys).values_list("key", flat=True))
    if set(topic_keys) - known_topics:
        raise DomainError(
            f"Unknown topics: {', '.join(sorted(set(topic_keys) - known_topics))}.", field="topics"
        )
    start = starts_at or now
    if kind == NoticeKind.INCIDENT:
        if start > now:
            raise DomainError("An incident has started; plan future work as maintenance.", field="starts_at")
        stage = Stage.INVESTIGATING
    else:
        if ends_at is None or ends_at <= start:
            raise DomainError("A maintenance needs a window: ends_at after starts_at.", field="ends_at")
        if start - now < MAINTENANCE_NOTICE and not short_notice_reason.strip():
            raise DomainError(
                "Planned maintenance is announced at least 24 hours ahead; give a reason for shorter notice.",
                field="starts_at",
            )
        stage = Stage.SCHEDULED
    with transaction.atomic():
        notice = Notice.objects.create(
            kind=kind,
            titles=_texts(titles, field="titles", required=True),
            intake_notices=_texts(intake_notices, field="intake_notices", required=False),
            impact=impact,
            stage=stage,
            topics=topic_keys,
            starts_at=start,
            ends_at=ends_at,
            declared_at=now,
            declared_by=by,
        )
        notice.components.set(component_rows)
        NoticeUpdate.objects.create(
            notice=notice,
            stage=stage,
            bodies=_texts(first_update, field="first_update", required=True),
            posted_at=now,
            posted_by=by,
        )
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="notice.declared",
            target=notice,
            new_stream=True,
            data={
                "kind": kind,
                "impact": impact,
                "components": sorted(c.key for c in component_rows),
                "topics": topic_keys,
                "starts_at": start.isoformat(),
                "ends_at": ends_at.isoformat() if ends_at else None,
                "short_notice_reason": short_notice_reason.strip(),
            },
        )
        forget_now_and_after_commit(forget_open_notices)
    return notice


def post_update(
    notice: Notice, *, by: Staff, stage: str, bodies: Mapping[str, str], notify_cases: bool = True
) -> NoticeUpdate:
    """A new stage or news; with ``notify_cases`` linked open cases get it as a status update (CRY-05)."""
    require(by, Capability.NOTICE_MANAGE)
    allowed = INCIDENT_STAGES if notice.kind == NoticeKind.INCIDENT else MAINTENANCE_STAGES
    if stage not in allowed:
        raise DomainError(f"Stage must be one of {', '.join(allowed)}.", field="stage")
    now = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.closed_at is not None:
            raise DomainError("This notice is closed; declare a new one.", code="invalid_state")
        update = NoticeUpdate.objects.create(
            notice=notice,
            stage=stage,
            bodies=_texts(bodies, field="bodies", required=True),
            posted_at=now,
            posted_by=by,
        )
        notice.stage = stage
        notice.closed_at = now if stage in FINAL_STAGES else None
        notice.save(update_fields=["stage", "closed_at"])
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="notice.updated",
            target=notice,
            data={"update_id": update.pk, "stage": stage, "notify_cases": notify_cases},
        )
        forget_now_and_after_commit(forget_open_notices)
        if notify_cases:
            from . import tasks  # tasks import services

            enqueue_on_commit(tasks.send_update_to_linked_cases, update.pk)
    return update


def send_update_to_linked_cases(update_id: int) -> int:
    """One customer-facing status update per linked open case, in the case's language. A retry skips the
    cases already told: the link records the last update sent, in the same transaction as the message."""
    update = NoticeUpdate.objects.select_related("notice").get(pk=update_id)
    notice = update.notice
    pending = NoticeCase.objects.filter(notice=notice, case__status__in=OPEN_STATUSES).filter(
        Q(last_update_sent__isnull=True) | Q(last_update_sent__lt=update.pk)
    )
    sent = 0
    for link in pending.select_related("case__topic").order_by("pk").iterator():
        case = link.case
        extra = {"notice_title": notice.title(case.language), "update": update.body(case.language)}
        with transaction.atomic():
            if send_status_update(
                case, template="notice_update", extra=extra, reason=f"notice update {update.pk}"
            ):
                sent += 1
            link.last_update_sent = update
            link.save(update_fields=["last_update_sent"])
    NoticeUpdate.objects.filter(pk=update.pk).update(cases_updated=F("cases_updated") + sent)
    return sent


def link_new_case(sender: type[Case], case: Case, **_: Any) -> None:
    """Tag a new case with each active notice it is about (DFS-22: contacts during an incident are tagged)."""
    network, asset = case.details.get("network"), case.details.get("asset")
    matching = [
        notice
        for notice in active_notices()
        if notice.affects(topic=case.topic_id, network=network, asset=asset)
    ]
    if matching:
        now = timezone.now()
        NoticeCase.objects.bulk_create(
            [NoticeCase(notice_id=notice.id, case=case, linked_at=now) for notice in matching],
            ignore_conflicts=True,
        )
