"""Frozen DFS packs over the JSON API: compliance signs off, examiners and supervisors list and download."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from clearline.accounts.api_auth import staff_allowed, staff_token
from clearline.accounts.permissions import Capability, has_capability
from clearline.accounts.selectors import get_staff_by_email
from clearline.cases.selectors import get_case
from clearline.core.errors import DomainError, NotFound
from clearline.org.selectors import organisation_for_texts

from . import quality, registers, retention, services
from .documents import PACK_FORMATS, policies_pdf
from .downloads import pack_response
from .models import (
    ExportJob,
    FrozenPack,
    LegalHold,
    Policy,
    PolicyVersion,
    QAReview,
    RegulatorTask,
    ResponsiblePerson,
)
from .reconciliation import recent_reconciliations, reconciliation_out

router = Router(tags=["compliance"], auth=[staff_token])


class FreezeIn(Schema):
    quarter: str


def _out(pack: FrozenPack) -> dict[str, Any]:
    return {
        "quarter": pack.quarter,
        "version": pack.version,
        "data_sha256": pack.data_sha256,
        "file_sha256": pack.file_sha256,
        "signed_off_by": pack.signed_off_by.email,
        "signed_off_at": pack.signed_off_at,
        "retain_until": pack.retain_until,
    }


@router.get("/compliance/packs", response=list[dict[str, Any]], summary="Frozen DFS packs (DFS-30)")
def list_packs(request: HttpRequest) -> list[dict[str, Any]]:
    staff_allowed(request, Capability.REPORT_VIEW)
    return [_out(pack) for pack in FrozenPack.objects.select_related("signed_off_by")]


@router.post("/compliance/packs", response={201: dict[str, Any]}, summary="Freeze a quarter's pack (DFS-30)")
def freeze(request: HttpRequest, payload: FreezeIn) -> Status[dict[str, Any]]:
    pack = services.freeze_pack(payload.quarter, by=staff_allowed(request, Capability.REPORT_SIGN_OFF))
    return Status(201, _out(pack))


@router.get("/compliance/packs/{quarter}/{version}.{fmt}", summary="A frozen pack as stored (json or csv)")
def download(request: HttpRequest, quarter: str, version: int, fmt: str) -> HttpResponse:
    staff_allowed(request, Capability.REPORT_VIEW)
    pack = FrozenPack.objects.filter(quarter=quarter.upper(), version=version).first()
    if pack is None or fmt not in ("json", "csv"):
        raise NotFound("No such frozen pack.")
    response = HttpResponse(
        pack.pack_json if fmt == "json" else pack.pack_csv, content_type=PACK_FORMATS[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="dfs-{pack.quarter}-v{pack.version}.{fmt}"'
    response["X-Content-SHA256"] = pack.file_sha256 if fmt == "json" else ""
    return response


@router.get("/compliance/reports/dfs/{quarter}.{fmt}", summary="The DFS quarterly pack now (DFS-27/28/29)")
def dfs_report(request: HttpRequest, quarter: str, fmt: str) -> HttpResponse:
    """json, csv, xlsx or pdf; computed from the data as it is (freeze it to keep a version, DFS-30)."""
    staff_allowed(request, Capability.REPORT_VIEW)
    return pack_response(quarter, fmt)


@router.get(
    "/compliance/reconciliations", response=list[dict[str, Any]], summary="Daily contact checks (DFS-23)"
)
def reconciliations(request: HttpRequest) -> list[dict[str, Any]]:
    staff_allowed(request, Capability.REPORT_VIEW)
    return [reconciliation_out(row) for row in recent_reconciliations()]


class PolicyIn(Schema):
    key: str
    title: str
    tags: list[str] = []
    is_public: bool = False
    owner_email: str


class VersionIn(Schema):
    body: str
    change_summary: str
    effective_from: date


class PersonIn(Schema):
    name: str
    email: str
    role: str
    starts_on: date


class EndIn(Schema):
    ends_on: date


def _version_out(version: PolicyVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "version": version.version,
        "change_summary": version.change_summary,
        "effective_from": version.effective_from,
        "drafted_by": version.drafted_by.email,
        "drafted_at": version.drafted_at,
        "approved_by": version.approved_by.email if version.approved_by else None,
        "approved_at": version.approved_at,
    }


def _task_out(task: RegulatorTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "subject": task.subject,
        "opened_at": task.opened_at,
        "due_at": task.due_at,
        "escalated_at": task.escalated_at,
        "closed_at": task.closed_at,
        "receipt_reference": task.receipt_reference,
    }


@router.get(
    "/compliance/register", response=dict[str, Any], summary="Policies, persons, tasks and gaps (DFS-31/32)"
)
def register(request: HttpRequest) -> dict[str, Any]:
    staff_allowed(request, Capability.REPORT_VIEW)
    policies = Policy.objects.select_related("owner").prefetch_related(
        "versions__drafted_by", "versions__approved_by"
    )
    return {
        "policies": [
            {
                "key": p.key,
                "title": p.title,
                "tags": p.tags,
                "is_public": p.is_public,
                "owner": p.owner.email,
                "in_effect": getattr(registers.current_version(p), "version", None),
                "versions": [_version_out(v) for v in p.versions.all()],
            }
            for p in policies
        ],
        "responsible_persons": list(
            ResponsiblePerson.objects.values("id", "name", "email", "role", "starts_on", "ends_on")
        ),
        "regulator_tasks": [_task_out(t) for t in RegulatorTask.objects.all()],
        "gaps": [{"requirement": g.requirement, "problem": g.problem} for g in registers.register_gaps()],
    }


@router.post("/compliance/policies", response={201: dict[str, Any]}, summary="Add a policy to the register")
def create_policy(request: HttpRequest, payload: PolicyIn) -> Status[dict[str, Any]]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    owner = get_staff_by_email(payload.owner_email)
    if owner is None:
        raise DomainError("No staff account with that email.", field="owner_email")
    policy = registers.create_policy(
        key=payload.key,
        title=payload.title,
        tags=payload.tags,
        is_public=payload.is_public,
        owner=owner,
        by=staff,
    )
    return Status(201, {"key": policy.key})


@router.post(
    "/compliance/policies/{key}/versions", response={201: dict[str, Any]}, summary="Draft a new version"
)
def draft(request: HttpRequest, key: str, payload: VersionIn) -> Status[dict[str, Any]]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    policy = Policy.objects.filter(key=key).first()
    if policy is None:
        raise NotFound("No such policy.")
    version = registers.draft_version(
        policy,
        body=payload.body,
        change_summary=payload.change_summary,
        effective_from=payload.effective_from,
        by=staff,
    )
    return Status(201, _version_out(version))


@router.post(
    "/compliance/versions/{version_id}/approve", response=dict[str, Any], summary="Approve (four eyes)"
)
def approve(request: HttpRequest, version_id: int) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    version = PolicyVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound("No such version.")
    return _version_out(registers.approve_version(version, by=staff))


@router.post(
    "/compliance/persons", response={201: dict[str, Any]}, summary="Appoint a responsible person (DFS-32)"
)
def appoint(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    person = registers.appoint(
        name=payload.name, email=payload.email, role=payload.role, starts_on=payload.starts_on, by=staff
    )
    return Status(201, {"id": person.pk})


@router.post("/compliance/persons/{person_id}/end", response=dict[str, Any], summary="End an appointment")
def end(request: HttpRequest, person_id: int, payload: EndIn) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    person = ResponsiblePerson.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound("No such person.")
    registers.end_appointment(person, ends_on=payload.ends_on, by=staff)
    return {"id": person.pk, "ends_on": person.ends_on}


@router.post(
    "/compliance/tasks/{task_id}/close", response=dict[str, Any], summary="Close with the receipt (NYCRR-05)"
)
def close(
    request: HttpRequest, task_id: int, receipt_reference: Form[str], receipt: File[UploadedFile]
) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    task = RegulatorTask.objects.filter(pk=task_id).first()
    if task is None:
        raise NotFound("No such task.")
    return _task_out(
        registers.close_task(task, receipt_reference=receipt_reference, receipt=receipt, by=staff)
    )


class HoldIn(Schema):
    reference: str
    reason: str


@router.post(
    "/compliance/holds", response={201: dict[str, Any]}, summary="Place a legal hold on a case (NYCRR-06)"
)
def place_hold(request: HttpRequest, payload: HoldIn) -> Status[dict[str, Any]]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    hold = retention.place_hold(get_case(payload.reference), reason=payload.reason, by=staff)
    return Status(201, {"id": hold.pk, "reference": hold.case.reference, "placed_at": hold.placed_at})


@router.post("/compliance/holds/{hold_id}/release", response=dict[str, Any], summary="Release a legal hold")
def release_hold(request: HttpRequest, hold_id: int) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.REGISTER_MANAGE)
    hold = LegalHold.objects.filter(pk=hold_id, released_at__isnull=True).first()
    if hold is None:
        raise NotFound("No such active hold.")
    hold = retention.release_hold(hold, by=staff)
    return {"id": hold.pk, "released_at": hold.released_at}


class ExportIn(Schema):
    from_date: date = Field(..., alias="from")
    to: date


def _export_out(job: ExportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "from": job.range_from,
        "to": job.range_to,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "sha256": job.sha256,
        "error": job.error,
        "finished_at": job.finished_at,
    }


@router.post(
    "/compliance/exports", response={202: dict[str, Any]}, summary="Start an examiner export (NYCRR-08)"
)
def start_export(request: HttpRequest, payload: ExportIn) -> Status[dict[str, Any]]:
    job = services.request_export(
        start=payload.from_date, end=payload.to, by=staff_allowed(request, Capability.REPORT_VIEW)
    )
    return Status(202, _export_out(job))


def _export(request: HttpRequest, export_id: int) -> ExportJob:
    staff = staff_allowed(request, Capability.REPORT_VIEW)
    job = ExportJob.objects.filter(pk=export_id).first()
    if job is None or (
        job.requested_by_id != staff.pk and not has_capability(staff, Capability.REPORT_SIGN_OFF)
    ):
        raise NotFound("No such export.")
    return job


@router.get("/compliance/exports/{export_id}", response=dict[str, Any], summary="An export's progress")
def export_status(request: HttpRequest, export_id: int) -> dict[str, Any]:
    return _export_out(_export(request, export_id))


@router.get("/compliance/exports/{export_id}/bundle", summary="Download a finished export (ZIP)")
def export_bundle(request: HttpRequest, export_id: int) -> FileResponse:
    job = _export(request, export_id)
    if job.status != ExportJob.Status.DONE:
        raise DomainError("The export has not finished.", code="not_ready")
    response = FileResponse(job.bundle.open("rb"), as_attachment=True, filename=Path(job.bundle.name).name)
    response["X-Content-SHA256"] = job.sha256
    return response


class MonthIn(Schema):
    month: date


class ScoreIn(Schema):
    scores: dict[str, int]
    comments: str = ""


@router.post(
    "/compliance/qa/sample", response=dict[str, Any], summary="Sample a month's interactions (DFS-26)"
)
def qa_sample(request: HttpRequest, payload: MonthIn) -> dict[str, Any]:
    staff_allowed(request, Capability.QA_REVIEW)
    return {"sampled": quality.sample_month(payload.month)}


@router.get(
    "/compliance/qa", response=list[dict[str, Any]], summary="QA coverage per representative (DFS-26)"
)
def qa_coverage(request: HttpRequest, month: date) -> list[dict[str, Any]]:
    staff_allowed(request, Capability.REPORT_VIEW)
    return [row.__dict__ for row in quality.coverage(month)]


@router.post(
    "/compliance/qa/{review_id}/score", response=dict[str, Any], summary="Score a sampled interaction"
)
def qa_score(request: HttpRequest, review_id: int, payload: ScoreIn) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.QA_REVIEW)
    review = QAReview.objects.select_related("message__case").filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such review.")
    review = quality.score(review, scores=payload.scores, comments=payload.comments, by=staff)
    return {"id": review.pk, "percent": review.percent}


@router.get("/compliance/policies.pdf", summary="Current programme policies as one PDF for DFS (DFS-31)")
def policies_document(request: HttpRequest) -> HttpResponse:
    staff_allowed(request, Capability.REPORT_VIEW)
    body = policies_pdf(
        registers.current_programme_policies(),
        organisation=organisation_for_texts().name,
        generated_at=timezone.now(),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="policies.pdf"'
    return response
