"""The examiner export (NYCRR-07, NYCRR-08, DFS-33): every case received in a date range with everything of
it, the audit chains of those cases with the trail's verification, frozen packs, the registers, and a
manifest with each file's SHA-256. Written as a ZIP, case by case, so memory stays flat whatever the range.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q, QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from clearline.audit.models import AuditEvent
from clearline.audit.verification import verify_audit_trail
from clearline.cases.models import Case, Message
from clearline.channels.email.models import InboundEmail
from clearline.channels.voice.models import Call
from clearline.org.selectors import local_period, organisation_for_texts

from .documents import policies_pdf
from .models import FrozenPack, Policy, RegulatorTask, ResponsiblePerson
from .registers import current_programme_policies

CHUNK = 200
HOW_TO_VERIFY = (
    "Each event's hash is SHA-256 of the canonical JSON (sorted keys, no spaces) of stream, seq, occurred_at "
    "(ISO, microseconds), actor, action, target, data and prev; prev is the previous event's hash in the "
    "stream, 64 zeros for the first."
)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    cases: int
    audit_events: int
    files: dict[str, str]  # name -> sha256


class _HashingWriter:
    """A ZIP member that also digests what goes into it."""

    def __init__(self, member: IO[bytes]) -> None:
        self.member, self.digest = member, hashlib.sha256()

    def line(self, value: Any) -> None:
        data = (json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True) + "\n").encode()
        self.member.write(data)
        self.digest.update(data)


def _range(start: date, end: date) -> tuple[datetime, datetime]:
    """From ``start`` to ``end`` inclusive, as a half-open range of instants."""
    return local_period(start, end + timedelta(days=1))


def _cases(start: date, end: date) -> QuerySet[Case]:
    first, after = _range(start, end)
    return (
        Case.objects.filter(received_at__gte=first, received_at__lt=after)
        .select_related("customer", "topic", "assignee", "related_case", "survey")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.order_by("created_at", "id")),
            "classification_changes",
            "resolutions",
            "amendments",
            "clock_events",
            "notice_links__notice",
        )
        .order_by("received_at", "id")
    )


def _case_record(case: Case) -> dict[str, Any]:
    """Everything of a case an examiner reads: facts, every message (notes included), decisions, links."""
    survey = getattr(case, "survey", None)
    return {
        **model_to_dict(
            case, exclude=["customer", "assignee", "related_case", "explanation_message", "topic"]
        ),
        "topic": case.topic_id,
        "customer": {
            "email": case.customer.email,
            "name": case.customer.name,
            "segment": case.customer_segment,
        },
        "assignee": case.assignee.email if case.assignee else None,
        "related_case": case.related_case.reference if case.related_case else None,
        "explanation_message": case.explanation_message_id,
        "messages": [
            model_to_dict(message, exclude=["case"]) | {"created_at": message.created_at}
            for message in case.messages.all()
        ],
        "classification_history": [
            model_to_dict(c, exclude=["case"]) | {"changed_at": c.changed_at}
            for c in case.classification_changes.all()
        ],
        "resolutions": [model_to_dict(r, exclude=["case"]) for r in case.resolutions.all()],
        "timestamp_amendments": [model_to_dict(a, exclude=["case"]) for a in case.amendments.all()],
        "clock_events": [model_to_dict(e, exclude=["case"]) for e in case.clock_events.all()],
        "incidents": [link.notice_id for link in case.notice_links.all()],
        "satisfaction": None
        if survey is None
        else {"sent_at": survey.sent_at, "score": survey.score, "comment": survey.comment},
    }


def _events(streams: list[str]) -> Iterator[AuditEvent]:
    for offset in range(0, len(streams), 500):
        batch = streams[offset : offset + 500]
        yield from (
            AuditEvent.objects.filter(stream__in=batch).order_by("stream", "seq").iterator(chunk_size=2000)
        )


def write_export(
    start: date, end: date, target: IO[bytes], *, progress: Progress | None = None
) -> ExportResult:
    """Write the bundle for cases received from ``start`` to ``end`` (inclusive, the firm's time zone)."""
    cases = _cases(start, end)
    total = cases.count()
    files: dict[str, str] = {}
    streams: list[str] = []
    done = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        with bundle.open("cases.jsonl", "w", force_zip64=True) as member:
            writer = _HashingWriter(member)
            for offset in range(0, total, CHUNK):  # a page at a time: prefetches stay bounded
                for case in cases[offset : offset + CHUNK]:
                    writer.line(_case_record(case))
                    streams.append(f"case:{case.reference}")
                    done += 1
                if progress:
                    progress(done, total)
        files["cases.jsonl"] = writer.digest.hexdigest()
        _write_originals(bundle, files, cases, start, end)
        _write_calls(bundle, files, cases)
        events = 0
        with bundle.open("audit_events.jsonl", "w", force_zip64=True) as member:
            writer = _HashingWriter(member)
            for event in _events(streams):
                writer.line(
                    model_to_dict(event)
                    | {"occurred_at": event.occurred_at.isoformat(timespec="microseconds")}
                )
                events += 1
        files["audit_events.jsonl"] = writer.digest.hexdigest()
        verification = verify_audit_trail(stop_at_first=False)
        _write_json(
            bundle,
            files,
            "audit_verification.json",
            {
                "ok": verification.ok,
                "events_checked": verification.events_checked,
                "streams_checked": verification.streams_checked,
                "seals_checked": verification.seals_checked,
                "problems": verification.problems,
                "how_to_verify": HOW_TO_VERIFY,
            },
        )
        for pack in FrozenPack.objects.all():
            name = f"packs/dfs-{pack.quarter}-v{pack.version}.json"
            _write_bytes(bundle, files, name, pack.pack_json.encode())
        _write_json(bundle, files, "registers.json", _registers())
        policies = policies_pdf(
            current_programme_policies(),
            organisation=organisation_for_texts().name,
            generated_at=timezone.now(),
        )
        _write_bytes(bundle, files, "policies.pdf", policies)
        _write_json(
            bundle,
            files,
            "manifest.json",
            {
                "range": {
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "timezone": organisation_for_texts().timezone,
                },
                "generated_at": timezone.now().isoformat(),
                "cases": total,
                "audit_events": events,
                "files": dict(sorted(files.items())),
            },
        )
    return ExportResult(cases=total, audit_events=events, files=files)


def _write_originals(
    bundle: zipfile.ZipFile, files: dict[str, str], cases: QuerySet[Case], start: date, end: date
) -> None:
    """Every stored email of these cases, and the range's quarantined ones, as received (NYCRR-06, DFS-25;
    with a secret removed where the customer pasted one, see decision 0006)."""
    first, after = _range(start, end)
    emails = InboundEmail.objects.filter(
        Q(case__in=cases.values("pk")) | Q(case__isnull=True, received_at__gte=first, received_at__lt=after)
    ).select_related("case")
    for email in emails.only("pk", "raw", "case__reference").order_by("pk").iterator(chunk_size=CHUNK):
        folder = email.case.reference if email.case else "quarantine"
        name = f"originals/{folder}/{email.pk}.eml"
        with email.raw.open("rb") as raw:
            _write_bytes(bundle, files, name, raw.read())


def _write_calls(bundle: zipfile.ZipFile, files: dict[str, str], cases: QuerySet[Case]) -> None:
    """Each call on these cases (live, callback, voicemail): its record and its recording (DFS-25)."""
    calls = Call.objects.filter(case__in=cases.values("pk")).select_related("case", "agent", "line")
    for call in calls.order_by("pk").iterator(chunk_size=CHUNK):
        assert call.case is not None
        folder = f"calls/{call.case.reference}/{call.call_sid}"
        record = {
            "call_sid": call.call_sid,
            "line": call.line.number if call.line else None,
            "direction": call.direction,
            "caller": call.caller,
            "language": call.language,
            "started_at": call.started_at,
            "answered_at": call.answered_at,
            "ended_at": call.ended_at,
            "duration_seconds": call.duration_seconds,
            "agent": call.agent.email if call.agent else None,
            "recording_seconds": call.recording_seconds,
            "recording": f"{folder}.mp3" if call.recording else None,
            "transcript": call.transcript,
        }
        _write_json(bundle, files, f"{folder}.json", record)
        if call.recording:
            with call.recording.open("rb") as audio:
                _write_bytes(bundle, files, f"{folder}.mp3", audio.read())


def _write_json(bundle: zipfile.ZipFile, files: dict[str, str], name: str, value: Any) -> None:
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True).encode()
    _write_bytes(bundle, files, name, data)


def _write_bytes(bundle: zipfile.ZipFile, files: dict[str, str], name: str, data: bytes) -> None:
    """A member of the bundle, and its SHA-256 for the manifest."""
    bundle.writestr(name, data)
    files[name] = hashlib.sha256(data).hexdigest()


def _registers() -> dict[str, Any]:
    return {
        "policies": [
            {
                **model_to_dict(p, exclude=["owner"]),
                "owner": p.owner.email,
                "versions": [model_to_dict(v) for v in p.versions.order_by("version")],
            }
            for p in Policy.objects.select_related("owner").prefetch_related("versions")
        ],
        "responsible_persons": [model_to_dict(p) for p in ResponsiblePerson.objects.all()],
        "regulator_tasks": [
            {**model_to_dict(t, exclude=["receipt"]), "receipt": t.receipt.name}
            for t in RegulatorTask.objects.all()
        ],
    }


def export_to_file(start: date, end: date, path: Path, *, progress: Progress | None = None) -> ExportResult:
    with path.open("wb") as handle:
        return write_export(start, end, handle, progress=progress)
