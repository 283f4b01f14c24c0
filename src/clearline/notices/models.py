"""Planned maintenance and incidents, the components they affect, their updates and the cases they touch.

DFS-22: customers hear about planned events ahead and about outages promptly. CRY-05: an incident on a
network shows on intake of a matching case, tags the case, and one update reaches every linked open case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clearline.core.texts import in_language


class Component(models.Model):
    """A part of the service customers know: the website, sign-in, a network (optionally one asset on it)."""

    key = models.SlugField(max_length=60, unique=True)
    names = models.JSONField(help_text='Name per language code, e.g. {"en": "Ethereum deposits"}.')
    network = models.ForeignKey("crypto.Network", on_delete=models.PROTECT, null=True, blank=True)
    asset = models.CharField(max_length=20, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key

    def name(self, language: str = "en") -> str:
        return in_language(self.names, language, default=self.key)


class NoticeKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    MAINTENANCE = "maintenance", "Planned maintenance"


class Impact(models.TextChoices):
    DEGRADED = "degraded", "Degraded performance"
    PARTIAL_OUTAGE = "partial_outage", "Partial outage"
    MAJOR_OUTAGE = "major_outage", "Major outage"
    MAINTENANCE = "maintenance", "Under maintenance"


class Stage(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


INCIDENT_STAGES = (Stage.INVESTIGATING, Stage.IDENTIFIED, Stage.MONITORING, Stage.RESOLVED)
MAINTENANCE_STAGES = (Stage.SCHEDULED, Stage.IN_PROGRESS, Stage.COMPLETED)
FINAL_STAGES = (Stage.RESOLVED, Stage.COMPLETED)


class Notice(models.Model):
    """An incident or a planned maintenance; texts are per language, like every customer-facing text."""

    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    titles = models.JSONField(help_text="Title per language code.")
    intake_notices = models.JSONField(
        default=dict,
        blank=True,
        help_text="Shown to customers filing a matching case, per language (CRY-05).",
    )
    impact = models.CharField(max_length=16, choices=Impact.choices)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    components = models.ManyToManyField(Component, related_name="notices")
    topics = models.JSONField(default=list, blank=True, help_text="Topic keys affected; empty: every topic.")
    starts_at = models.DateTimeField(help_text="Incident: when it began. Maintenance: start of the window.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Maintenance: end of the window.")
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str = "en") -> str:
        return in_language(self.titles, language)

    def intake_notice(self, language: str = "en") -> str:
        return in_language(self.intake_notices, language)


class NoticeUpdate(models.Model):
    """One stage of a notice's story, as customers read it on the status page and on their cases."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="updates")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    bodies = models.JSONField(help_text="Text per language code.")
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cases_updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.stage}"

    def body(self, language: str = "en") -> str:
        return in_language(self.bodies, language)


class NoticeCase(models.Model):
    """A case received during a notice about what it affects: the case's incident tag (DFS-22, CRY-05)."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notice_links")
    linked_at = models.DateTimeField()
    last_update_sent = models.ForeignKey(
        NoticeUpdate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "case"], name="notice_case_once")]

    def __str__(self) -> str:
        return f"{self.notice_id} -> {self.case_id}"
