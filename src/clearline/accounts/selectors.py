from __future__ import annotations

from datetime import date

from django.db.models.functions import Lower

from .models import ApiToken, Staff, TrainingRecord


def has_current_training(staff: Staff, *, on: date) -> bool:
    """DFS-06: a current HCSR training record on the given day."""
    return TrainingRecord.objects.filter(staff=staff, completed_on__lte=on, expires_on__gt=on).exists()


def get_staff_by_email(email: str) -> Staff | None:
    return Staff.objects.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower()).first()


def list_api_tokens(staff: Staff) -> list[ApiToken]:
    return list(staff.api_tokens.order_by("-created_at"))
