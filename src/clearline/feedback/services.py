"""Satisfaction surveys (DFS-24): scheduled when a case is resolved, sent when due, answered once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from clearline.audit import services as audit
from clearline.cases.models import Case, CaseStatus, Purpose
from clearline.cases.services import send_automatic_message
from clearline.cases.services.common import redact
from clearline.core.errors import DomainError
from clearline.org.selectors import organisation_for_texts, public_website

from .models import Survey

LINK_LIFETIME = timedelta(days=30)
MAX_COMMENT = 2000
SEND_BATCH = 200


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def schedule_survey(sender: type[Case], case: Case, **_: Any) -> None:
    """At resolution: due after the organisation's delay. A case re-resolved before its survey went out
    moves the due time; a survey already sent stays the one survey of the case."""
    delay = timedelta(minutes=organisation_for_texts().survey_delay_minutes)
    due = (case.resolved_at or timezone.now()) + delay
    survey, created = Survey.objects.get_or_create(case=case, defaults={"due_at": due})
    if not created and survey.sent_at is None:
        Survey.objects.filter(pk=survey.pk).update(due_at=due)


def send_due_surveys(now: datetime | None = None) -> int:
    """Send every survey whose time has come, on the case's channel; reopened cases wait for re-resolution."""
    moment = now or timezone.now()
    due = (
        Survey.objects.filter(sent_at__isnull=True, due_at__lte=moment, case__status=CaseStatus.RESOLVED)
        .order_by("due_at")
        .values_list("pk", flat=True)[:SEND_BATCH]
    )
    return sum(1 for survey_id in list(due) if _send(survey_id, moment))


def _send(survey_id: int, now: datetime) -> bool:
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        survey = (
            Survey.objects.select_for_update()
            .select_related("case__topic", "case__customer")
            .filter(pk=survey_id, sent_at__isnull=True)
            .first()
        )
        if survey is None:
            return False  # another worker sent it
        link = f"{public_website(organisation_for_texts())}/feedback/{token}"
        message = send_automatic_message(
            survey.case,
            template="satisfaction_survey",
            purpose=Purpose.SURVEY,
            extra={"survey_url": link},
            reason=f"survey {survey.pk}",
        )
        survey.sent_at, survey.channel, survey.message = now, message.channel, message
        survey.token_hash = _hash(token)
        survey.save(update_fields=["sent_at", "channel", "message", "token_hash"])
    return True


def survey_for_token(token: str) -> Survey | None:
    """The survey a link opens, if it was sent and has not expired; answered ones open to say thanks."""
    survey = Survey.objects.select_related("case").filter(token_hash=_hash(token[:100])).first()
    if survey is None or survey.sent_at is None or survey.sent_at + LINK_LIFETIME < timezone.now():
        return None
    return survey


def answer_survey(survey: Survey, *, score: int | str, comment: str) -> Survey:
    """Store the one answer of a case: a score of 1 to 5 and an optional comment, redacted."""
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError("Choose a score from 1 to 5.", field="score")
    text, _redactions = redact(comment.strip()[:MAX_COMMENT])
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.answered_at is not None:
            raise DomainError(
                "This survey has already been answered.", code="already_answered", field="score"
            )
        locked.score, locked.comment, locked.answered_at = value, text, timezone.now()
        locked.save(update_fields=["score", "comment", "answered_at"])
        audit.record(
            actor=audit.Actor("customer", str(locked.case.customer_id), ""),
            action="survey.answered",
            target=locked.case,
            data={"survey_id": locked.pk, "score": value, "has_comment": bool(text)},
        )
    return locked
