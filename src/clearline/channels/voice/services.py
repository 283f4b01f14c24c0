"""Call state for the phone channel: queue, wait estimates, callbacks, voicemail, agents' answers.

Every case a call opens or joins goes through ``cases.services``; this module keeps the telephony state
around it. Carrier requests (ringing an agent, a callback, SMS, recording downloads) are jobs enqueued on
commit: a webhook is answered from the database alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Avg, Count, PositiveIntegerField, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.accounts.selectors import current_training, has_current_training
from clearline.audit import services as audit
from clearline.cases import services as cases
from clearline.cases.models import Case, Method, Visibility
from clearline.cases.services import Author
from clearline.cases.services.intake import PHONE_NUMBER
from clearline.core.cache import ProcessMemo, forget_now_and_after_commit
from clearline.core.errors import Conflict, DomainError
from clearline.core.jobs import enqueue_on_commit
from clearline.crypto.redaction import redact_secrets
from clearline.sla.hours import BusinessHours
from clearline.sla.models import BusinessCalendar
from clearline.sla.selectors import business_hours, support_hours

from .models import (
    AgentSeat,
    Call,
    Callback,
    CallbackReason,
    CallbackStatus,
    CallState,
    PhoneLine,
    SeatStatus,
)

DEFAULT_HANDLE_SECONDS = 300  # until the desk has answered calls of its own to average
HANDLE_TIME_WINDOW = timedelta(hours=2)
DROPPED_CALLBACK_WITHIN = timedelta(minutes=5)
WAITING_STATES = (CallState.QUEUED, CallState.RINGING)


def line_hours(line: PhoneLine) -> tuple[BusinessCalendar, BusinessHours] | None:
    """The line's own calendar, else the published support hours; None when neither is configured."""
    if line.calendar is not None:
        return line.calendar, business_hours(line.calendar)
    return support_hours()


def is_open(line: PhoneLine, at: datetime) -> bool:
    hours = line_hours(line)
    return hours is not None and hours[1].is_open(at)


def end_of_next_business_day(line: PhoneLine, at: datetime) -> datetime:
    """DFS-10's callback deadline: the close of the first business day after ``at``'s local day."""
    found = line_hours(line)
    if found is None:
        return at + timedelta(days=1)
    calendar, hours = found
    zone = ZoneInfo(calendar.timezone)
    tomorrow = datetime.combine(at.astimezone(zone).date() + timedelta(days=1), datetime.min.time(), zone)
    opening = hours.next_open(tomorrow).astimezone(zone)
    day_key = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[opening.weekday()]
    closing = max(end for _start, end in calendar.weekly_hours[day_key])
    hour, minute = (int(part) for part in closing.split(":"))
    return datetime.combine(opening.date(), datetime.min.time(), zone) + timedelta(hours=hour, minutes=minute)


LINE_CACHE_SECONDS = 30  # an edited line (hours, limit) is in force in every web process within this
STAFFING_CACHE_SECONDS = 2  # the same staffing and handle time serve every caller told the wait meanwhile


_lines = ProcessMemo(LINE_CACHE_SECONDS)
_staffing = ProcessMemo(STAFFING_CACHE_SECONDS)


def active_line(number: str) -> PhoneLine | None:
    """The active line the carrier names in ``To``, read once per ``LINE_CACHE_SECONDS`` (every call asks)."""
    return _lines.get_or_set(
        ("number", number),
        lambda: PhoneLine.objects.select_related("calendar").filter(number=number, is_active=True).first(),
    )


def line_by_id(line_id: int) -> PhoneLine:
    return _lines.get_or_set(
        ("id", line_id), lambda: PhoneLine.objects.select_related("calendar").get(pk=line_id)
    )


def forget_line(line: PhoneLine) -> None:
    _lines.forget(("number", line.number), ("id", line.pk))


def start_call(*, call_sid: str, line: PhoneLine, caller: str, at: datetime) -> Call:
    """A new call (CallSid is new on every ``incoming``; a carrier retry is answered from the stored hook)."""
    return Call.objects.create(
        call_sid=call_sid, line=line, caller=caller, language=line.languages[0], started_at=at
    )


# Every caller's greeting and every hold announcement count the queue: plain SQL, because compiling the ORM
# query cost ten times running it (bench/voice_webhooks.py profile).
_QUEUE_LENGTH_SQL = "SELECT COUNT(*) FROM channels_voice_call WHERE line_id = %s AND state IN (%s, %s)"
_AHEAD_SQL = (
    "SELECT (SELECT COUNT(*) FROM channels_voice_call WHERE state IN (%s, %s)"
    " AND (queued_at < %s OR (queued_at = %s AND id < %s)))"
    " + (SELECT COUNT(*) FROM channels_voice_callback WHERE status IN (%s, %s) AND place < %s)"
)


def _count(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0])


def queue_length(line: PhoneLine) -> int:
    return _count(_QUEUE_LENGTH_SQL, [line.pk, *WAITING_STATES])


def offer_voicemail(call: Call) -> None:
    Call.objects.filter(pk=call.pk).update(state=CallState.VOICEMAIL)


def join_queue(call: Call, *, language: str, at: datetime) -> None:
    """DFS-08: a caller who chose a language waits for a person; the place is the first time they queued."""
    call.language = language
    call.state = CallState.QUEUED
    call.queued_at = call.queued_at or at
    call.save(update_fields=["language", "state", "queued_at"])


@dataclass(frozen=True)
class WaitEstimate:
    position: int
    seconds: int
    staffed_agents: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def staffed_agents(*, on: datetime) -> tuple[int, int]:
    """(staffed, free now): agents signed in to take calls with a current HCSR training record (DFS-06)."""
    return _staffing.get_or_set("staffing", lambda: _count_staffed(on=on))


def _count_staffed(*, on: datetime) -> tuple[int, int]:
    trained = current_training(on=on.date()).values("staff_id")
    seats = AgentSeat.objects.filter(staff__is_active=True, staff_id__in=trained).exclude(
        status=SeatStatus.OFFLINE
    )
    counts = {row["status"]: row["n"] for row in seats.values("status").annotate(n=Count("pk"))}
    return sum(counts.values()), counts.get(SeatStatus.AVAILABLE, 0)


def recent_handle_seconds(*, at: datetime) -> int:
    """Average length of live calls ended in the last two hours; a default before there are any."""
    return _staffing.get_or_set("handle", lambda: _average_handle(at=at))


def _average_handle(*, at: datetime) -> int:
    average = Call.objects.filter(
        answered_at__isnull=False, ended_at__gte=at - HANDLE_TIME_WINDOW, duration_seconds__isnull=False
    ).aggregate(value=Avg("duration_seconds"))["value"]
    return round(average) if average else DEFAULT_HANDLE_SECONDS


def estimate_wait(call: Call, *, at: datetime) -> WaitEstimate:
    """DFS-09: the expected hold from who is ahead (waiting callers and callbacks that kept an earlier
    place), the agents staffed and recent handle times; told to the caller and remembered on the call."""
    place = connection.ops.adapt_datetimefield_value(call.queued_at or at)  # as the ORM stores it
    ahead = _count(
        _AHEAD_SQL,
        [*WAITING_STATES, place, place, call.pk, CallbackStatus.PENDING, CallbackStatus.DIALING, place],
    )
    staffed, free = staffed_agents(on=at)
    position = ahead + 1
    waves = 0 if free >= position else math.ceil(position / max(staffed, 1))
    seconds = waves * recent_handle_seconds(at=at)
    if call.first_estimate_at is None:  # DFS-09 evidence: when the caller first heard the wait
        Call.objects.filter(pk=call.pk).update(first_estimate_at=at)
    return WaitEstimate(position=position, seconds=seconds, staffed_agents=staffed)


def _callback(
    *,
    phone: str,
    language: str,
    line: PhoneLine | None,
    reason: CallbackReason,
    place: datetime,
    due_at: datetime,
    at: datetime,
    call: Call | None = None,
    case: Case | None = None,
    verify_identity: bool = False,
) -> Callback:
    callback = Callback.objects.create(
        phone=phone,
        language=language,
        line=line,
        reason=reason,
        origin_call=call,
        case=case,
        place=place,
        due_at=due_at,
        verify_identity=verify_identity,
        created_at=at,
    )
    audit.record(
        actor=audit.Actor.system("voice"),
        action="voice.callback_promised",
        target=callback,
        data={"reason": reason, "due_at": due_at.isoformat(), "case": case.reference if case else None},
    )
    return callback


def request_callback(call: Call, *, at: datetime) -> Callback:
    """The caller leaves the queue and keeps their place: the callback is ordered by when they joined."""
    if not call.caller:
        raise DomainError("The caller's number is withheld; a callback needs it.", field="From")
    with transaction.atomic():
        existing = Callback.objects.filter(origin_call=call).first()
        if existing is not None:
            return existing
        call.state = CallState.CALLBACK_REQUESTED
        call.save(update_fields=["state"])
        return _callback(
            phone=call.caller,
            language=call.language,
            line=call.line,
            reason=CallbackReason.REQUESTED,
            place=call.queued_at or at,
            due_at=at,
            at=at,
            call=call,
        )


def call_ended(call: Call, *, at: datetime, duration: int | None = None) -> None:
    """The carrier says the call is over. A caller who hung up while waiting is called back within five
    minutes with re-verification: every caller reaches a human or a callback (DFS-09)."""
    with transaction.atomic():
        # one conditional write: a repeated or late status report finds the call ended and changes nothing
        ended = (
            Call.objects.filter(pk=call.pk)
            .exclude(state=CallState.ENDED)
            .update(
                state=CallState.ENDED,
                ended_at=at,
                duration_seconds=Coalesce(
                    "duration_seconds", Value(duration, output_field=PositiveIntegerField())
                ),
            )
        )
        if not ended:
            return
        if call.state in (CallState.CONNECTED, CallState.RINGING) and call.agent_id is not None:
            AgentSeat.objects.filter(staff_id=call.agent_id, status=SeatStatus.ON_CALL).update(
                status=SeatStatus.AVAILABLE, changed_at=at
            )
        if (
            call.state in WAITING_STATES
            and call.caller
            and not Callback.objects.filter(origin_call=call).exists()
        ):
            _callback(
                phone=call.caller,
                language=call.language,
                line=call.line,
                reason=CallbackReason.DROPPED,
                place=call.queued_at or at,
                due_at=at + DROPPED_CALLBACK_WITHIN,
                at=at,
                call=call,
                verify_identity=True,
            )


def voicemail_case(call: Call, *, recording_url: str, recording_sid: str, seconds: int, at: datetime) -> Case:
    """DFS-10: a voicemail is a case (method ``phone_voicemail``, acknowledged with its reference by SMS) with
    a callback due by the end of the next business day; the recording is fetched from the carrier by a job.
    One transaction under the call's row lock: a retried recording callback finds the case, never a second."""
    from . import tasks

    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).select_related("line", "case").get(pk=call.pk)
        if call.case is not None:
            return call.case
        if not call.caller:
            raise DomainError(
                "The caller's number is withheld; the voicemail cannot be returned.", field="From"
            )
        line = call.line
        assert line is not None
        body = (
            call.transcript or f"Voicemail of {seconds} seconds; the transcription follows from the carrier."
        )
        case = cases.open_case(
            by=Author.web_visitor(),
            customer_email="",
            customer_phone=call.caller,
            subject=f"Voicemail from {call.caller}",
            body=body,
            topic="other",
            method=Method.PHONE_VOICEMAIL,
            language=call.language,
            received_at=call.started_at,
        )
        Call.objects.filter(pk=call.pk).update(
            case=case,
            state=CallState.ENDED,
            recording_url=recording_url,
            recording_sid=recording_sid,
            recording_seconds=seconds,
        )
        _callback(
            phone=call.caller,
            language=call.language,
            line=line,
            reason=CallbackReason.VOICEMAIL,
            place=at,
            due_at=end_of_next_business_day(line, at),
            at=at,
            call=call,
            case=case,
        )
        enqueue_on_commit(tasks.fetch_recording, call.pk)
    return case


def attach_transcription(call: Call, *, text: str, at: datetime) -> None:
    """The carrier's transcription is the customer's words: added to the case (redacted, CRY-03) or kept on
    the call until the voicemail's case exists."""
    text = text.strip()
    if not text:
        return
    if call.case_id is None:  # kept redacted until the voicemail's case takes it as its first message
        Call.objects.filter(pk=call.pk).update(transcript=redact_secrets(text).text[:5000])
        return
    case = Case.objects.select_related("customer").get(pk=call.case_id)
    message = cases.add_message(
        case, by=Author.of_customer(case.customer), body=f"Voicemail transcription: {text}", channel="phone"
    )
    Call.objects.filter(pk=call.pk).update(transcript=message.body[:5000])


def keep_recording(call: Call, *, url: str, sid: str, seconds: int) -> None:
    from . import tasks

    with transaction.atomic():
        Call.objects.filter(pk=call.pk).update(
            recording_url=url, recording_sid=sid, recording_seconds=seconds
        )
        enqueue_on_commit(tasks.fetch_recording, call.pk)


def store_recording(call_id: int, audio: bytes) -> None:
    """The audio, kept with the call (and so its case) for the retention period (DFS-25, NYCRR-06)."""
    call = Call.objects.get(pk=call_id)
    if call.recording:
        return
    call.recording.save(f"{call.recording_sid or call.call_sid}.mp3", ContentFile(audio), save=False)
    Call.objects.filter(pk=call_id).update(recording=call.recording.name)


# --- agents ------------------------------------------------------------------------------------------------


def set_seat(staff: Staff, *, status: str, device: str | None = None) -> AgentSeat:
    """An agent signs in to take calls (or out). Only a trained agent may be available (DFS-06)."""
    require(staff, Capability.CALL_ANSWER)
    if status not in SeatStatus.values:
        raise DomainError("Status must be available, on_call or offline.", field="status")
    now = timezone.now()
    if status != SeatStatus.OFFLINE and not has_current_training(staff, on=now.date()):
        raise DomainError(
            "Only staff with a current HCSR training record take calls (DFS-06).", field="status"
        )
    with transaction.atomic():
        seat = AgentSeat.objects.select_for_update().filter(staff=staff).first()
        device_value = (device or (seat.device if seat else "")).strip()
        if status != SeatStatus.OFFLINE and not device_value:
            raise DomainError("A phone number or SIP address to ring is needed.", field="device")
        if seat is None:
            seat = AgentSeat(staff=staff)
        seat.device, seat.status, seat.changed_at = device_value, status, now
        seat.save()
        forget_now_and_after_commit(lambda: _staffing.forget("staffing"))  # counted at once in this process
        audit.record(
            actor=audit.Actor.of_staff(staff), action="voice.seat", target=seat, data={"status": status}
        )
    return seat


@dataclass(frozen=True)
class Answered:
    call: Call | None = None
    callback: Callback | None = None


def answer_next(staff: Staff) -> Answered:
    """The agent takes whoever has waited longest, a caller on hold or a callback that kept its place: the
    carrier rings the agent's device (jobs ``connect_caller`` / ``dial_callback``)."""
    require(staff, Capability.CALL_ANSWER)
    now = timezone.now()
    from . import tasks

    with transaction.atomic():
        seat = AgentSeat.objects.select_for_update().filter(staff=staff).first()
        if seat is None or seat.status == SeatStatus.OFFLINE:
            raise DomainError(
                "Sign in to take calls first (a device and the available status).", field="seat"
            )
        if not has_current_training(staff, on=now.date()):
            raise DomainError("Only staff with a current HCSR training record take calls (DFS-06).")
        call = (
            Call.objects.select_for_update(skip_locked=True)
            .filter(state=CallState.QUEUED)
            .order_by("queued_at", "pk")
            .first()
        )
        callback = (
            Callback.objects.select_for_update(skip_locked=True)
            .filter(Q(attempts=0) | Q(due_at__lte=now), status=CallbackStatus.PENDING)  # retries wait
            .order_by("place", "pk")
            .first()
        )
        if callback is not None and (call is None or callback.place < (call.queued_at or now)):
            callback.status, callback.agent, callback.attempts = (
                CallbackStatus.DIALING,
                staff,
                callback.attempts + 1,
            )
            callback.save(update_fields=["status", "agent", "attempts"])
            call = None
        elif call is not None:
            call.state, call.agent = CallState.RINGING, staff
            call.save(update_fields=["state", "agent"])
            callback = None
        else:
            return Answered()
        seat.status, seat.changed_at = SeatStatus.ON_CALL, now
        seat.save(update_fields=["status", "changed_at"])
        audit.record(
            actor=audit.Actor.of_staff(staff),
            action="voice.answered",
            target=call or callback,
            data={"call": call.call_sid if call else None, "callback": callback.pk if callback else None},
        )
        if call is not None:
            enqueue_on_commit(tasks.connect_caller, call.pk)
        else:
            assert callback is not None
            enqueue_on_commit(tasks.dial_callback, callback.pk)
    return Answered(call=call, callback=callback)


def _set_seat_status(staff: Staff | None, status: SeatStatus, *, at: datetime) -> None:
    """The agent's seat after a call leg: free again, or offline after a missed ring."""
    AgentSeat.objects.filter(staff=staff).update(status=status, changed_at=at)


def agent_answered(call: Call, *, at: datetime) -> None:
    """The agent picked up: the conversation starts now (the console shows the call as connected)."""
    Call.objects.filter(pk=call.pk, state=CallState.RINGING).update(state=CallState.CONNECTED, answered_at=at)


def agent_leg_ended(call: Call, *, answered: bool, seconds: int, at: datetime) -> bool:
    """The ringing of an agent ended. Answered: the call was live for ``seconds``. Missed: the caller goes
    back to the queue with the same place and the agent is set offline (not rung again). Returns answered."""
    with transaction.atomic():
        if answered:
            Call.objects.filter(pk=call.pk).update(
                state=CallState.CONNECTED,
                answered_at=call.answered_at or at - timedelta(seconds=seconds),
                duration_seconds=seconds,
            )
            _set_seat_status(call.agent, SeatStatus.AVAILABLE, at=at)
            return True
        Call.objects.filter(pk=call.pk).update(state=CallState.QUEUED, agent=None)
        _set_seat_status(call.agent, SeatStatus.OFFLINE, at=at)
        return False


def callback_result(callback: Callback, *, reached: bool, call_sid: str, seconds: int, at: datetime) -> None:
    """A callback leg ended. Not reached: tried again up to three times, ten minutes apart."""
    with transaction.atomic():
        _set_seat_status(callback.agent, SeatStatus.AVAILABLE, at=at)
        if reached:
            Callback.objects.filter(pk=callback.pk).update(status=CallbackStatus.DONE, completed_at=at)
            Call.objects.update_or_create(
                call_sid=call_sid,
                defaults={
                    "line": callback.line,
                    "direction": "outbound",
                    "caller": callback.phone,
                    "language": callback.language,
                    "state": CallState.CONNECTED,
                    "started_at": at - timedelta(seconds=seconds),
                    "answered_at": at - timedelta(seconds=seconds),
                    "duration_seconds": seconds,
                    "agent_id": callback.agent_id,
                    "case": callback.case,
                },
            )
            return
        exhausted = callback.attempts >= 3
        Callback.objects.filter(pk=callback.pk).update(
            status=CallbackStatus.UNREACHED if exhausted else CallbackStatus.PENDING,
            due_at=at + timedelta(minutes=10),
            completed_at=at if exhausted else None,
        )


def request_agent_callback(
    case: Case, *, staff: Staff, phone: str = "", within_minutes: int = 60
) -> Callback:
    """An agent promises the customer a call (a question needing research, a call cut short)."""
    require(staff, Capability.CALL_ANSWER)
    number = (phone or case.customer.phone).replace(" ", "")
    if not PHONE_NUMBER.fullmatch(number):
        raise DomainError("A phone number in E.164 form is needed, e.g. +12125550142.", field="phone")
    if not 1 <= within_minutes <= 7 * 24 * 60:
        raise DomainError("A callback is due within one minute to seven days.", field="within_minutes")
    now = timezone.now()
    with transaction.atomic():
        return _callback(
            phone=number,
            language=case.language,
            line=PhoneLine.objects.filter(is_active=True).order_by("pk").first(),
            reason=CallbackReason.AGENT,
            place=now,
            due_at=now + timedelta(minutes=within_minutes),
            at=now,
            case=case,
        )


def log_call(
    call: Call,
    *,
    staff: Staff,
    summary: str,
    topic: str = "other",
    reference: str = "",
    customer_email: str = "",
    dropped: bool = False,
) -> Case:
    """The agent records what the call was about: it opens a case (method ``phone_live`` or
    ``phone_callback``) or joins the one named, with the duration noted (DFS-25). A call that dropped gets
    a callback within five minutes, with re-verification. Once per call (the call row is locked)."""
    require(staff, Capability.CALL_ANSWER)
    method = Method.PHONE_CALLBACK if call.direction == "outbound" else Method.PHONE_LIVE
    author = Author.of_staff(staff)
    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).select_related("line").get(pk=call.pk)
        if call.logged_at is not None:
            raise Conflict("This call is already logged.")
        details = f"Call {call.call_sid} ({method}): {call.duration_seconds or 0} seconds with {staff}."
        case_id = call.case_id
        if reference:
            found = (
                Case.objects.filter(reference=reference.strip().upper()).values_list("pk", flat=True).first()
            )
            if found is None:
                raise DomainError("No case with that reference.", field="reference")
            case_id = found
        if case_id is not None:
            case = Case.objects.select_related("customer").get(pk=case_id)
            cases.add_message(case, by=author, body=f"{summary}\n\n{details}", visibility=Visibility.INTERNAL)
        else:
            case = cases.open_case(
                by=author,
                customer_email=customer_email,
                customer_phone=call.caller,
                subject=f"Phone call from {call.caller}",
                body=summary,
                topic=topic,
                method=method,
                language=call.language,
                received_at=call.started_at,
            )
            cases.add_message(case, by=author, body=details, visibility=Visibility.INTERNAL)
        now = timezone.now()
        Call.objects.filter(pk=call.pk).update(case=case, logged_at=now)
        if dropped and call.caller:
            _callback(
                phone=call.caller,
                language=call.language,
                line=call.line,
                reason=CallbackReason.DROPPED,
                place=now,
                due_at=now + DROPPED_CALLBACK_WITHIN,
                at=now,
                call=call,
                case=case,
                verify_identity=True,
            )
    return case
