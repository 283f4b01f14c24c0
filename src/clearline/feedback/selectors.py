"""Reading survey results: the figures the quarterly pack reports (DFS-24, DFS-29)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, Q

from .models import Survey


@dataclass(frozen=True)
class Satisfaction:
    surveys_sent: int
    responses: int
    mean_score: float | None
    satisfied_share: float | None  # share of responses scoring 4 or 5
    distribution: dict[int, int]


def satisfaction_between(start: datetime, end: datetime) -> Satisfaction:
    """DFS-24/29 figures for surveys sent in [start, end), computed in the database."""
    sent = Survey.objects.filter(sent_at__gte=start, sent_at__lt=end)
    totals = sent.aggregate(
        surveys=Count("pk"),
        responses=Count("pk", filter=Q(score__isnull=False)),
        satisfied=Count("pk", filter=Q(score__gte=4)),
        mean=Avg("score"),
    )
    by_score = dict(sent.filter(score__isnull=False).values_list("score").annotate(n=Count("pk")).order_by())
    responses = totals["responses"]
    return Satisfaction(
        surveys_sent=totals["surveys"],
        responses=responses,
        mean_score=round(float(totals["mean"]), 2) if totals["mean"] is not None else None,
        satisfied_share=round(totals["satisfied"] / responses, 4) if responses else None,
        distribution={score: int(by_score.get(score, 0)) for score in range(1, 6)},
    )
