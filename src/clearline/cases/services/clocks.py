"""Keeping a case's clocks current (PRD-02) and acting when one is due (DFS-03, DFS-11, DFS-18).

``refresh_clocks`` runs inside every service that changes what the clocks depend on; ``process_due_clocks``
runs from the due-work sweep for a case whose ``sweep_at`` has passed, one transaction per case.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Role, Staff
from clearline.audit import services as audit
from clearline.sla import clocks
from clearline.sla.models import ClockEvent, ClockEventKind, StaffAlert, UpdateAction
from clearline.sla.selectors import policy_for

from ..models import OPEN_STATUSES, Case, CaseStatus, Message, Purpose
from .acknowledgement import build_automatic_message
from .common import Author, enqueue_delivery

CLOCK_FIELDS = [
    "service_policy",
    "first_response_due_at",
    "update_due_at",
    "resolution_due_at",
    "resolution_started_at",
    "resolution_paused_at",
    "resolution_paused_seconds",
    "unassigned_alert_at",
    "next_due_at",
    "sweep_at",
    "clock_marks",
]


def _policy(case: Case) -> clocks.ClockPolicy:
    row, policy = policy_for(kind=case.kind, topic=case.topic_id, priority=case.priority)
    case.service_policy_id = row.pk
    return policy


def _facts(case: Case) -> clocks.ClockFacts:
    return clocks.ClockFacts(
        is_open=case.status in OPEN_STATUSES,
        waiting_on_customer=case.status == CaseStatus.WAITING_ON_CUSTOMER,
        assigned=case.assignee_id is not None,
        received_at=case.received_at,
        resolution_started_at=case.resolution_started_at or case.received_at,
        resolution_paused_at=case.resolution_paused_at,
        resolution_paused_seconds=case.resolution_paused_seconds,
        first_human_response_at=case.first_human_response_at,
        last_customer_update_at=case.last_customer_update_at,
    )


def refresh_clocks(case: Case, *, now: datetime) -> tuple[clocks.ClockPolicy, clocks.Deadlines]:
    """Recompute every deadline from the case's facts and policy; the caller saves ``CLOCK_FIELDS``."""
    policy = _policy(case)
    if case.status == CaseStatus.WAITING_ON_CUSTOMER and case.resolution_paused_at is None:
        case.resolution_paused_at = now  # PRD-02: waiting on the customer pauses resolution
    elif case.status != CaseStatus.WAITING_ON_CUSTOMER and case.resolution_paused_at is not None:
        paused = policy.elapsed(case.resolution_paused_at, now, business=policy.resolution.business)
        case.resolution_paused_seconds += max(0, int(paused.total_seconds()))
        case.resolution_paused_at = None
    deadlines = clocks.compute_deadlines(_facts(case), policy)
    case.first_response_due_at = deadlines.first_response_due_at
    case.update_due_at = deadlines.update_due_at
    case.resolution_due_at = deadlines.resolution_due_at
    case.unassigned_alert_at = deadlines.unassigned_alert_at
    case.next_due_at = deadlines.next_due_at
    plan = clocks.due_actions(deadlines, case.clock_marks, now=now, reminder_before=policy.reminder_before)
    case.sweep_at = now if plan.actions else plan.sweep_at
    return policy, deadlines


def recompute_clocks(case_ids: list[int], *, now: datetime) -> int:
    """After a policy or calendar change: the listed open cases' deadlines again, in one transaction."""
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update().filter(pk__in=case_ids, status__in=OPEN_STATUSES).order_by("pk")
        )
        for case in cases:
            refresh_clocks(case, now=now)
        Case.objects.bulk_update(cases, CLOCK_FIELDS)
    return len(cases)


def restart_resolution_clock(case: Case, *, now: datetime) -> None:
    """A reopened case gets a fresh resolution target from now; receipt time is kept for reporting."""
    case.resolution_started_at, case.resolution_paused_at, case.resolution_paused_seconds = now, None, 0


def build_status_update(case: Case, *, at: datetime) -> Message:
    """DFS-18: an automatic update with the current estimate, in the case's language."""
    return build_automatic_message(case, template="status_update", purpose=Purpose.STATUS_UPDATE, at=at)


_EVENT_KIND = {
    clocks.REMINDER: ClockEventKind.REMINDER,
    clocks.BREACH: ClockEventKind.BREACH,
    clocks.ALERT: ClockEventKind.ALERT,
}


def _recipients(case: Case, kind: str, supervisors: list[Staff]) -> list[Staff]:
    """Reminders go to the assignee; breaches escalate to supervisors as well; unassigned alerts to them."""
    assignee = [case.assignee] if case.assignee is not None else []
    if kind == ClockEventKind.ALERT:
        return supervisors
    if kind == ClockEventKind.BREACH:
        return assignee + [staff for staff in supervisors if staff not in assignee]
    return assignee or supervisors


def _alert_text(case: Case, clock: str, kind: str, due_at: datetime) -> str:
    due = timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M %Z")
    label = {
        clocks.FIRST_RESPONSE: "first human response",
        clocks.RESOLUTION: "resolution",
        clocks.UPDATE: "customer update",
        clocks.UNASSIGNED: "assignment",
    }[clock]
    verbs: dict[str, str] = {
        ClockEventKind.REMINDER: f"{label} due {due}",
        ClockEventKind.BREACH: f"{label} target breached ({due})",
        ClockEventKind.AGENT_PROMPT: f"no customer update within the cadence ({due}): please write one",
        ClockEventKind.ALERT: f"unassigned since {timezone.localtime(case.received_at):%H:%M}: assign it",
    }
    return f"{case.reference}: {verbs[kind]}"[:300]


def process_due_clocks(case_id: int, *, now: datetime) -> list[ClockEvent]:
    """Act on whatever is due for one case; idempotent, so a retried sweep never acts twice."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))  # the assignee join is nullable: lock the case only
            .select_related("assignee", "customer", "topic")
            .filter(pk=case_id, status__in=OPEN_STATUSES)
            .first()
        )
        if case is None:
            return []
        # act on current deadlines, even if the policy changed meanwhile
        policy, deadlines = refresh_clocks(case, now=now)
        plan = clocks.due_actions(
            deadlines, case.clock_marks, now=now, reminder_before=policy.reminder_before
        )
        events: list[ClockEvent] = []
        status_update: Message | None = None
        supervisors = list(Staff.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk"))
        for action in plan.actions:
            if action.clock == clocks.UPDATE and policy.update_action == UpdateAction.SEND_STATUS_UPDATE:
                kind = ClockEventKind.STATUS_UPDATE
                status_update = build_status_update(case, at=now)
                status_update.save(force_insert=True)
                case.last_customer_update_at = now
            elif action.clock == clocks.UPDATE:
                kind = ClockEventKind.AGENT_PROMPT
            else:
                kind = _EVENT_KIND[action.stage]
            event, created = ClockEvent.objects.get_or_create(
                case=case, clock=action.clock, kind=kind, due_at=action.due_at, defaults={"occurred_at": now}
            )
            if not created:
                continue
            recipients = [] if kind == ClockEventKind.STATUS_UPDATE else _recipients(case, kind, supervisors)
            text = _alert_text(case, action.clock, kind, action.due_at) if recipients else ""
            StaffAlert.objects.bulk_create(
                StaffAlert(recipient=staff, case=case, event=event, text=text, created_at=now)
                for staff in recipients
            )
            event.notified = [staff.email for staff in recipients]
            event.save(update_fields=["notified"])
            audit.record(
                actor=Author.system().actor(),
                action=f"clock.{kind}",
                target=case,
                data={"clock": action.clock, "due_at": action.due_at.isoformat(), "notified": event.notified},
            )
            events.append(event)
        case.clock_marks = plan.marks
        refresh_clocks(case, now=now)
        case.save(update_fields=[*CLOCK_FIELDS, "last_customer_update_at", "updated_at"])
        if status_update is not None:
            enqueue_delivery(status_update)
    return events
