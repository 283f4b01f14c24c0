"""The phone channel in the console (DFS-08): the queue, callbacks due, one's seat, take next, log a call.

Callers are put in the queue through the voice services the webhooks use; the carrier is not reached here
(the ring job runs on commit, which a test transaction never does; the API tests drive the fake carrier).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from clearline.accounts.models import Role
from clearline.cases.models import Case, Method
from clearline.channels.voice import services
from clearline.channels.voice.models import AgentSeat, Call, CallState, PhoneLine

pytestmark = pytest.mark.django_db

TUESDAY_10AM = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in New York, inside the support hours
DESK_PHONE = "+15550000001"


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def line(organisation) -> PhoneLine:
    return PhoneLine.objects.create(number="+12125550142", label="Support")


def _queue(line: PhoneLine, sid: str, caller: str, *, language: str = "en") -> Call:
    """What the incoming and language webhooks do: the call starts, the caller picks a language and waits."""
    call = services.start_call(call_sid=sid, line=line, caller=caller, at=TUESDAY_10AM)
    services.join_queue(call, language=language, at=TUESDAY_10AM + timedelta(seconds=int(sid[2:])))
    return call


@pytest.mark.parametrize("role", [Role.EXAMINER, Role.COMPLIANCE])
def test_roles_that_do_not_take_calls_get_403_and_change_nothing(signed_in, line, role) -> None:
    """DFS-08: the Calls page and its actions are for the roles that take calls."""
    with at(TUESDAY_10AM):
        _queue(line, "CA1", "+15551230001")
        client, _staff = signed_in(role)
        page = client.get("/console/calls")
        seat = client.post("/console/calls/seat", {"status": "available", "device": DESK_PHONE})
        taken = client.post("/console/calls/next")
        logged = client.post("/console/calls/CA1/log", {"summary": "x", "topic": "other"})
    assert [page.status_code, seat.status_code, taken.status_code, logged.status_code] == [403] * 4
    assert not AgentSeat.objects.exists() and not Case.objects.exists()
    assert Call.objects.get().state == CallState.QUEUED


def test_the_calls_page_shows_waiting_callers_and_callbacks_due(signed_in, line) -> None:
    """DFS-08, DFS-09: waiting callers with position, wait and language; a dropped caller's callback with its
    due time, overdue once passed, and the reminder to re-verify identity."""
    with at(TUESDAY_10AM):
        dropped = _queue(line, "CA1", "+15551230001")
        _queue(line, "CA2", "+15551230002", language="ro")
        services.call_ended(dropped, at=TUESDAY_10AM + timedelta(minutes=1))
    with at(TUESDAY_10AM + timedelta(minutes=10)):
        client, _agent = signed_in(Role.AGENT)
        page = client.get("/console/calls").content.decode()

    assert '<a href="/console/calls">Calls</a>' in page
    assert "Waiting callers (1)" in page
    assert "<tr><td>2</td><td>+15551230002</td><td>RO</td>" in page  # the callback kept place 1
    assert "9\xa0minutes" in page  # waiting since 10:00:02
    assert "Callbacks to make (1)" in page and '<tr class="overdue"><td>1</td><td>+15551230001</td>' in page
    assert "Call dropped" in page and "re-verify identity" in page and "Tue 10:06 EST" in page
    assert 'class="tag complaint">overdue</span>' in page


def test_an_untrained_agent_cannot_sign_in_to_take_calls(signed_in, make_staff, line) -> None:
    """Proves DFS-06: the seat form refuses "available" without a current HCSR training record."""
    client, staff = signed_in(Role.AGENT)
    staff.training_records.all().delete()

    response = client.post("/console/calls/seat", {"status": "available", "device": DESK_PHONE}, follow=True)

    assert "Only staff with a current HCSR training record take calls (DFS-06)." in response.content.decode()
    assert not AgentSeat.objects.exists()


def test_take_next_rings_the_agent_for_the_longest_waiting_caller(signed_in, line) -> None:
    """Proves DFS-08: the seat form signs the agent in; "Take next" takes the first caller in line."""
    with at(TUESDAY_10AM + timedelta(minutes=2)):
        _queue(line, "CA1", "+15551230001")
        _queue(line, "CA2", "+15551230002")
        client, agent = signed_in(Role.AGENT)
        seat = client.post("/console/calls/seat", {"status": "available", "device": DESK_PHONE})
        taken = client.post("/console/calls/next", follow=True)

    assert seat.status_code == 302 and seat["Location"] == "/console/calls"
    assert "Ringing your device for +15551230001." in taken.content.decode()
    first, second = Call.objects.order_by("call_sid")
    assert (first.state, first.agent) == (CallState.RINGING, agent)
    assert (second.state, second.agent) == (CallState.QUEUED, None)
    assert AgentSeat.objects.get(staff=agent).status == "on_call"


def test_take_next_when_nobody_waits_says_so(signed_in, line) -> None:
    client, agent = signed_in(Role.AGENT)
    services.set_seat(agent, status="available", device=DESK_PHONE)
    page = client.post("/console/calls/next", follow=True).content.decode()
    assert "Nobody is waiting." in page
    assert AgentSeat.objects.get(staff=agent).status == "available"


def test_logging_a_call_from_the_console_opens_its_case(signed_in, line) -> None:
    """Proves DFS-25: the agent's answered call is offered for logging; the form opens a phone_live case and
    shows it; the call then leaves the list."""
    with at(TUESDAY_10AM + timedelta(minutes=1)):
        client, agent = signed_in(Role.AGENT)
        call = _queue(line, "CA1", "+15551230001")
        services.set_seat(agent, status="available", device=DESK_PHONE)
        services.answer_next(agent)
    with at(TUESDAY_10AM + timedelta(minutes=6)):
        services.agent_leg_ended(call, answered=True, seconds=240, at=TUESDAY_10AM + timedelta(minutes=6))
        before = client.get("/console/calls").content.decode()
        response = client.post(
            "/console/calls/CA1/log", {"summary": "Asked about the withdrawal fee schedule.", "topic": "fees"}
        )

    case = Case.objects.get()
    assert "Your calls to log (1)" in before and 'action="/console/calls/CA1/log"' in before
    assert response.status_code == 302 and response["Location"] == f"/console/cases/{case.reference}"
    assert case.method == Method.PHONE_LIVE and case.topic_id == "fees"
    assert "Your calls to log (0)" in client.get("/console/calls").content.decode()


def test_a_refused_log_stays_on_the_calls_page_and_opens_no_case(signed_in, make_staff, line) -> None:
    """An empty summary is refused with a message; another agent's call is not found."""
    with at(TUESDAY_10AM + timedelta(minutes=1)):
        client, agent = signed_in(Role.AGENT)
        call = _queue(line, "CA1", "+15551230001")
        services.set_seat(agent, status="available", device=DESK_PHONE)
        services.answer_next(agent)
        services.agent_leg_ended(call, answered=True, seconds=60, at=TUESDAY_10AM + timedelta(minutes=2))
        empty = client.post("/console/calls/CA1/log", {"summary": "", "topic": "other"})
        colleague, _other = signed_in(Role.AGENT)
        theirs = colleague.post("/console/calls/CA1/log", {"summary": "Mine now.", "topic": "other"})

    assert empty.status_code == 302 and empty["Location"] == "/console/calls"
    assert theirs.status_code == 404
    assert not Case.objects.exists() and Call.objects.get().logged_at is None


def test_a_voicemail_case_lists_its_call_and_plays_back_its_recording(signed_in, line, make_staff) -> None:
    """DFS-25, DFS-10: the case page shows the voicemail's call with a link to the recording, downloaded by
    staff who may view the case (console and API alike); no token, no recording."""
    from django.test import Client

    now = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    call = services.start_call(call_sid="CA7", line=line, caller="+15551230007", at=now)
    case = services.voicemail_case(
        call, recording_url="https://api.twilio.com/x", recording_sid="RE7", seconds=21, at=now
    )
    services.store_recording(call.pk, b"ID3-voicemail")
    client, _staff = signed_in(Role.AGENT)
    page = client.get(f"/console/cases/{case.reference}").content.decode()
    assert "+15551230007" in page and "voicemail 21 s" in page and "/console/calls/CA7/recording" in page
    download = client.get("/console/calls/CA7/recording")
    assert download.status_code == 200 and download["Content-Type"] == "audio/mpeg"
    assert b"".join(download.streaming_content) == b"ID3-voicemail"
    assert Client().get("/api/v1/phone/calls/CA7/recording").status_code == 401
    assert client.get("/console/calls/CA-none/recording").status_code == 404
