"""Changing calendars and service policies (versioned, audited), and the due-work sweep.

A change is validated whole before it is stored (a calendar with no open hours, overlapping periods or a zero
target is refused with the reason), saved as a new version with a ``ConfigRevision`` and an audit event, and
then every open case's clocks are recomputed in the background.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.cases.models import OPEN_STATUSES, Case, CaseKind, Priority, Topic
from clearline.cases.services.clocks import process_due_clocks, recompute_clocks
from clearline.core.errors import DomainError, NotFound
from clearline.core.jobs import enqueue_on_commit

from .hours import CalendarError, CalendarSpec
from .models import BusinessCalendar, CalendarClosure, ConfigRevision, ServicePolicy, TimeBasis, UpdateAction
from .selectors import CACHE_SECONDS, clear_policy_cache

POLICY_FIELDS = (
    "name",
    "kind",
    "topic",
    "priority",
    "acknowledgement_minutes",
    "first_response_minutes",
    "first_response_basis",
    "update_cadence_minutes",
    "update_cadence_basis",
    "update_action",
    "resolution_minutes",
    "resolution_basis",
    "unassigned_alert_minutes",
    "reminder_minutes",
    "is_active",
)
TARGET_FIELDS = (
    "acknowledgement_minutes",
    "first_response_minutes",
    "update_cadence_minutes",
    "resolution_minutes",
    "unassigned_alert_minutes",
)


def _record_revision(
    entity: str,
    row: BusinessCalendar | ServicePolicy,
    snapshot: dict[str, Any],
    *,
    by: Staff,
    reason: str,
    now: datetime,
) -> None:
    ConfigRevision.objects.create(
        entity=entity,
        entity_id=row.pk,
        version=row.version,
        snapshot=snapshot,
        reason=reason,
        changed_by=by,
        changed_at=now,
    )
    audit.record(
        actor=audit.Actor.of_staff(by),
        action=f"sla.{entity}_saved",
        target=row,
        stream=f"sla.{entity}.{row.pk}",
        data={"version": row.version, "reason": reason, "snapshot": snapshot},
    )


def _after_change() -> None:
    """Intake sees the change now in this process, within ``CACHE_SECONDS`` elsewhere; open cases follow."""
    from . import tasks  # tasks import this module

    clear_policy_cache()
    enqueue_on_commit(tasks.recompute_open_case_clocks)
    enqueue_on_commit(lambda: tasks.recompute_open_case_clocks.schedule(delay=CACHE_SECONDS + 1))


def save_calendar(
    *,
    by: Staff,
    reason: str,
    name: str,
    timezone_name: str,
    weekly_hours: Mapping[str, Sequence[Sequence[str]]],
    holiday_country: str = "",
    holiday_subdivision: str = "",
    closures: Iterable[tuple[date, str]] = (),
    is_support_hours: bool = False,
    calendar_id: int | None = None,
) -> BusinessCalendar:
    """Create or change a calendar; refused whole if it could leave a case without deadlines."""
    require(by, Capability.SLA_CONFIGURE)
    if not reason.strip():
        raise DomainError("Say why the calendar changes.", field="reason")
    closure_list = list(closures)
    try:
        CalendarSpec.build(
            timezone=timezone_name,
            weekly_hours=weekly_hours,
            holiday_country=holiday_country.upper(),
            holiday_subdivision=holiday_subdivision.upper(),
            closures=[day for day, _ in closure_list],
        )
    except CalendarError as error:
        raise DomainError(str(error), field="weekly_hours", code="invalid_calendar") from error
    now = timezone.now()
    with transaction.atomic():
        if calendar_id is None:
            calendar = BusinessCalendar(version=1)
        else:
            found = BusinessCalendar.objects.select_for_update().filter(pk=calendar_id).first()
            if found is None:
                raise NotFound("No such calendar.")
            calendar = found
            calendar.version += 1
            if calendar.is_support_hours and not is_support_hours:
                raise DomainError("Make another calendar the support hours first.", field="is_support_hours")
        if is_support_hours:
            BusinessCalendar.objects.filter(is_support_hours=True).exclude(pk=calendar.pk).update(
                is_support_hours=False
            )
        calendar.name, calendar.timezone, calendar.weekly_hours = (
            name.strip(),
            timezone_name,
            dict(weekly_hours),
        )
        calendar.holiday_country = holiday_country.upper()
        calendar.holiday_subdivision = holiday_subdivision.upper()
        calendar.is_support_hours = is_support_hours
        try:
            with transaction.atomic():
                calendar.save()
        except IntegrityError as error:
            raise DomainError("A calendar with that name exists.", field="name", code="conflict") from error
        CalendarClosure.objects.filter(calendar=calendar).delete()
        CalendarClosure.objects.bulk_create(
            CalendarClosure(calendar=calendar, date=day, reason=why[:200]) for day, why in closure_list
        )
        snapshot = {
            "name": calendar.name,
            "timezone": calendar.timezone,
            "weekly_hours": calendar.weekly_hours,
            "holiday_country": calendar.holiday_country,
            "holiday_subdivision": calendar.holiday_subdivision,
            "closures": [[day.isoformat(), why] for day, why in closure_list],
            "is_support_hours": is_support_hours,
        }
        _record_revision("calendar", calendar, snapshot, by=by, reason=reason.strip(), now=now)
        _after_change()
    return calendar


def _validate_policy(fields: dict[str, Any]) -> None:
    for target in TARGET_FIELDS:
        value = fields.get(target)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise DomainError(
                "Targets are whole minutes greater than zero.", field=target, code="invalid_target"
            )
    for basis in ("first_response_basis", "update_cadence_basis", "resolution_basis"):
        if fields.get(basis) not in TimeBasis.values:
            raise DomainError("Use business or calendar time.", field=basis)
    if fields.get("update_action") not in UpdateAction.values:
        raise DomainError("Use send_status_update or prompt_agent.", field="update_action")
    if fields.get("kind") not in ("", *CaseKind.values):
        raise DomainError("Kind is request, complaint or blank for any.", field="kind")
    if fields.get("priority") not in ("", *Priority.values):
        raise DomainError("Priority is low, normal, high, urgent or blank for any.", field="priority")
    if fields.get("topic") and not Topic.objects.filter(key=fields["topic"]).exists():
        raise DomainError(f"Unknown topic {fields['topic']!r}.", field="topic")
    if not str(fields.get("name", "")).strip():
        raise DomainError("A policy needs a name.", field="name")


def save_policy(
    *, by: Staff, reason: str, calendar_id: int, fields: Mapping[str, Any], policy_id: int | None = None
) -> ServicePolicy:
    """Create or change a service policy; the catch-all (kind, topic, priority blank) stays active."""
    require(by, Capability.SLA_CONFIGURE)
    if not reason.strip():
        raise DomainError("Say why the policy changes.", field="reason")
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(f"Unknown field(s): {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    calendar = BusinessCalendar.objects.filter(pk=calendar_id).first()
    if calendar is None:
        raise DomainError("No such calendar.", field="calendar")
    now = timezone.now()
    with transaction.atomic():
        if policy_id is None:
            policy = ServicePolicy(version=1)
        else:
            found = ServicePolicy.objects.select_for_update().filter(pk=policy_id).first()
            if found is None:
                raise NotFound("No such service policy.")
            policy = found
            policy.version += 1
        values = {**model_to_dict(policy, fields=POLICY_FIELDS), **fields}
        _validate_policy(values)
        for name, value in values.items():
            setattr(policy, name, value.strip() if isinstance(value, str) else value)
        policy.calendar = calendar
        policy.is_shipped_default = False
        if not policy.is_active and not (policy.kind or policy.topic or policy.priority):
            raise DomainError(
                "Every case needs a policy: keep one active with kind, topic and priority blank."
            )
        try:
            with transaction.atomic():
                policy.save()
        except IntegrityError as error:
            raise DomainError(
                "Another active policy has the same kind, topic and priority, or the same name.",
                code="conflict",
            ) from error
        snapshot = {**model_to_dict(policy, fields=POLICY_FIELDS), "calendar_id": calendar.pk}
        _record_revision("policy", policy, snapshot, by=by, reason=reason.strip(), now=now)
        _after_change()
    return policy


@dataclass(frozen=True)
class SweepResult:
    cases: int
    events: int


def sweep_due_clocks(*, now: datetime | None = None, batch: int = 200) -> SweepResult:
    """Act on every case whose ``sweep_at`` has passed: one indexed query per batch, then case by case."""
    moment = now or timezone.now()
    cases = events = 0
    while True:
        due = list(
            Case.objects.filter(status__in=OPEN_STATUSES, sweep_at__lte=moment)
            .order_by("sweep_at")
            .values_list("pk", flat=True)[:batch]
        )
        for case_id in due:
            events += len(process_due_clocks(case_id, now=moment))
        cases += len(due)
        if len(due) < batch:
            return SweepResult(cases, events)


def recompute_all_open_clocks(*, batch: int = 500) -> int:
    """After a calendar or policy change: every open case's deadlines again, in id order, batch by batch."""
    clear_policy_cache()
    last_id, count = 0, 0
    while True:
        ids = list(
            Case.objects.filter(status__in=OPEN_STATUSES, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return count
        count += recompute_clocks(ids, now=timezone.now())
        last_id = ids[-1]
