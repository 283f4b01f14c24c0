"""Frozen DFS packs over the JSON API: compliance signs off, examiners and supervisors list and download."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from clearline.accounts.api_auth import staff_token
from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.core.errors import NotFound

from . import services
from .models import FrozenPack

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


def _staff(request: HttpRequest, capability: Capability) -> Staff:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    require(staff, capability)
    return staff


@router.get("/compliance/packs", response=list[dict[str, Any]], summary="Frozen DFS packs (DFS-30)")
def list_packs(request: HttpRequest) -> list[dict[str, Any]]:
    _staff(request, Capability.REPORT_VIEW)
    return [_out(pack) for pack in FrozenPack.objects.select_related("signed_off_by")]


@router.post("/compliance/packs", response={201: dict[str, Any]}, summary="Freeze a quarter's pack (DFS-30)")
def freeze(request: HttpRequest, payload: FreezeIn) -> Status[dict[str, Any]]:
    pack = services.freeze_pack(payload.quarter, by=_staff(request, Capability.REPORT_SIGN_OFF))
    return Status(201, _out(pack))


@router.get("/compliance/packs/{quarter}/{version}.{fmt}", summary="A frozen pack as stored (json or csv)")
def download(request: HttpRequest, quarter: str, version: int, fmt: str) -> HttpResponse:
    _staff(request, Capability.REPORT_VIEW)
    pack = FrozenPack.objects.filter(quarter=quarter.upper(), version=version).first()
    if pack is None or fmt not in ("json", "csv"):
        raise NotFound("No such frozen pack.")
    body, kind = (pack.pack_json, "application/json") if fmt == "json" else (pack.pack_csv, "text/csv")
    response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dfs-{pack.quarter}-v{pack.version}.{fmt}"'
    response["X-Content-SHA256"] = pack.file_sha256 if fmt == "json" else ""
    return response
