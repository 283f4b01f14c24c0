"""Quality assurance of customer interactions (DFS-26): each month, a sample of every representative's
replies is scored on a fixed scorecard by someone else; a coverage report flags who is below the quota."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from clearline.accounts.models import Role, Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.cases.models import Message, Purpose
from clearline.core.errors import DomainError
from clearline.org.selectors import local_period

from .models import QA_CRITERIA, QAReview

QUOTA = 5  # interactions per representative per month [DFS-26 default]
REPLIES = (Purpose.REPLY, Purpose.EXPLANATION)


def _month_range(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    return local_period(first, date(first.year + (first.month == 12), first.month % 12 + 1, 1))


def _replies(agent: Staff, month: date) -> Any:
    start, end = _month_range(month)
    return Message.objects.filter(
        author_staff=agent, purpose__in=REPLIES, created_at__gte=start, created_at__lt=end
    )


def sample_month(month: date, *, quota: int = QUOTA) -> int:
    """Sample up to ``quota`` replies per representative for the month; a re-run tops up, never re-samples."""
    first = month.replace(day=1)
    added = 0
    agents = Staff.objects.filter(role__in=[Role.AGENT, Role.SUPERVISOR])
    for agent in agents:
        taken = QAReview.objects.filter(agent=agent, month=first).count()
        if taken >= quota:
            continue
        candidates = list(
            _replies(agent, first).filter(qa_review__isnull=True).order_by("pk").values_list("pk", flat=True)
        )
        sampler = random.Random(f"{first.isoformat()}:{agent.pk}")  # noqa: S311 - reproducible, not a secret
        chosen = sampler.sample(candidates, min(quota - taken, len(candidates)))
        now = timezone.now()
        QAReview.objects.bulk_create(
            QAReview(agent=agent, message_id=pk, month=first, sampled_at=now) for pk in chosen
        )
        added += len(chosen)
    return added


def score(review: QAReview, *, scores: dict[str, int], comments: str, by: Staff) -> QAReview:
    """The scorecard: 0, 1 or 2 on every criterion, by someone other than the representative."""
    require(by, Capability.QA_REVIEW)
    if by.pk == review.agent_id:
        raise DomainError("Representatives do not score their own interactions.", code="four_eyes")
    if set(scores) != set(QA_CRITERIA) or any(value not in (0, 1, 2) for value in scores.values()):
        raise DomainError(f"Score each of {', '.join(QA_CRITERIA)} with 0, 1 or 2.", field="scores")
    with transaction.atomic():
        review.scores, review.comments = dict(scores), comments.strip()[:2000]
        review.reviewer, review.reviewed_at = by, timezone.now()
        review.save(update_fields=["scores", "comments", "reviewer", "reviewed_at"])
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="qa.scored",
            target=review.message.case,
            data={"review": review.pk, "agent": review.agent_id, "percent": review.percent},
        )
    return review


@dataclass(frozen=True)
class AgentCoverage:
    agent: str
    interactions: int
    sampled: int
    reviewed: int
    mean_percent: float | None
    below_quota: bool


def coverage(month: date, *, quota: int = QUOTA) -> list[AgentCoverage]:
    """Per representative: replies in the month, sampled and reviewed, the mean score; below quota flagged."""
    first = month.replace(day=1)
    start, end = _month_range(first)
    rows = []
    interactions = dict(
        Message.objects.filter(
            purpose__in=REPLIES, created_at__gte=start, created_at__lt=end, author_staff__isnull=False
        )
        .values_list("author_staff")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reviews_by_agent: dict[int, list[QAReview]] = {}
    for review in QAReview.objects.filter(month=first):  # the month's sample, read once
        reviews_by_agent.setdefault(review.agent_id, []).append(review)
    agents = Staff.objects.filter(role__in=[Role.AGENT, Role.SUPERVISOR])
    for agent in agents.order_by("email"):
        reviews = reviews_by_agent.get(agent.pk, [])
        reviewed = [r.percent for r in reviews if r.reviewed_at is not None and r.percent is not None]
        count = interactions.get(agent.pk, 0)
        needed = min(quota, count)
        rows.append(
            AgentCoverage(
                agent=agent.email,
                interactions=count,
                sampled=len(reviews),
                reviewed=len(reviewed),
                mean_percent=round(sum(reviewed) / len(reviewed), 1) if reviewed else None,
                below_quota=len(reviewed) < needed,
            )
        )
    return rows
