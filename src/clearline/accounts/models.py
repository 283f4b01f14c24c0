"""Staff (with roles and MFA), their API tokens and HCSR training records; customers."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Supervisor"
    COMPLIANCE = "compliance", "Compliance officer"
    ADMIN = "admin", "Administrator"
    EXAMINER = "examiner", "Examiner (read-only)"


class StaffManager(BaseUserManager["Staff"]):
    def get_by_natural_key(self, username: str | None) -> Staff:
        return self.get(email__iexact=username or "")


class Staff(AbstractBaseUser):
    """A person working in the desk. Every staff login requires a confirmed TOTP device."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    languages = models.JSONField(default=list, blank=True, help_text="Language codes the person works in.")
    skills = models.JSONField(
        default=list, blank=True, help_text="Topic keys the person handles; empty: every topic."
    )
    last_routed_at = models.DateTimeField(
        null=True, blank=True, help_text="When automatic assignment last gave this person a case."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = StaffManager()

    class Meta:
        verbose_name_plural = "staff"
        constraints = [models.UniqueConstraint(Lower("email"), name="staff_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token in lists.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TrainingRecord(models.Model):
    """HCSR training (DFS-06): no case is assigned to an agent without a current record."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="training_records")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    expires_on = models.DateField()
    attested_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="attested_training", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["staff", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on} to {self.expires_on})"

    def is_current(self, on: date) -> bool:
        return self.completed_on <= on < self.expires_on


class Segment(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    INSTITUTIONAL = "institutional", "Institutional"
    UNKNOWN = "unknown", "Unknown"


class Customer(models.Model):
    """Someone who contacts the firm, known by an email address, a phone number (E.164) or both; a caller
    who never gave an address is known by the number alone."""

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True, help_text="E.164, e.g. +12125550142.")
    name = models.CharField(max_length=200, blank=True)
    segment = models.CharField(max_length=20, choices=Segment.choices, default=Segment.UNKNOWN)
    language = models.CharField(max_length=8, blank=True)
    external_account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="customer_email_ci_unique", condition=~Q(email="")),
            models.CheckConstraint(condition=~Q(email="", phone=""), name="customer_email_or_phone"),
        ]

    def __str__(self) -> str:
        return self.email or self.phone
