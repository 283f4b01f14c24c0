"""Reading service policies and calendars. Every intake asks for a policy, so compiled ones are cached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from clearline.cases.models import OPEN_STATUSES, Case
from clearline.core.cache import ProcessMemo
from clearline.core.errors import DomainError

from .clocks import ClockPolicy, Target
from .hours import BusinessHours, CalendarSpec
from .models import BusinessCalendar, ClockEvent, ClockEventKind, ServicePolicy, StaffAlert, TimeBasis

CACHE_SECONDS = 30.0  # an admin's change reaches intake within this; open cases are recomputed after it


@dataclass(frozen=True)
class _Compiled:
    policies: tuple[tuple[ServicePolicy, ClockPolicy], ...]
    support: tuple[BusinessCalendar, BusinessHours] | None


_cache = ProcessMemo(CACHE_SECONDS)
_hours_by_version: dict[tuple[int, int], BusinessHours] = {}  # timelines are worth keeping across reloads


def clear_policy_cache() -> None:
    _cache.clear()


def calendar_spec(calendar: BusinessCalendar) -> CalendarSpec:
    return CalendarSpec.build(
        timezone=calendar.timezone,
        weekly_hours=calendar.weekly_hours,
        holiday_country=calendar.holiday_country,
        holiday_subdivision=calendar.holiday_subdivision,
        closures=[closure.date for closure in calendar.closures.all()],
    )


def business_hours(calendar: BusinessCalendar) -> BusinessHours:
    key = (calendar.pk, calendar.version)
    hours = _hours_by_version.get(key)
    if hours is None:
        hours = _hours_by_version[key] = BusinessHours(calendar_spec(calendar))
    return hours


def _target(minutes: int, basis: str) -> Target:
    return Target(timedelta(minutes=minutes), basis == TimeBasis.BUSINESS)


def compile_policy(policy: ServicePolicy) -> ClockPolicy:
    return ClockPolicy(
        policy_id=policy.pk,
        version=policy.version,
        hours=business_hours(policy.calendar),
        first_response=_target(policy.first_response_minutes, policy.first_response_basis),
        update_cadence=_target(policy.update_cadence_minutes, policy.update_cadence_basis),
        resolution=_target(policy.resolution_minutes, policy.resolution_basis),
        unassigned=timedelta(minutes=policy.unassigned_alert_minutes),
        reminder_before=timedelta(minutes=policy.reminder_minutes),
        update_action=policy.update_action,
    )


def _compiled() -> _Compiled:
    return _cache.get_or_set("policies", _compile_policies)


def _compile_policies() -> _Compiled:
    rows = ServicePolicy.objects.filter(is_active=True).select_related("calendar")
    rows = rows.prefetch_related("calendar__closures")
    policies = tuple((row, compile_policy(row)) for row in rows)
    calendar = BusinessCalendar.objects.filter(is_support_hours=True).prefetch_related("closures").first()
    support = (calendar, business_hours(calendar)) if calendar else None
    return _Compiled(policies, support)


def _specificity(policy: ServicePolicy) -> tuple[int, bool, bool, bool]:
    """More matching fields win; on a tie, kind before topic before priority."""
    fields = (bool(policy.kind), bool(policy.topic), bool(policy.priority))
    return (sum(fields), *fields)


def policy_for(*, kind: str, topic: str, priority: str) -> tuple[ServicePolicy, ClockPolicy]:
    """The active policy for a case: the most specific one whose non-blank fields all match."""
    matching = [
        (row, compiled)
        for row, compiled in _compiled().policies
        if row.kind in ("", kind) and row.topic in ("", topic) and row.priority in ("", priority)
    ]
    if not matching:
        raise DomainError("No service policy applies; an admin must keep a policy that matches every case.")
    return max(matching, key=lambda pair: _specificity(pair[0]))


def support_hours() -> tuple[BusinessCalendar, BusinessHours] | None:
    """The published support hours (help centre, phone greeting, the DFS-11 alert's "in business hours")."""
    return _compiled().support


def list_policies() -> QuerySet[ServicePolicy]:
    return ServicePolicy.objects.select_related("calendar").order_by(
        "-is_active", "kind", "topic", "priority"
    )


def list_calendars() -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.prefetch_related("closures").order_by("-is_support_hours", "name")


def list_breaches(*, since_days: int = 90) -> QuerySet[ClockEvent]:
    """Recorded breaches and prompts, newest first (DFS-03, DFS-18 breach report)."""
    since = timezone.now() - timedelta(days=since_days)
    return (
        ClockEvent.objects.filter(
            kind__in=[ClockEventKind.BREACH, ClockEventKind.AGENT_PROMPT, ClockEventKind.ALERT],
            occurred_at__gte=since,
        )
        .select_related("case", "case__assignee")
        .order_by("-occurred_at", "-id")
    )


def unread_alerts(staff_id: int) -> QuerySet[StaffAlert]:
    return StaffAlert.objects.filter(recipient_id=staff_id, read_at__isnull=True).select_related("case")


@dataclass(frozen=True)
class ClockRow:
    label: str
    due_at: datetime | None
    state: str  # running, overdue, stopped, paused, not started


def describe_clocks(case: Case, *, now: datetime | None = None) -> list[ClockRow]:
    """Every clock of a case as agents and supervisors see it (PRD-02)."""
    moment = now or timezone.now()

    def running(due: datetime | None, stopped: str) -> str:
        if due is None:
            return stopped
        return "overdue" if due <= moment else "running"

    first_response = "answered" if case.first_human_response_at else "stopped"
    resolution = "paused (waiting on customer)" if case.resolution_paused_at else "stopped"
    update = "paused (waiting on customer)" if case.status == "waiting_on_customer" else "stopped"
    return [
        ClockRow("First human response", case.first_response_due_at,
                 running(case.first_response_due_at, first_response)),
        ClockRow("Next customer update", case.update_due_at, running(case.update_due_at, update)),
        ClockRow("Resolution", case.resolution_due_at, running(case.resolution_due_at, resolution)),
        ClockRow("Unassigned alert", case.unassigned_alert_at,
                 running(case.unassigned_alert_at, "assigned" if case.assignee_id else "stopped")),
    ]  # fmt: skip


def list_overdue_cases(*, now: datetime | None = None, limit: int = 200) -> QuerySet[Case]:
    """DFS-03: every open case past a deadline, most overdue first (the queue index, read to ``now``)."""
    return (
        Case.objects.filter(status__in=OPEN_STATUSES, next_due_at__lte=now or timezone.now())
        .select_related("assignee", "topic", "service_policy")
        .order_by("next_due_at", "id")[:limit]
    )
