"""The firm running the desk: one row, the single source of truth for contact details and disclosures.

Acknowledgements, the help centre and the phone greeting all read these values; support hours live in the
support calendar (``sla.BusinessCalendar.is_support_hours``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

NYDFS_NAME = "New York State Department of Financial Services (DFS), Consumer Assistance Unit"
NYDFS_ADDRESS = "One Commerce Plaza, Albany, NY 12257"
NYDFS_WEBSITE = "https://www.dfs.ny.gov"
NYDFS_PHONE = "(800) 342-3736"  # DFS release of 8 March 2023; confirm before go-live (requirements NYCRR-03)


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/New_York")
    website = models.URLField(blank=True, help_text="Public help-centre address, used in customer links.")
    support_phone = models.CharField(max_length=40, blank=True)
    support_email = models.EmailField(blank=True)
    complaint_mailing_address = models.TextField(blank=True)
    complaint_email = models.EmailField(blank=True, help_text="Blank: the support email.")
    complaint_phone = models.CharField(max_length=40, blank=True, help_text="Blank: the support phone.")
    extra_disclosure = models.TextField(
        blank=True, help_text="Any other information the superintendent requires (NYCRR-04), shown with it."
    )
    survey_delay_minutes = models.PositiveIntegerField(
        default=60,
        validators=[MaxValueValidator(24 * 60)],
        help_text="Wait after resolution before the satisfaction survey; DFS-24 expects it within 24 h.",
    )
    assign_automatically = models.BooleanField(
        default=False,
        help_text="Give each new case to a trained agent by language and topic, in turn (round robin).",
    )
    regulator_name = models.CharField(max_length=200, default=NYDFS_NAME)
    regulator_address = models.CharField(max_length=300, default=NYDFS_ADDRESS)
    regulator_website = models.URLField(default=NYDFS_WEBSITE)
    regulator_phone = models.CharField(max_length=40, default=NYDFS_PHONE)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @property
    def complaints_email(self) -> str:
        return self.complaint_email or self.support_email

    @property
    def complaints_phone(self) -> str:
        return self.complaint_phone or self.support_phone
