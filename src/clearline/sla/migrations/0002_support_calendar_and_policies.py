"""The support calendar (moved from the organisation row) and the shipped default service policies.

Targets are in minutes of open time on the calendar; "1 business day" is 8 hours on 09:00-17:00 hours.
They are marked ``is_shipped_default`` until an admin reviews them.
"""

from django.db import migrations
from django.utils import timezone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
BUSINESS_DAY = 8 * 60

# name, kind, topic, first response, update cadence, update action, resolution
POLICIES = [
    ("Default", "", "", BUSINESS_DAY, 5 * BUSINESS_DAY, "send_status_update", 10 * BUSINESS_DAY),
    ("Complaints", "complaint", "", 4 * 60, 5 * BUSINESS_DAY, "prompt_agent", 15 * BUSINESS_DAY),
    (
        "Account compromise",
        "",
        "unauthorized_transaction",
        60,
        BUSINESS_DAY,
        "prompt_agent",
        10 * BUSINESS_DAY,
    ),
    ("Fraud and scam reports", "", "fraud_scam", 60, BUSINESS_DAY, "prompt_agent", 10 * BUSINESS_DAY),
    (
        "Account access and 2FA",
        "",
        "account_access",
        4 * 60,
        2 * BUSINESS_DAY,
        "send_status_update",
        5 * BUSINESS_DAY,
    ),
]


def _snapshot(policy):
    return {
        field: getattr(policy, field)
        for field in (
            "name",
            "kind",
            "topic",
            "priority",
            "calendar_id",
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
            "is_shipped_default",
            "is_active",
        )
    }


def load(apps, schema_editor):
    Organisation = apps.get_model("org", "Organisation")
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    ServicePolicy = apps.get_model("sla", "ServicePolicy")
    ConfigRevision = apps.get_model("sla", "ConfigRevision")
    organisation = Organisation.objects.order_by("id").first()
    weekly = dict.fromkeys(WEEKDAYS, [["09:00", "17:00"]])
    if organisation is not None and organisation.business_hours:
        weekly = organisation.business_hours
    calendar = BusinessCalendar.objects.create(
        name="Support hours",
        timezone=organisation.timezone if organisation else "America/New_York",
        weekly_hours=weekly,
        holiday_country=organisation.holiday_country if organisation else "US",
        holiday_subdivision=organisation.holiday_subdivision if organisation else "NY",
        is_support_hours=True,
    )
    now = timezone.now()
    ConfigRevision.objects.create(
        entity="calendar",
        entity_id=calendar.pk,
        version=1,
        snapshot={
            "name": calendar.name,
            "timezone": calendar.timezone,
            "weekly_hours": weekly,
            "holiday_country": calendar.holiday_country,
            "holiday_subdivision": calendar.holiday_subdivision,
            "closures": [],
            "is_support_hours": True,
        },
        reason="shipped default",
        changed_at=now,
    )
    for name, kind, topic, first_response, cadence, action, resolution in POLICIES:
        policy = ServicePolicy.objects.create(
            name=name,
            kind=kind,
            topic=topic,
            calendar=calendar,
            first_response_minutes=first_response,
            update_cadence_minutes=cadence,
            update_action=action,
            resolution_minutes=resolution,
            is_shipped_default=True,
        )
        ConfigRevision.objects.create(
            entity="policy",
            entity_id=policy.pk,
            version=1,
            snapshot=_snapshot(policy),
            reason="shipped default",
            changed_at=now,
        )


def unload(apps, schema_editor):
    apps.get_model("sla", "ServicePolicy").objects.all().delete()
    apps.get_model("sla", "BusinessCalendar").objects.all().delete()
    apps.get_model("sla", "ConfigRevision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial"), ("org", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
