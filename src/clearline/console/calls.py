"""The phone channel in the console (DFS-08): who waits, callbacks due, one's seat, take next, log a call."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.cases import selectors as case_selectors
from clearline.channels.voice import selectors, services
from clearline.channels.voice.downloads import recording_response
from clearline.channels.voice.models import SeatStatus
from clearline.core.errors import DomainError

from .views import staff_required

SEAT_CHOICES = [
    (SeatStatus.AVAILABLE.value, SeatStatus.AVAILABLE.label),
    (SeatStatus.OFFLINE.value, SeatStatus.OFFLINE.label),
]


def _staff(request: HttpRequest) -> Staff:
    """The signed-in staff member, if their role takes calls (else 403 before anything changes)."""
    staff: Staff = request.user  # type: ignore[assignment]
    require(staff, Capability.CALL_ANSWER)
    return staff


@staff_required
def calls_view(request: HttpRequest) -> HttpResponse:
    staff, now = _staff(request), timezone.now()
    seat = selectors.get_seat(staff=staff)
    signed_in = seat is not None and seat.status != SeatStatus.OFFLINE
    context = {
        "queue": selectors.list_phone_queue(staff=staff, at=now),
        "seat": seat,
        "seat_choice": SeatStatus.AVAILABLE if signed_in else SeatStatus.OFFLINE,
        "to_log": selectors.list_calls_to_log(staff=staff),
        "topics": case_selectors.list_active_topics(),
        "seat_choices": SEAT_CHOICES,
        "now": now,
    }
    return render(request, "console/calls.html", context)


@staff_required
@require_POST
def seat_view(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    try:
        seat = services.set_seat(
            staff, status=request.POST.get("status", ""), device=request.POST.get("device", "")[:120]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{seat.get_status_display()}.")
    return redirect("console:calls")


@staff_required
@require_POST
def take_next_view(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    try:
        answered = services.answer_next(staff)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("console:calls")
    if answered.call is not None:
        messages.success(request, f"Ringing your device for {answered.call.caller or 'a withheld number'}.")
    elif answered.callback is not None:
        verify = " Re-verify the customer's identity first." if answered.callback.verify_identity else ""
        messages.success(request, f"Ringing your device, then {answered.callback.phone}.{verify}")
    else:
        messages.info(request, "Nobody is waiting.")
    return redirect("console:calls")


@staff_required
@require_POST
def log_view(request: HttpRequest, call_sid: str) -> HttpResponse:
    """The outcome of a call one took: opens (or joins) its case, then shows that case."""
    staff = _staff(request)
    call = selectors.get_call_for_agent(call_sid, staff=staff)
    try:
        case = services.log_call(
            call,
            staff=staff,
            summary=request.POST.get("summary", ""),
            topic=request.POST.get("topic") or "other",
            reference=request.POST.get("reference", "").strip(),
            customer_email=request.POST.get("customer_email", "").strip(),
            dropped=request.POST.get("dropped") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("console:calls")
    messages.success(request, f"Call logged on {case.reference}.")
    return redirect("console:case", reference=case.reference)


@staff_required
def recording_view(request: HttpRequest, call_sid: str) -> HttpResponseBase:
    staff: Staff = request.user  # type: ignore[assignment]
    return recording_response(selectors.get_recording_for_staff(call_sid, staff=staff))
