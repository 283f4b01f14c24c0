"""Reads of the phone channel for agents: who waits and in what order, who is with an agent, the callbacks
still to make, one's own seat and the calls one has not logged yet."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import QuerySet

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.cases.models import Case
from clearline.core.errors import NotFound

from .models import AgentSeat, Call, Callback, CallbackStatus, CallState

BOARD_CALL_STATES = (CallState.QUEUED, CallState.RINGING, CallState.CONNECTED)
BOARD_CALLBACK_STATUSES = (CallbackStatus.PENDING, CallbackStatus.DIALING)
BOARD_LIMIT = 500  # per kind; a line's queue is capped at 250 callers (PhoneLine.queue_limit)


@dataclass(frozen=True)
class QueueEntry:
    """A caller on the line or a callback to make, as an agent sees it.

    ``position`` is the place in line for the next agent who presses "take next" (the order of
    ``services.answer_next``); None once an agent has it (ringing, connected, dialling).
    """

    kind: str  # "call" or "callback"
    position: int | None
    waiting_since: datetime
    waited_seconds: int
    caller: str
    language: str
    state: str
    state_label: str
    agent: str | None
    call_sid: str | None = None
    callback_id: int | None = None
    reason: str | None = None
    reason_label: str | None = None
    due_at: datetime | None = None
    is_overdue: bool = False
    verify_identity: bool = False
    case_reference: str | None = None


@dataclass(frozen=True)
class PhoneQueue:
    entries: list[QueueEntry]  # oldest first

    @property
    def waiting_calls(self) -> list[QueueEntry]:
        return [entry for entry in self.entries if entry.kind == "call" and entry.position is not None]

    @property
    def calls_with_agents(self) -> list[QueueEntry]:
        return [entry for entry in self.entries if entry.kind == "call" and entry.position is None]

    @property
    def callbacks(self) -> list[QueueEntry]:
        return [entry for entry in self.entries if entry.kind == "callback"]


def _seconds(since: datetime, until: datetime) -> int:
    return max(0, int((until - since).total_seconds()))


def _call_entry(call: Call, *, at: datetime) -> tuple[tuple[datetime, int, int], QueueEntry]:
    since = call.queued_at or call.started_at
    entry = QueueEntry(
        kind="call",
        position=None,
        waiting_since=since,
        waited_seconds=_seconds(since, call.answered_at or at),
        caller=call.caller,
        language=call.language,
        state=call.state,
        state_label=call.get_state_display(),
        agent=call.agent.email if call.agent else None,
        call_sid=call.call_sid,
        case_reference=call.case.reference if call.case else None,
    )
    # on the same place a waiting caller is taken before a callback (answer_next compares strictly)
    return (since, 0, call.pk), entry


def _callback_entry(callback: Callback, *, at: datetime) -> tuple[tuple[datetime, int, int], QueueEntry]:
    entry = QueueEntry(
        kind="callback",
        position=None,
        waiting_since=callback.place,
        waited_seconds=_seconds(callback.place, at),
        caller=callback.phone,
        language=callback.language,
        state=callback.status,
        state_label=callback.get_status_display(),
        agent=callback.agent.email if callback.agent else None,
        callback_id=callback.pk,
        reason=callback.reason,
        reason_label=callback.get_reason_display(),
        due_at=callback.due_at,
        is_overdue=callback.status == CallbackStatus.PENDING and callback.due_at <= at,
        verify_identity=callback.verify_identity,
        case_reference=callback.case.reference if callback.case else None,
    )
    return (callback.place, 1, callback.pk), entry


def _is_takeable(entry: QueueEntry) -> bool:
    if entry.kind == "call":
        return entry.state == CallState.QUEUED
    return entry.state == CallbackStatus.PENDING


def list_phone_queue(*, staff: Staff, at: datetime) -> PhoneQueue:
    """DFS-08: callers waiting or with an agent, and the callbacks still to make, oldest first (2 queries)."""
    require(staff, Capability.CALL_ANSWER)
    calls = (
        Call.objects.filter(state__in=BOARD_CALL_STATES)
        .select_related("agent", "case")
        .order_by("queued_at", "pk")[:BOARD_LIMIT]
    )
    callbacks = (
        Callback.objects.filter(status__in=BOARD_CALLBACK_STATUSES)
        .select_related("agent", "case")
        .order_by("place", "pk")[:BOARD_LIMIT]
    )
    keyed = [_call_entry(call, at=at) for call in calls] + [
        _callback_entry(callback, at=at) for callback in callbacks
    ]
    keyed.sort(key=lambda pair: pair[0])
    entries: list[QueueEntry] = []
    position = 0
    for _key, entry in keyed:
        if _is_takeable(entry):
            position += 1
            entries.append(replace(entry, position=position))
        else:
            entries.append(entry)
    return PhoneQueue(entries=entries)


def get_seat(*, staff: Staff) -> AgentSeat | None:
    """The staff member's own phone presence; None before they first signed in to take calls."""
    require(staff, Capability.CALL_ANSWER)
    return AgentSeat.objects.filter(staff=staff).first()


def list_calls_to_log(*, staff: Staff, limit: int = 20) -> QuerySet[Call]:
    """The agent's answered calls whose outcome is not logged yet, newest first."""
    require(staff, Capability.CALL_ANSWER)
    return (
        Call.objects.filter(agent=staff, answered_at__isnull=False, logged_at__isnull=True)
        .select_related("case")
        .order_by("-answered_at", "-pk")[:limit]
    )


def get_call_for_agent(call_sid: str, *, staff: Staff) -> Call:
    """A call the staff member took; another agent's call answers exactly like an unknown one."""
    require(staff, Capability.CALL_ANSWER)
    call = Call.objects.select_related("line").filter(call_sid=call_sid, agent=staff).first()
    if call is None:
        raise NotFound("No call of yours with that id.")
    return call


def calls_on_case(case: Case) -> QuerySet[Call]:
    """The calls a case holds (live, callback, voicemail), first first; the caller checked case access."""
    return Call.objects.filter(case=case).select_related("agent").order_by("started_at", "pk")


def get_recording_for_staff(call_sid: str, *, staff: Staff) -> Call:
    """A call's recording for whoever may view its case (DFS-25)."""
    require(staff, Capability.CASE_VIEW)
    call = Call.objects.filter(call_sid=call_sid, case__isnull=False).exclude(recording="").first()
    if call is None:
        raise NotFound("No recording for that call.")
    return call
