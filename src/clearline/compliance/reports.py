"""The DFS quarterly pack (DFS-27, DFS-28, DFS-29) as ``contract.md`` specifies it. Reads only.

Every figure is an aggregate query; percentiles are read from the database's ordering (two rows by offset,
interpolated like ``percentile_cont``), so no loop runs over cases. The same data gives the same bytes:
``generated_at`` is the time of the newest record read, not the clock, and the digest covers every row the
figures come from.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet

from clearline.accounts.models import Segment
from clearline.cases.models import REGULATOR_METHODS, Case, CaseKind
from clearline.core.errors import DomainError
from clearline.feedback.selectors import satisfaction_between
from clearline.org.selectors import local_period, organisation_for_texts

METHODOLOGY = (
    "Cohort: cases received in the quarter (received_at in [start, end) in the firm's time zone), individual "
    "customers only; institutional customers are counted as excluded and customers of unknown segment are "
    "included. Kind is the case's current classification. Resolution time is in calendar hours from receipt "
    "to resolution; a reopened case is measured from its original receipt to its final resolution. Resolved "
    "counts cases of the cohort resolved before the end of the quarter; open_at_end the rest. Median and p90 "
    "interpolate linearly between ranks (percentile_cont). Satisfaction counts surveys sent in the quarter; "
    "satisfied_share is the share of responses scoring 4 or 5."
)
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
KINDS = (CaseKind.REQUEST, CaseKind.COMPLAINT)


@dataclass(frozen=True)
class Quarter:
    label: str
    start: datetime
    end: datetime
    zone: str


def parse_quarter(label: str) -> Quarter:
    match = _QUARTER.match(label.strip().upper())
    if not match:
        raise DomainError("A quarter looks like 2025Q3.", field="quarter")
    year, number = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * number - 2, 1)
    start, end = local_period(first, date(year + (number == 4), (3 * number) % 12 + 1, 1))
    return Quarter(label=f"{year}Q{number}", start=start, end=end, zone=organisation_for_texts().timezone)


def _cohort(quarter: Quarter) -> QuerySet[Case]:
    return Case.objects.filter(received_at__gte=quarter.start, received_at__lt=quarter.end)


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 2)


def _percentile(durations: QuerySet[Case], count: int, fraction: float) -> timedelta | None:
    """``percentile_cont`` from the database's ordering: the two neighbouring ranks, interpolated."""
    if count == 0:
        return None
    position = (count - 1) * fraction
    lower = int(position)
    ordered = durations.order_by("duration").values_list("duration", flat=True)  # type: ignore[misc]
    values: list[timedelta] = list(ordered[lower : lower + 2])
    if len(values) == 1 or position == lower:
        return values[0]
    return values[0] + (values[1] - values[0]) * (position - lower)


# Resolution-time buckets for the distribution chart: [lower, upper) in calendar hours; None is open-ended.
RESOLUTION_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under_4h", 0, 4),
    ("4h_to_24h", 4, 24),
    ("1d_to_3d", 24, 72),
    ("3d_to_7d", 72, 168),
    ("7d_to_30d", 168, 720),
    ("over_30d", 720, None),
)


def _resolution(
    cohort: QuerySet[Case], quarter: Quarter, kind: str, received: int
) -> tuple[dict[str, Any], dict[str, int]]:
    """The kind's resolution figures and its resolution-time distribution, from one aggregate query (plus
    the two rows each percentile reads)."""
    resolved = cohort.filter(kind=kind, resolved_at__isnull=False, resolved_at__lt=quarter.end).annotate(
        duration=ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())
    )
    buckets = {}
    for name, lower, upper in RESOLUTION_BUCKETS:
        within = Q(duration__gte=timedelta(hours=lower))
        if upper is not None:
            within &= Q(duration__lt=timedelta(hours=upper))
        buckets[f"bucket_{name}"] = Count("pk", filter=within)
    figures = resolved.aggregate(count=Count("pk"), mean=Avg("duration"), **buckets)
    count = figures["count"]
    summary = {
        "resolved": count,
        "open_at_end": received - count,
        "mean_hours": _hours(figures["mean"]),
        "median_hours": _hours(_percentile(resolved, count, 0.5)),
        "p90_hours": _hours(_percentile(resolved, count, 0.9)),
    }
    return summary, {name: int(figures[f"bucket_{name}"]) for name, _, _ in RESOLUTION_BUCKETS}


def dfs_pack(label: str) -> dict[str, Any]:
    """The quarter's pack; keys in the order of ``contract.md``."""
    quarter = parse_quarter(label)
    everyone = _cohort(quarter)
    cohort = everyone.exclude(customer_segment=Segment.INSTITUTIONAL)
    received = dict(cohort.values_list("kind").annotate(n=Count("pk")).order_by())
    by_method = cohort.values("kind", "method").annotate(received=Count("pk")).order_by("kind", "method")
    by_topic = cohort.values("kind", "topic").annotate(received=Count("pk")).order_by("kind", "topic")
    satisfaction = satisfaction_between(quarter.start, quarter.end)
    resolution = {kind: _resolution(cohort, quarter, kind, received.get(kind, 0)) for kind in KINDS}
    newest = cohort.aggregate(newest=Max("updated_at"))["newest"]
    pack: dict[str, Any] = {
        "quarter": quarter.label,
        "period": {"start": quarter.start.isoformat(), "end": quarter.end.isoformat()},
        "timezone": quarter.zone,
        "scope": {
            "included_segment": Segment.INDIVIDUAL.value,
            "excluded_institutional": everyone.filter(customer_segment=Segment.INSTITUTIONAL).count(),
        },
        "received": {kind.value: received.get(kind, 0) for kind in KINDS},
        "by_method": [
            {"kind": r["kind"], "method": r["method"], "received": r["received"]} for r in by_method
        ],
        "by_topic": [{"kind": r["kind"], "topic": r["topic"], "received": r["received"]} for r in by_topic],
        "resolution": {kind.value: figures for kind, (figures, _) in resolution.items()},
        "satisfaction": {
            "surveys_sent": satisfaction.surveys_sent,
            "responses": satisfaction.responses,
            "mean_score": satisfaction.mean_score,
            "satisfied_share": satisfaction.satisfied_share,
        },
        "resolution_time_distribution": {kind.value: buckets for kind, (_, buckets) in resolution.items()},
        "satisfaction_scores": {str(score): n for score, n in satisfaction.distribution.items()},
        "ai_involved": dict(
            sorted(cohort.filter(ai_involved=True).values_list("kind").annotate(n=Count("pk")).order_by())
        ),
        "regulator_referrals": cohort.filter(method__in=REGULATOR_METHODS).count(),
        "methodology": METHODOLOGY,
        "generated_at": (newest or quarter.end).astimezone(ZoneInfo(quarter.zone)).isoformat(),
        "sha256": _digest(everyone),
    }
    return pack


def _digest(cases: QuerySet[Case]) -> str:
    """SHA-256 over every row the figures read, in id order, streamed from the database."""
    digest = hashlib.sha256()
    rows = cases.order_by("pk").values_list(
        "pk",
        "reference",
        "kind",
        "method",
        "topic_id",
        "customer_segment",
        "received_at",
        "resolved_at",
        "ai_involved",
    )
    for row in rows.iterator(chunk_size=5000):
        digest.update("|".join("" if v is None else str(v) for v in row).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def pack_json(pack: dict[str, Any]) -> str:
    return json.dumps(pack, indent=2, ensure_ascii=False) + "\n"


def pack_csv(pack: dict[str, Any]) -> str:
    """One row per figure: section, kind, key, metric, value; the same order every time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["quarter", "section", "kind", "key", "metric", "value"])
    q = pack["quarter"]
    writer.writerow([q, "period", "", "", "start", pack["period"]["start"]])
    writer.writerow([q, "period", "", "", "end", pack["period"]["end"]])
    writer.writerow([q, "scope", "", "institutional", "excluded", pack["scope"]["excluded_institutional"]])
    for kind, count in pack["received"].items():
        writer.writerow([q, "received", kind, "", "received", count])
    for row in pack["by_method"]:
        writer.writerow([q, "by_method", row["kind"], row["method"], "received", row["received"]])
    for row in pack["by_topic"]:
        writer.writerow([q, "by_topic", row["kind"], row["topic"], "received", row["received"]])
    for kind, figures in pack["resolution"].items():
        for metric, value in figures.items():
            writer.writerow([q, "resolution", kind, "", metric, "" if value is None else value])
    for kind, buckets in pack["resolution_time_distribution"].items():
        for bucket, count in buckets.items():
            writer.writerow([q, "resolution_time", kind, bucket, "resolved", count])
    for metric, value in pack["satisfaction"].items():
        writer.writerow([q, "satisfaction", "", "", metric, "" if value is None else value])
    for score, count in pack["satisfaction_scores"].items():
        writer.writerow([q, "satisfaction_scores", "", score, "responses", count])
    for kind, count in pack["ai_involved"].items():
        writer.writerow([q, "ai_involved", kind, "", "received", count])
    writer.writerow([q, "regulator_referrals", "", "", "received", pack["regulator_referrals"]])
    writer.writerow([q, "digest", "", "", "sha256", pack["sha256"]])
    return out.getvalue()
