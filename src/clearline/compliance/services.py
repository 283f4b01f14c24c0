"""Signing off a quarter's pack (DFS-30). The only writes of the compliance app, and none to case data."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.core.errors import DomainError

from .models import FrozenPack
from .reports import dfs_pack, pack_csv, pack_json, parse_quarter

RETENTION_YEARS = 7


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def freeze_pack(label: str, *, by: Staff) -> FrozenPack:
    """Freeze the pack as its next version; refused before the quarter ends or if nothing changed."""
    require(by, Capability.REPORT_SIGN_OFF)
    quarter = parse_quarter(label)
    now = timezone.now()
    if now < quarter.end:
        raise DomainError(
            f"{quarter.label} has not ended; a pack is frozen after its last day.", field="quarter"
        )
    pack = dfs_pack(quarter.label)
    text = pack_json(pack)
    with transaction.atomic():
        latest = (
            FrozenPack.objects.select_for_update().filter(quarter=quarter.label).order_by("-version").first()
        )
        if latest is not None and latest.data_sha256 == pack["sha256"]:
            raise DomainError(
                f"{quarter.label} is already frozen (version {latest.version}) from the same data.",
                code="unchanged",
            )
        version = (FrozenPack.objects.filter(quarter=quarter.label).aggregate(v=Max("version"))["v"] or 0) + 1
        frozen = FrozenPack.objects.create(
            quarter=quarter.label,
            version=version,
            pack_json=text,
            pack_csv=pack_csv(pack),
            data_sha256=pack["sha256"],
            file_sha256=hashlib.sha256(text.encode()).hexdigest(),
            signed_off_by=by,
            signed_off_at=now,
            retain_until=_years_after(timezone.localdate(now), RETENTION_YEARS),
        )
        audit.record(
            actor=audit.Actor("staff", str(by.pk), by.email),
            action="report.frozen",
            target=frozen,
            new_stream=True,
            data={"quarter": quarter.label, "version": version, "file_sha256": frozen.file_sha256},
        )
    return frozen
