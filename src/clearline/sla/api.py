"""Business-hours calendars and service policies over the JSON API: admins change them, staff read them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Router, Schema

from clearline.accounts.api_auth import staff_allowed, staff_token
from clearline.accounts.permissions import Capability

from . import selectors, services
from .models import BusinessCalendar, ServicePolicy

router = Router(tags=["service levels"], auth=[staff_token])


class ClosureIn(Schema):
    date: date
    reason: str


class CalendarIn(Schema):
    name: str
    timezone: str
    weekly_hours: dict[str, list[list[str]]]
    holiday_country: str = ""
    holiday_subdivision: str = ""
    closures: list[ClosureIn] = []
    is_support_hours: bool = False
    reason: str


class PolicyIn(Schema):
    calendar_id: int
    reason: str
    fields: dict[str, Any]


def _calendar_out(calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        **model_to_dict(calendar, exclude=["id"]),
        "id": calendar.pk,
        "closures": [{"date": c.date.isoformat(), "reason": c.reason} for c in calendar.closures.all()],
    }


def _policy_out(policy: ServicePolicy) -> dict[str, Any]:
    return {
        **model_to_dict(policy, exclude=["id", "calendar"]),
        "id": policy.pk,
        "calendar_id": policy.calendar_id,
    }


@router.get("/sla/calendars")
def list_calendars(request: HttpRequest) -> list[dict[str, Any]]:
    staff_allowed(request, Capability.SLA_VIEW)
    return [_calendar_out(calendar) for calendar in selectors.list_calendars()]


def _save_calendar(request: HttpRequest, payload: CalendarIn, calendar_id: int | None) -> dict[str, Any]:
    calendar = services.save_calendar(
        by=staff_allowed(request, Capability.SLA_CONFIGURE),
        reason=payload.reason,
        name=payload.name,
        timezone_name=payload.timezone,
        weekly_hours=payload.weekly_hours,
        holiday_country=payload.holiday_country,
        holiday_subdivision=payload.holiday_subdivision,
        closures=[(closure.date, closure.reason) for closure in payload.closures],
        is_support_hours=payload.is_support_hours,
        calendar_id=calendar_id,
    )
    return _calendar_out(calendar)


@router.post("/sla/calendars", response={201: dict[str, Any]})
def create_calendar(request: HttpRequest, payload: CalendarIn) -> tuple[int, dict[str, Any]]:
    return 201, _save_calendar(request, payload, None)


@router.put("/sla/calendars/{calendar_id}")
def update_calendar(request: HttpRequest, calendar_id: int, payload: CalendarIn) -> dict[str, Any]:
    return _save_calendar(request, payload, calendar_id)


@router.get("/sla/policies")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    staff_allowed(request, Capability.SLA_VIEW)
    return [_policy_out(policy) for policy in selectors.list_policies()]


@router.post("/sla/policies", response={201: dict[str, Any]})
def create_policy(request: HttpRequest, payload: PolicyIn) -> tuple[int, dict[str, Any]]:
    staff = staff_allowed(request, Capability.SLA_CONFIGURE)
    policy = services.save_policy(by=staff, reason=payload.reason, calendar_id=payload.calendar_id,
                                  fields=payload.fields)  # fmt: skip
    return 201, _policy_out(policy)


@router.put("/sla/policies/{policy_id}")
def update_policy(request: HttpRequest, policy_id: int, payload: PolicyIn) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.SLA_CONFIGURE)
    policy = services.save_policy(
        by=staff,
        reason=payload.reason,
        calendar_id=payload.calendar_id,
        fields=payload.fields,
        policy_id=policy_id,
    )
    return _policy_out(policy)


@router.get(
    "/sla/breaches", response=dict[str, Any], summary="Overdue open cases and recorded breaches (DFS-03)"
)
def breaches(request: HttpRequest) -> dict[str, Any]:
    staff_allowed(request, Capability.SLA_VIEW)
    return {
        "overdue": [
            {
                "reference": case.reference,
                "kind": case.kind,
                "topic": case.topic_id,
                "due_at": case.next_due_at,
            }
            for case in selectors.list_overdue_cases()
        ],
        "events": [
            {
                "reference": event.case.reference,
                "clock": event.clock,
                "kind": event.kind,
                "due_at": event.due_at,
                "occurred_at": event.occurred_at,
                "notified": event.notified,
            }
            for event in selectors.list_breaches()[:500]
        ],
    }
