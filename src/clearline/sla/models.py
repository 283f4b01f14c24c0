"""Business-hours calendars, service policies and what the clocks did. Policy is data: versioned, audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BusinessCalendar(models.Model):
    """When humans are at work: weekly periods in local time, public holidays and custom closures."""

    name = models.CharField(max_length=100, unique=True)
    timezone = models.CharField(max_length=64)
    weekly_hours = models.JSONField(help_text='{"mon": [["09:00", "12:30"], ["13:30", "17:00"]], ...}')
    holiday_country = models.CharField(max_length=2, blank=True, help_text="ISO code for public holidays.")
    holiday_subdivision = models.CharField(max_length=8, blank=True, help_text='State or region, e.g. "NY".')
    is_support_hours = models.BooleanField(
        default=False, help_text="The hours published on the help centre and used when a policy names none."
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_support_hours"],
                condition=models.Q(is_support_hours=True),
                name="one_support_calendar",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalendarClosure(models.Model):
    """A day the desk is closed beyond public holidays (an office move, a firm-wide day off)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closure_unique_per_day")]

    def __str__(self) -> str:
        return f"{self.calendar_id}:{self.date}"


class TimeBasis(models.TextChoices):
    BUSINESS = "business", "Business time"
    CALENDAR = "calendar", "Calendar time"


class UpdateAction(models.TextChoices):
    SEND_STATUS_UPDATE = "send_status_update", "Send the customer an automatic status update"
    PROMPT_AGENT = "prompt_agent", "Prompt the agent to write one"


class ServicePolicy(models.Model):
    """Targets for cases matching kind, topic and priority (blank matches any; the most specific wins)."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, blank=True)
    topic = models.CharField(max_length=60, blank=True, help_text="Topic key.")
    priority = models.CharField(max_length=8, blank=True)
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="policies")
    acknowledgement_minutes = models.PositiveIntegerField(default=1, help_text="Calendar time, at any hour.")
    first_response_minutes = models.PositiveIntegerField()
    first_response_basis = models.CharField(
        max_length=8, choices=TimeBasis.choices, default=TimeBasis.BUSINESS
    )
    update_cadence_minutes = models.PositiveIntegerField()
    update_cadence_basis = models.CharField(
        max_length=8, choices=TimeBasis.choices, default=TimeBasis.BUSINESS
    )
    update_action = models.CharField(
        max_length=20, choices=UpdateAction.choices, default=UpdateAction.SEND_STATUS_UPDATE
    )
    resolution_minutes = models.PositiveIntegerField()
    resolution_basis = models.CharField(max_length=8, choices=TimeBasis.choices, default=TimeBasis.BUSINESS)
    unassigned_alert_minutes = models.PositiveIntegerField(default=15, help_text="Business time (DFS-11).")
    reminder_minutes = models.PositiveIntegerField(
        default=30, help_text="Remind the assignee this long before."
    )
    is_shipped_default = models.BooleanField(default=False, help_text="Values as shipped, not yet reviewed.")
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "service policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    acknowledgement_minutes__gt=0,
                    first_response_minutes__gt=0,
                    update_cadence_minutes__gt=0,
                    resolution_minutes__gt=0,
                    unassigned_alert_minutes__gt=0,
                ),
                name="policy_targets_positive",
            ),
            models.UniqueConstraint(
                fields=["kind", "topic", "priority"],
                condition=models.Q(is_active=True),
                name="one_policy_per_match",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConfigRevision(models.Model):
    """Every saved version of a calendar or policy, whole, with who changed it and why."""

    entity = models.CharField(max_length=20)  # "calendar" or "policy"
    entity_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "entity_id", "version"], name="revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.entity}:{self.entity_id} v{self.version}"


class Clock(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First human response"
    UPDATE = "update", "Update cadence"
    RESOLUTION = "resolution", "Resolution"
    UNASSIGNED = "unassigned", "Unassigned message"


class ClockEventKind(models.TextChoices):
    REMINDER = "reminder", "Assignee reminded"
    BREACH = "breach", "Target breached, escalated"
    STATUS_UPDATE = "status_update", "Automatic status update sent"
    AGENT_PROMPT = "agent_prompt", "Agent prompted to update the customer"
    ALERT = "alert", "Unassigned alert"


class ClockEvent(models.Model):
    """What the due-work sweep did for one deadline; unique, so a retried sweep never acts twice."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="clock_events")
    clock = models.CharField(max_length=16, choices=Clock.choices)
    kind = models.CharField(max_length=16, choices=ClockEventKind.choices)
    due_at = models.DateTimeField()
    occurred_at = models.DateTimeField()
    notified = models.JSONField(default=list, blank=True, help_text="Staff emails alerted.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "clock", "kind", "due_at"], name="clock_event_once")
        ]
        indexes = [models.Index(fields=["kind", "occurred_at"], name="clock_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.clock}:{self.kind}"


class StaffAlert(models.Model):
    """A reminder or escalation in a staff member's console."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(ClockEvent, on_delete=models.CASCADE, related_name="alerts")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="alert_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text}"
