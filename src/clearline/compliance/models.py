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
