"""The three clocks of a case (PRD-02) and the unassigned alert (DFS-11): deadlines and what is due now.

Pure Python over the case's clock facts and its policy; the case services store the results as indexed
timestamps, and the due-work sweep asks ``due_actions`` what to do when ``sweep_at`` has passed.

- First human response runs from receipt until a human answers; assistant and automatic messages do not
  stop it.
- Update cadence runs from the last customer-facing message while the case is open and not waiting on the
  customer (the last word was ours and asked them something).
- Resolution runs from receipt (or the latest reopening) and pauses while waiting on the customer: the paused
  open time is added to its target.
- Unassigned: an unassigned open case is alerted on after ``unassigned`` of business time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .hours import BusinessHours

__all__ = ["ClockFacts", "ClockPolicy", "Deadlines", "DueAction", "compute_deadlines", "due_actions"]

FIRST_RESPONSE, UPDATE, RESOLUTION, UNASSIGNED = "first_response", "update", "resolution", "unassigned"
REMINDER, BREACH, UPDATE_DUE, ALERT = "reminder", "breach", "update_due", "alert"
# What happens to each clock's deadline, in order: a reminder some time before, then the deadline itself.
STAGES: dict[str, tuple[str, ...]] = {
    FIRST_RESPONSE: (REMINDER, BREACH),
    RESOLUTION: (REMINDER, BREACH),
    UPDATE: (UPDATE_DUE,),
    UNASSIGNED: (ALERT,),
}


@dataclass(frozen=True)
class Target:
    duration: timedelta
    business: bool  # business time on the policy's calendar, else calendar time


@dataclass(frozen=True)
class ClockPolicy:
    policy_id: int
    version: int
    hours: BusinessHours
    first_response: Target
    update_cadence: Target
    resolution: Target
    unassigned: timedelta  # business time
    reminder_before: timedelta
    update_action: str

    def add(self, start: datetime, target: Target) -> datetime:
        return self.hours.add(start, target.duration) if target.business else start + target.duration

    def elapsed(self, start: datetime, end: datetime, *, business: bool) -> timedelta:
        return self.hours.between(start, end) if business else end - start


@dataclass(frozen=True)
class ClockFacts:
    """What a case's clocks depend on."""

    is_open: bool
    waiting_on_customer: bool
    assigned: bool
    received_at: datetime
    resolution_started_at: datetime
    resolution_paused_at: datetime | None
    resolution_paused_seconds: int
    first_human_response_at: datetime | None
    last_customer_update_at: datetime | None


@dataclass(frozen=True)
class Deadlines:
    first_response_due_at: datetime | None
    update_due_at: datetime | None
    resolution_due_at: datetime | None
    unassigned_alert_at: datetime | None

    @property
    def next_due_at(self) -> datetime | None:
        """The earliest pending customer deadline: the queue's order."""
        pending = [self.first_response_due_at, self.update_due_at, self.resolution_due_at]
        values = [value for value in pending if value is not None]
        return min(values) if values else None

    def by_clock(self) -> dict[str, datetime | None]:
        return {
            FIRST_RESPONSE: self.first_response_due_at,
            UPDATE: self.update_due_at,
            RESOLUTION: self.resolution_due_at,
            UNASSIGNED: self.unassigned_alert_at,
        }


def compute_deadlines(facts: ClockFacts, policy: ClockPolicy) -> Deadlines:
    if not facts.is_open:
        return Deadlines(None, None, None, None)
    first_response = (
        policy.add(facts.received_at, policy.first_response)
        if facts.first_human_response_at is None
        else None
    )
    update = None
    if not facts.waiting_on_customer:
        update = policy.add(facts.last_customer_update_at or facts.received_at, policy.update_cadence)
    resolution = None
    if facts.resolution_paused_at is None:
        paused = timedelta(seconds=facts.resolution_paused_seconds)
        resolution = policy.add(
            facts.resolution_started_at,
            Target(policy.resolution.duration + paused, policy.resolution.business),
        )
    unassigned = None if facts.assigned else policy.hours.add(facts.received_at, policy.unassigned)
    return Deadlines(first_response, update, resolution, unassigned)


@dataclass(frozen=True)
class DueAction:
    clock: str
    stage: str
    due_at: datetime


@dataclass
class Plan:
    actions: list[DueAction] = field(default_factory=list)
    marks: dict[str, dict[str, object]] = field(default_factory=dict)
    sweep_at: datetime | None = None


def due_actions(
    deadlines: Deadlines, marks: dict[str, dict[str, object]], *, now: datetime, reminder_before: timedelta
) -> Plan:
    """What is due at ``now`` for each clock, the marks to store, and when to look at this case next.

    ``marks`` remembers, per clock, the deadline it applies to and the stages already done for it; a moved
    deadline starts afresh. A reminder whose time passed together with its deadline is skipped.
    """
    plan = Plan()
    upcoming: list[datetime] = []
    for clock, due in deadlines.by_clock().items():
        if due is None:
            continue
        previous = marks.get(clock) or {}
        done_before = previous.get("done") if previous.get("due") == due.isoformat() else None
        done = list(done_before) if isinstance(done_before, list) else []
        for stage in STAGES[clock]:
            if stage in done:
                continue
            at = due - reminder_before if stage == REMINDER else due
            if at > now:
                upcoming.append(at)
                break
            if not (stage == REMINDER and due <= now):
                plan.actions.append(DueAction(clock, stage, due))
            done.append(stage)
        plan.marks[clock] = {"due": due.isoformat(), "done": done}
    plan.sweep_at = min(upcoming) if upcoming else None
    return plan
