"""The due-work sweep: reminders, breaches and escalation (DFS-03), status updates (DFS-18), the unassigned
alert (DFS-11), pauses (PRD-02), and policy changes that recompute open cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clearline.accounts.models import Role
from clearline.cases import services
from clearline.cases.models import Case, CaseStatus, Message, Purpose
from clearline.core.errors import DomainError, PermissionDenied
from clearline.sla.models import ClockEvent, ConfigRevision, ServicePolicy, StaffAlert
from clearline.sla.services import save_calendar, save_policy, sweep_due_clocks

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0, tzinfo=NY)


def _open(by, *, topic="withdrawal_delayed", body="Where is my withdrawal? Thanks.", at=MONDAY_10AM):
    with time_machine.travel(at, tick=False):
        return services.open_case(
            by=services.Author.of_staff(by),
            customer_email="carol@customer.test",
            subject="Withdrawal",
            body=body,
            topic=topic,
            method="email",
        )


def _sweep(at):
    with time_machine.travel(at, tick=False):
        return sweep_due_clocks()


def test_unassigned_case_alerts_supervisors_after_15_business_minutes_dfs_11(agent, supervisor):
    """DFS-11: a message unassigned for 15 minutes in business hours alerts the supervisors, once."""
    case = _open(agent)
    assert case.unassigned_alert_at == (MONDAY_10AM + dt.timedelta(minutes=15)).astimezone(dt.UTC)
    assert _sweep(MONDAY_10AM + dt.timedelta(minutes=14)).events == 0
    result = _sweep(MONDAY_10AM + dt.timedelta(minutes=15))
    event = ClockEvent.objects.get(case=case, clock="unassigned")
    assert (result.events, event.kind, event.notified) == (1, "alert", [supervisor.email])
    assert StaffAlert.objects.get(recipient=supervisor).text.startswith(f"{case.reference}: unassigned")
    assert _sweep(MONDAY_10AM + dt.timedelta(minutes=20)).events == 0  # never twice


def test_unassigned_clock_counts_business_minutes_only_dfs_11(agent, supervisor):
    """DFS-11: a Saturday message is alerted on at 09:15 on Monday, not during the weekend."""
    case = _open(agent, at=dt.datetime(2026, 11, 21, 11, 0, tzinfo=NY))
    assert case.unassigned_alert_at == dt.datetime(2026, 11, 23, 9, 15, tzinfo=NY).astimezone(dt.UTC)


def test_assigning_the_case_cancels_the_unassigned_alert_dfs_11(agent, supervisor):
    """DFS-11: an assigned case raises no unassigned alert."""
    case = _open(agent)
    with time_machine.travel(MONDAY_10AM + dt.timedelta(minutes=5), tick=False):
        services.assign_case(case, by=agent, assignee=agent)
    case.refresh_from_db()
    assert case.unassigned_alert_at is None
    assert _sweep(MONDAY_10AM + dt.timedelta(minutes=30)).events == 0


def test_first_response_reminder_then_breach_escalates_to_supervisors_dfs_03_prd_02(agent, supervisor):
    """DFS-03, PRD-02: the assignee is reminded 30 min before, and on breach a supervisor is alerted too."""
    case = _open(agent)
    with time_machine.travel(MONDAY_10AM, tick=False):
        services.assign_case(case, by=agent, assignee=agent)
    case.refresh_from_db()
    due = case.first_response_due_at  # 8 business hours: Tuesday 10:00
    assert due == dt.datetime(2026, 11, 24, 10, 0, tzinfo=NY).astimezone(dt.UTC)
    _sweep(due - dt.timedelta(minutes=30))
    reminder = ClockEvent.objects.get(case=case, clock="first_response", kind="reminder")
    assert reminder.notified == [agent.email]
    _sweep(due)
    breach = ClockEvent.objects.get(case=case, clock="first_response", kind="breach")
    assert breach.notified == [agent.email, supervisor.email] and breach.due_at == due
    assert _sweep(due + dt.timedelta(hours=1)).events == 0
    assert Case.objects.get(pk=case.pk).next_due_at == due  # still first in the queue until answered


def test_update_cadence_sends_an_automatic_status_update_after_5_business_days_dfs_18(
    agent, django_capture_on_commit_callbacks
):
    """DFS-18: no customer-facing message for 5 business days: an automatic update with the estimate."""
    case = _open(agent)
    with time_machine.travel(MONDAY_10AM, tick=False):
        services.assign_case(case, by=agent, assignee=agent)
    case.refresh_from_db()
    # 5 business days from Monday 10:00, Thanksgiving (Thursday) skipped: the next Tuesday 10:00.
    assert case.update_due_at == dt.datetime(2026, 12, 1, 10, 0, tzinfo=NY).astimezone(dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        _sweep(case.update_due_at)
    update = Message.objects.get(case=case, purpose=Purpose.STATUS_UPDATE)
    assert (update.author_type, update.visibility, update.delivery_status) == ("system", "public", "sent")
    assert (
        case.reference in update.subject
        and "Current estimate for resolution: Tuesday, December 8, 2026" in (update.body)
    )
    case.refresh_from_db()
    assert case.last_customer_update_at == update.created_at
    assert case.update_due_at == dt.datetime(2026, 12, 8, 10, 0, tzinfo=NY).astimezone(dt.UTC)
    assert ClockEvent.objects.get(case=case, clock="update").kind == "status_update"


def test_complaint_update_cadence_prompts_the_agent_instead_dfs_18(agent):
    """DFS-18: under the complaints policy the agent is prompted to write the update; nothing automatic."""
    case = _open(
        agent, body="This is unacceptable, my withdrawal is stuck for weeks. I will complain to DFS."
    )
    assert case.kind == "complaint" and case.service_policy.name == "Complaints"
    with time_machine.travel(MONDAY_10AM, tick=False):
        services.assign_case(case, by=agent, assignee=agent)
        services.add_message(case, by=services.Author.of_staff(agent), body="Looking into it now.")
    case.refresh_from_db()
    _sweep(case.update_due_at)
    prompt = ClockEvent.objects.get(case=case, clock="update")
    assert (prompt.kind, prompt.notified) == ("agent_prompt", [agent.email])
    assert not Message.objects.filter(case=case, purpose=Purpose.STATUS_UPDATE).exists()


def test_waiting_on_customer_pauses_resolution_and_resume_adds_the_pause_prd_02(agent):
    """PRD-02: waiting on the customer stops the resolution clock; the paused business time is added back."""
    case = _open(agent)
    original_due = case.resolution_due_at
    with time_machine.travel(MONDAY_10AM + dt.timedelta(hours=1), tick=False):
        services.add_message(
            case,
            by=services.Author.of_staff(agent),
            body="Please send the tx hash.",
            waiting_on_customer=True,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_ON_CUSTOMER and case.resolution_due_at is None
    assert case.update_due_at is None  # nothing to update them on: the last word was ours
    with time_machine.travel(dt.datetime(2026, 11, 24, 11, 0, tzinfo=NY), tick=False):  # a business day later
        services.add_message(case, by=services.Author.of_customer(case.customer), body="Here it is: 0xabc")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.resolution_paused_seconds == 8 * 3600
    # 10 business days (Thanksgiving skipped), then one more for the business day spent waiting
    assert original_due == dt.datetime(2026, 12, 8, 10, 0, tzinfo=NY).astimezone(dt.UTC)
    assert case.resolution_due_at == dt.datetime(2026, 12, 9, 10, 0, tzinfo=NY).astimezone(dt.UTC)


def test_a_policy_change_is_versioned_audited_and_recomputes_open_cases_prd_02(
    agent, make_staff, django_capture_on_commit_callbacks
):
    """PRD-02: deadlines are recomputed when the policy changes; the change is a new audited version."""
    admin = make_staff(Role.ADMIN)
    case = _open(agent)
    default = ServicePolicy.objects.get(name="Default")
    with time_machine.travel(MONDAY_10AM, tick=False), django_capture_on_commit_callbacks(execute=True):
        save_policy(
            by=admin, reason="faster first answer", calendar_id=default.calendar_id, policy_id=default.pk,
            fields={"first_response_minutes": 120},
        )  # fmt: skip
    case.refresh_from_db()
    assert case.first_response_due_at == (MONDAY_10AM + dt.timedelta(hours=2)).astimezone(dt.UTC)
    default.refresh_from_db()
    assert (default.version, default.is_shipped_default) == (2, False)
    revision = ConfigRevision.objects.get(entity="policy", entity_id=default.pk, version=2)
    assert revision.snapshot["first_response_minutes"] == 120 and revision.changed_by == admin


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_response_minutes": 0}, "first_response_minutes"),
        ({"resolution_basis": "lunar"}, "resolution_basis"),
        ({"topic": "moon_prices"}, "topic"),
        ({"is_active": False}, None),
    ],
)
def test_bad_policy_changes_are_refused_and_change_nothing_prd_02(make_staff, fields, field):
    """PRD-02: a zero target, a bad basis, an unknown topic or switching off the catch-all are refused."""
    admin = make_staff(Role.ADMIN)
    default = ServicePolicy.objects.get(name="Default")
    with pytest.raises(DomainError) as refused:
        save_policy(
            by=admin, reason="r", calendar_id=default.calendar_id, policy_id=default.pk, fields=fields
        )
    assert refused.value.field == field
    default.refresh_from_db()
    assert default.version == 1 and default.is_active


def test_a_calendar_without_open_hours_or_with_overlaps_is_refused_prd_02(make_staff):
    admin = make_staff(Role.ADMIN)
    for weekly, message in (
        ({}, "no open hours"),
        ({"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}, "overlap"),
    ):
        with pytest.raises(DomainError, match=message):
            save_calendar(by=admin, reason="r", name="Bad", timezone_name="UTC", weekly_hours=weekly)


def test_agents_cannot_change_policies(agent):
    default = ServicePolicy.objects.get(name="Default")
    with pytest.raises(PermissionDenied):
        save_policy(by=agent, reason="r", calendar_id=default.calendar_id, policy_id=default.pk, fields={})


def test_the_sweep_is_one_indexed_query_when_nothing_is_due(agent, django_assert_num_queries):
    """The sweep reads only cases whose sweep_at has passed: one query when nothing is due."""
    for _ in range(5):
        _open(agent)
    with time_machine.travel(MONDAY_10AM + dt.timedelta(minutes=1), tick=False), django_assert_num_queries(1):
        assert sweep_due_clocks().cases == 0
