"""Deadlines stored on a case when it or its clock changes; the queue and due-work sweeps read them.

Calendar-hour targets per topic for now; business-time policies replace the arithmetic, not the callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Deadlines:
    first_response_due_at: datetime
    resolution_due_at: datetime


def initial_deadlines(
    *, received_at: datetime, first_response_hours: int, resolution_hours: int
) -> Deadlines:
    return Deadlines(
        first_response_due_at=received_at + timedelta(hours=first_response_hours),
        resolution_due_at=received_at + timedelta(hours=resolution_hours),
    )


def next_due_at(
    *,
    first_response_due_at: datetime | None,
    resolution_due_at: datetime | None,
    first_human_response_at: datetime | None,
) -> datetime | None:
    """The earliest deadline still pending: first response until a human answers, then resolution."""
    pending = [resolution_due_at]
    if first_human_response_at is None:
        pending.append(first_response_due_at)
    values = [value for value in pending if value is not None]
    return min(values) if values else None
