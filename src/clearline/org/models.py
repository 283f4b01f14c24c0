"""The firm running the desk: one row, the single source of truth for contact details and hours."""

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/New_York")
    support_phone = models.CharField(max_length=40, blank=True)
    support_email = models.EmailField(blank=True)
    complaint_mailing_address = models.TextField(blank=True)
    business_hours = models.JSONField(
        default=dict, blank=True, help_text='Weekly periods, e.g. {"mon": [["09:00", "18:00"]], ...}.'
    )
    holiday_country = models.CharField(max_length=2, default="US")
    holiday_subdivision = models.CharField(max_length=8, blank=True, default="NY")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name
