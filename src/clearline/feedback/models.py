"""One satisfaction survey per case (DFS-24): scheduled at resolution, sent by the case's channel, answered
once without an account. The score and comment are the case's; reports read them from here."""

from __future__ import annotations

from django.db import models


class Survey(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="survey")
    due_at = models.DateTimeField(help_text="Resolution time plus the organisation's survey delay.")
    sent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, blank=True, help_text="How the invitation went out.")
    message = models.OneToOneField(
        "cases.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="Redacted like every customer text (CRY-03).")

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], name="survey_due_idx", condition=models.Q(sent_at__isnull=True)),
            models.Index(fields=["sent_at"], name="survey_sent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="survey_score_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"survey of case {self.case_id}"
