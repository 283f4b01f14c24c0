"""The audit trail: append-only events, hash-chained per stream, sealed in global order.

See docs/decisions/0003-audit-chain.md for how tamper-evidence is kept without a global lock.
Rows are never updated or deleted: database triggers refuse it (migration 0002).
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    stream = models.CharField(max_length=80, help_text="Chain this event belongs to, e.g. case:CL-7KQ2M9XA.")
    seq = models.PositiveBigIntegerField(help_text="Position in the stream, from 1, without gaps.")
    occurred_at = models.DateTimeField()
    actor_type = models.CharField(max_length=20)  # staff, customer, system, api
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_stream_seq_unique")]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.action}"


class AuditSeal(models.Model):
    """A checkpoint over every event up to ``through_event_id``, chained to the previous seal."""

    seq = models.PositiveBigIntegerField(unique=True)
    sealed_at = models.DateTimeField()
    from_event_id = models.BigIntegerField(
        help_text="Exclusive lower bound (the previous seal's upper bound)."
    )
    through_event_id = models.BigIntegerField()
    event_count = models.PositiveBigIntegerField()
    events_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"seal #{self.seq} through event {self.through_event_id}"
