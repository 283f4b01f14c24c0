"""Calendars and policies over the API: admins change them (versioned), others read or are refused."""

from __future__ import annotations

import json

import pytest

from clearline.accounts.models import Role
from clearline.sla.models import BusinessCalendar, ServicePolicy

pytestmark = pytest.mark.django_db


def _put(client, path, body):
    return client.put(path, data=json.dumps(body), content_type="application/json")


def test_admin_changes_support_hours_and_a_policy_over_the_api_prd_02(make_staff, api_client_for):
    """PRD-02: an admin edits the support calendar (split shift, a closure) and a policy target."""
    client = api_client_for(make_staff(Role.ADMIN))
    calendar = BusinessCalendar.objects.get(is_support_hours=True)
    body = {
        "name": "Support hours", "timezone": "America/New_York", "holiday_country": "US",
        "holiday_subdivision": "NY", "is_support_hours": True, "reason": "lunch break and an office move",
        "weekly_hours": {d: [["08:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu")},
        "closures": [{"date": "2026-12-24", "reason": "office move"}],
    }  # fmt: skip
    response = _put(client, f"/api/v1/sla/calendars/{calendar.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["closures"][0]["date"] == "2026-12-24"
    policy = ServicePolicy.objects.get(name="Default")
    changed = _put(
        client,
        f"/api/v1/sla/policies/{policy.pk}",
        {"calendar_id": calendar.pk, "reason": "review", "fields": {"update_cadence_minutes": 1200}},
    )
    assert changed.status_code == 200 and changed.json()["update_cadence_minutes"] == 1200


def test_bad_calendar_gets_a_422_with_the_reason_not_a_500_prd_02(make_staff, api_client_for):
    client = api_client_for(make_staff(Role.ADMIN))
    calendar = BusinessCalendar.objects.get(is_support_hours=True)
    body = {"name": "Support hours", "timezone": "America/New_York", "weekly_hours": {}, "reason": "oops",
            "is_support_hours": True}  # fmt: skip
    response = _put(client, f"/api/v1/sla/calendars/{calendar.pk}", body)
    assert response.status_code == 422 and "no open hours" in response.json()["detail"]
    assert BusinessCalendar.objects.get(pk=calendar.pk).version == 1


@pytest.mark.parametrize(("role", "read", "write"), [(Role.AGENT, 200, 403), (Role.EXAMINER, 200, 403),
                                                       (Role.COMPLIANCE, 200, 403)])  # fmt: skip
def test_only_admins_change_policies_others_read_them(make_staff, api_client_for, role, read, write):
    client = api_client_for(make_staff(role))
    assert client.get("/api/v1/sla/policies").status_code == read
    policy = ServicePolicy.objects.get(name="Default")
    response = _put(client, f"/api/v1/sla/policies/{policy.pk}",
                    {"calendar_id": policy.calendar_id, "reason": "x", "fields": {}})  # fmt: skip
    assert response.status_code == write and ServicePolicy.objects.get(pk=policy.pk).version == 1


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/sla/policies").status_code == 401
