"""Signing off a quarter's pack (DFS-30) and running examiner exports (NYCRR-08). None writes case data."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.core.errors import DomainError
from clearline.core.jobs import enqueue_on_commit

from .export import write_export
from .models import ExportJob, FrozenPack
from .reports import dfs_pack, pack_csv, pack_json, parse_quarter
from .retention import kept_until


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
        version = latest.version + 1 if latest else 1
        frozen = FrozenPack.objects.create(
            quarter=quarter.label,
            version=version,
            pack_json=text,
            pack_csv=pack_csv(pack),
            data_sha256=pack["sha256"],
            file_sha256=hashlib.sha256(text.encode()).hexdigest(),
            signed_off_by=by,
            signed_off_at=now,
            retain_until=kept_until("frozen_pack", now),
        )
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="report.frozen",
            target=frozen,
            new_stream=True,
            data={"quarter": quarter.label, "version": version, "file_sha256": frozen.file_sha256},
        )
    return frozen


def request_export(*, start: date, end: date, by: Staff) -> ExportJob:
    """An examiner export of cases received in [start, end], run by a worker (NYCRR-08)."""
    require(by, Capability.REPORT_VIEW)
    if end < start or (end - start).days > 3 * 366:
        raise DomainError("Give a range of at most three years, from before to.", field="to")
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=by, range_from=start, range_to=end, created_at=timezone.now()
        )
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="export.requested",
            target=job,
            new_stream=True,
            data={"from": start.isoformat(), "to": end.isoformat()},
        )
        from . import tasks  # tasks import services

        enqueue_on_commit(tasks.run_export, job.pk)
    return job


def run_export(job_id: int) -> ExportJob:
    job = ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        with tempfile.TemporaryFile() as handle:
            result = write_export(job.range_from, job.range_to, handle, progress=progress)
            handle.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            handle.seek(0)
            job.bundle.save(f"export-{job.pk}-{job.range_from}-{job.range_to}.zip", File(handle), save=False)
    except Exception as error:  # a failed export is reported on the job, never lost silently
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        bundle=job.bundle.name,
        sha256=digest.hexdigest(),
        done=result.cases,
        total=result.cases,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
