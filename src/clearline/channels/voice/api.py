"""The phone channel over the JSON API (PRD-06) for agents: the queue, one's seat, taking the next caller and
logging a call's outcome. The same services as the console; refusals are JSON 4xx (``config.api``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from clearline.accounts.api_auth import staff_allowed, staff_token
from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability
from clearline.cases.schemas import ErrorOut
from clearline.cases.selectors import get_case_for_staff

from . import selectors, services
from .downloads import recording_response
from .models import AgentSeat, SeatStatus

router = Router(tags=["phone"], auth=[staff_token])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class QueueEntryOut(Schema):
    kind: str = Field(..., description="call or callback")
    position: int | None = Field(..., description="Place in line for the next agent; null once taken.")
    waiting_since: datetime
    waited_seconds: int
    caller: str
    language: str
    state: str
    agent: str | None
    call_sid: str | None
    callback_id: int | None
    reason: str | None = Field(..., description="Callbacks: requested, voicemail, dropped, agent, overflow.")
    due_at: datetime | None
    is_overdue: bool
    verify_identity: bool = Field(..., description="Re-verify the customer before any detail.")
    case: str | None


@router.get(
    "/phone/calls",
    response={200: list[QueueEntryOut], **ERRORS},
    summary="Callers waiting or with an agent, and callbacks to make (DFS-08)",
)
def list_calls(request: HttpRequest) -> list[dict[str, Any]]:
    """Oldest first; ``position`` is the order in which "take next" serves them."""
    staff = staff_allowed(request, Capability.CALL_ANSWER)
    queue = selectors.list_phone_queue(staff=staff, at=timezone.now())
    return [{**asdict(entry), "case": entry.case_reference} for entry in queue.entries]


class SeatIn(Schema):
    status: SeatStatus
    device: str | None = Field(
        None, max_length=120, description="E.164 number or SIP address to ring; blank keeps the last one."
    )


class SeatOut(Schema):
    status: str
    device: str
    changed_at: datetime | None


def _seat_out(seat: AgentSeat | None) -> dict[str, Any]:
    if seat is None:
        return {"status": SeatStatus.OFFLINE, "device": "", "changed_at": None}
    return {"status": seat.status, "device": seat.device, "changed_at": seat.changed_at}


@router.get("/phone/seat", response={200: SeatOut, **ERRORS}, summary="Your phone presence")
def get_seat(request: HttpRequest) -> dict[str, Any]:
    return _seat_out(selectors.get_seat(staff=staff_allowed(request, Capability.CALL_ANSWER)))


@router.put("/phone/seat", response={200: SeatOut, **ERRORS}, summary="Sign in to take calls, or out")
def put_seat(request: HttpRequest, payload: SeatIn) -> dict[str, Any]:
    """DFS-06: available needs a current HCSR training record, and a device to ring."""
    staff = staff_allowed(request, Capability.CALL_ANSWER)
    return _seat_out(services.set_seat(staff, status=payload.status, device=payload.device))


class TakenOut(Schema):
    kind: str = Field(..., description="call (a caller on hold) or callback (dialled after your device)")
    call_sid: str | None
    callback_id: int | None
    caller: str
    language: str
    reason: str | None
    verify_identity: bool
    case: str | None


def _taken_out(answered: services.Answered) -> dict[str, Any]:
    if answered.call is not None:
        call = answered.call
        return {
            "kind": "call",
            "call_sid": call.call_sid,
            "callback_id": None,
            "caller": call.caller,
            "language": call.language,
            "reason": None,
            "verify_identity": False,
            "case": call.case.reference if call.case else None,
        }
    callback = answered.callback
    assert callback is not None
    return {
        "kind": "callback",
        "call_sid": None,
        "callback_id": callback.pk,
        "caller": callback.phone,
        "language": callback.language,
        "reason": callback.reason,
        "verify_identity": callback.verify_identity,
        "case": callback.case.reference if callback.case else None,
    }


@router.post(
    "/phone/calls/next",
    response={201: TakenOut, 204: None, **ERRORS},
    summary="Take whoever has waited longest (DFS-08)",
)
def take_next(request: HttpRequest) -> Status[dict[str, Any] | None]:
    """201 with the caller or callback taken (the carrier rings your device); 204 when nobody waits."""
    answered = services.answer_next(staff_allowed(request, Capability.CALL_ANSWER))
    if answered.call is None and answered.callback is None:
        return Status(204, None)
    return Status(201, _taken_out(answered))


class CallLogIn(Schema):
    summary: str = Field(..., min_length=1, max_length=100_000)
    topic: str = Field(..., min_length=1, max_length=60)
    reference: str = Field("", max_length=20, description="Join this case instead of opening one.")
    customer_email: str = Field("", max_length=254)
    dropped: bool = Field(False, description="The call dropped: a callback within five minutes is promised.")


class CallLoggedOut(Schema):
    reference: str
    method: str
    status: str


@router.post(
    "/phone/calls/{call_sid}/log",
    response={200: CallLoggedOut, 409: ErrorOut, **ERRORS},
    summary="Log the outcome of a call you took: opens or joins a case (DFS-25)",
)
def log_call(request: HttpRequest, call_sid: str, payload: CallLogIn) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.CALL_ANSWER)
    case = services.log_call(
        selectors.get_call_for_agent(call_sid, staff=staff),
        staff=staff,
        summary=payload.summary,
        topic=payload.topic,
        reference=payload.reference,
        customer_email=payload.customer_email,
        dropped=payload.dropped,
    )
    return {"reference": case.reference, "method": case.method, "status": case.status}


class CallbackIn(Schema):
    phone: str = Field("", max_length=20, description="E.164; blank: the customer's number on file.")
    within_minutes: int = Field(60, description="When the call is due, from now (1 minute to 7 days).")


class CallbackOut(Schema):
    id: int
    phone: str
    due_at: datetime
    case: str


@router.post(
    "/phone/cases/{reference}/callback",
    response={201: CallbackOut, **ERRORS},
    summary="Promise the customer a call back on a case (DFS-08)",
)
def request_callback(request: HttpRequest, reference: str, payload: CallbackIn) -> Status[dict[str, Any]]:
    """The callback joins the queue agents take calls from, ordered by when it was promised."""
    staff = staff_allowed(request, Capability.CALL_ANSWER)
    case = get_case_for_staff(reference, staff=staff)
    callback = services.request_agent_callback(
        case, staff=staff, phone=payload.phone, within_minutes=payload.within_minutes
    )
    return Status(
        201, {"id": callback.pk, "phone": callback.phone, "due_at": callback.due_at, "case": case.reference}
    )


@router.get(
    "/phone/calls/{call_sid}/recording",
    response={200: None, **ERRORS},
    summary="A call's recording (MP3), for staff who may view its case (DFS-25)",
)
def recording(request: HttpRequest, call_sid: str) -> FileResponse:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    return recording_response(selectors.get_recording_for_staff(call_sid, staff=staff))
