"""Incidents and planned maintenance over the JSON API: supervisors and admins declare and update them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from clearline.accounts.api_auth import staff_token
from clearline.accounts.models import Staff
from clearline.core.errors import NotFound

from . import services
from .models import Notice

router = Router(tags=["notices"], auth=[staff_token])


class NoticeIn(Schema):
    kind: str = Field(..., description="incident or maintenance")
    titles: dict[str, str] = Field(..., description='Per language, English required: {"en": "..."}')
    impact: str
    components: list[str]
    first_update: dict[str, str]
    topics: list[str] = []
    intake_notices: dict[str, str] = {}
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    short_notice_reason: str = ""


class UpdateIn(Schema):
    stage: str
    bodies: dict[str, str]
    notify_cases: bool = True


def _out(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "titles": notice.titles,
        "impact": notice.impact,
        "stage": notice.stage,
        "components": sorted(c.key for c in notice.components.all()),
        "topics": notice.topics,
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
        "closed_at": notice.closed_at,
        "linked_cases": notice.case_links.count(),
        "updates": [
            {"stage": u.stage, "bodies": u.bodies, "posted_at": u.posted_at, "cases_updated": u.cases_updated}
            for u in notice.updates.all()
        ],
    }


def _notice(notice_id: int) -> Notice:
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise NotFound("No such notice.")
    return notice


@router.post(
    "/notices", response={201: dict[str, Any]}, summary="Declare an incident or planned maintenance (DFS-22)"
)
def declare(request: HttpRequest, payload: NoticeIn) -> Status[dict[str, Any]]:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    notice = services.declare_notice(by=staff, **payload.dict())
    return Status(201, _out(notice))


@router.post(
    "/notices/{notice_id}/updates",
    response={201: dict[str, Any]},
    summary="Post an update; by default sent to every linked open case (CRY-05)",
)
def update(request: HttpRequest, notice_id: int, payload: UpdateIn) -> Status[dict[str, Any]]:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    notice = _notice(notice_id)
    services.post_update(
        notice, by=staff, stage=payload.stage, bodies=payload.bodies, notify_cases=payload.notify_cases
    )
    return Status(201, _out(_notice(notice_id)))


@router.get(
    "/notices/{notice_id}", response=dict[str, Any], summary="One notice with its updates and linked cases"
)
def detail(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    return _out(_notice(notice_id))
