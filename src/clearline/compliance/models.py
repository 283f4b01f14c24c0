"""Frozen quarterly packs (DFS-30): immutable versions with their digests, who signed them off, and until
when they are kept."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from clearline.core.errors import DomainError


class FrozenPack(models.Model):
    quarter = models.CharField(max_length=6)
    version = models.PositiveSmallIntegerField()
    pack_json = models.TextField()
    pack_csv = models.TextField()
    data_sha256 = models.CharField(
        max_length=64, help_text="The pack's digest of the rows it was built from."
    )
    file_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the JSON file as stored.")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField()
    retain_until = models.DateField(help_text="Seven years after sign-off (NYCRR-06).")

    class Meta:
        ordering = ["-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "version"], name="frozen_pack_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.quarter} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("A frozen pack never changes; freeze a new version instead.", code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DomainError("Frozen packs are kept for seven years and cannot be deleted.", code="immutable")


class Policy(models.Model):
    """A written policy or procedure of the customer-service and complaints programme (DFS-31, NYCRR-01)."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    tags = models.JSONField(
        default=list, help_text='e.g. ["complaints"]: complaint policies notify the regulator.'
    )
    is_public = models.BooleanField(
        default=False, help_text="Published on the help centre (the complaint procedure)."
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class PolicyVersion(models.Model):
    """One version: drafted, then approved by someone else; approved versions never change."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    body = models.TextField(help_text="Markdown.")
    change_summary = models.CharField(max_length=500)
    effective_from = models.DateField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "-version"]
        constraints = [models.UniqueConstraint(fields=["policy", "version"], name="policy_version_once")]

    def __str__(self) -> str:
        return f"{self.policy_id} v{self.version}"


class ResponsiblePerson(models.Model):
    """A named person responsible for the programme (DFS-32), with role and dates."""

    class Role(models.TextChoices):
        ACCOUNTABLE_OWNER = "accountable_owner", "Accountable owner"
        COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
        CUSTOMER_SERVICE_LEAD = "customer_service_lead", "Customer-service lead"

    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=30, choices=Role.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Last day in the role.")

    class Meta:
        ordering = ["role", "starts_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class RegulatorTask(models.Model):
    """Tell the superintendent of a change within 7 calendar days (NYCRR-05); closed only with the receipt."""

    subject = models.CharField(max_length=300)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True, blank=True)
    person = models.ForeignKey(ResponsiblePerson, on_delete=models.PROTECT, null=True, blank=True)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_reference = models.CharField(max_length=200, blank=True)
    receipt = models.FileField(upload_to="compliance/receipts/", blank=True)

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.subject


class RetentionRule(models.Model):
    """How long a kind of record is kept before it may be deleted (NYCRR-06: at least 7 years)."""

    record_type = models.CharField(max_length=40, unique=True)
    years = models.PositiveSmallIntegerField(default=7)

    def __str__(self) -> str:
        return f"{self.record_type}: {self.years} years"


class LegalHold(models.Model):
    """Keeps a case and everything of it past its retention until released."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"hold on case {self.case_id}"


class ExportJob(models.Model):
    """An examiner export running in the background, with its progress and, when done, the bundle."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    range_from = models.DateField()
    range_to = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    bundle = models.FileField(upload_to="compliance/exports/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"export {self.range_from}..{self.range_to}"


QA_CRITERIA = ("accurate", "clear_and_courteous", "timely", "compliant", "resolves_the_issue")


class QAReview(models.Model):
    """One sampled interaction of a customer-service representative and its scorecard (DFS-26)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_reviews")
    message = models.OneToOneField("cases.Message", on_delete=models.PROTECT, related_name="qa_review")
    month = models.DateField(help_text="First day of the month sampled.")
    sampled_at = models.DateTimeField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    scores = models.JSONField(default=dict, blank=True, help_text="0, 1 or 2 per criterion of QA_CRITERIA.")
    comments = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["month", "agent"], name="qa_month_agent_idx")]

    def __str__(self) -> str:
        return f"QA of message {self.message_id}"

    @property
    def percent(self) -> int | None:
        if not self.scores:
            return None
        return round(100 * sum(int(v) for v in self.scores.values()) / (2 * len(QA_CRITERIA)))


class ContactReconciliation(models.Model):
    """One day's check that every inbound contact record belongs to a case or to quarantine (DFS-23)."""

    day = models.DateField(unique=True)
    checked_at = models.DateTimeField()
    contacts = models.PositiveIntegerField(help_text="Inbound contact records received that day.")
    on_cases = models.PositiveIntegerField()
    quarantined = models.PositiveIntegerField()
    orphans = models.JSONField(default=list, help_text="What belongs nowhere, with the reason.")

    def __str__(self) -> str:
        return f"{self.day}: {len(self.orphans)} orphan(s)"
