"""The email channel over the JSON API (PRD-06): the quarantine, stored originals and attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema

from clearline.accounts.api_auth import staff_token
from clearline.accounts.models import Staff

from . import selectors, services
from .downloads import attachment_response, original_response
from .models import InboundEmail

router = Router(tags=["email"], auth=[staff_token])


def _staff(request: HttpRequest) -> Staff:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    return staff


class QuarantinedOut(Schema):
    id: int
    message_id: str
    received_at: datetime
    source: str
    reason_code: str
    reason: str
    from_address: str
    raw_size: int
    raw_sha256: str


def _out(inbound: InboundEmail) -> dict[str, Any]:
    return {
        "id": inbound.pk,
        "message_id": inbound.message_id,
        "received_at": inbound.received_at,
        "source": inbound.source,
        "reason_code": inbound.reason_code,
        "reason": inbound.reason,
        "from_address": inbound.from_address,
        "raw_size": inbound.raw_size,
        "raw_sha256": inbound.raw_sha256,
    }


@router.get("/mail/quarantine", response=list[QuarantinedOut])
def list_quarantine(request: HttpRequest) -> list[dict[str, Any]]:
    """Inbound mail that could not be filed, newest first, with the reason (admins)."""
    return [_out(inbound) for inbound in selectors.list_quarantined(staff=_staff(request))]


class ReleasedOut(Schema):
    status: str
    reason_code: str
    case: str | None


@router.post("/mail/quarantine/{inbound_id}/release", response=ReleasedOut)
def release(request: HttpRequest, inbound_id: int) -> dict[str, Any]:
    """Send a quarantined message through the pipeline again; it is filed or quarantined anew."""
    inbound = selectors.get_inbound_for_staff(inbound_id, staff=_staff(request))
    done = services.release_from_quarantine(inbound, by=_staff(request))
    return {
        "status": done.status,
        "reason_code": done.reason_code,
        "case": done.case.reference if done.case else None,
    }


@router.get("/mail/inbound/{inbound_id}/original")
def original(request: HttpRequest, inbound_id: int) -> FileResponse:
    """The message as stored (DFS-25), as ``message/rfc822``."""
    return original_response(selectors.get_inbound_for_staff(inbound_id, staff=_staff(request)))


class FormattedOut(Schema):
    html: str


@router.get("/mail/inbound/{inbound_id}/formatted", response=FormattedOut)
def formatted(request: HttpRequest, inbound_id: int) -> dict[str, str]:
    """The email's HTML, sanitised and redacted ("" for a plain-text email)."""
    return {
        "html": selectors.formatted_html(selectors.get_inbound_for_staff(inbound_id, staff=_staff(request)))
    }


@router.get("/mail/attachments/{attachment_id}")
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An accepted attachment, always as a download (never rendered by the browser)."""
    return attachment_response(selectors.get_attachment_for_staff(attachment_id, staff=_staff(request)))
