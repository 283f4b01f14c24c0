"""The agent side of the phone channel over the JSON API (PRD-06): the queue, the seat, take next, log a call.

2026-12-01 15:00 UTC is Tuesday 10:00 in New York, inside the support hours the migrations ship.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from clearline.accounts.models import Role
from clearline.audit.models import AuditEvent
from clearline.cases.models import Case, Method
from clearline.channels.voice.models import AgentSeat, Call, Callback, CallbackReason, CallState

from .conftest import SUPPORT_NUMBER

TUESDAY_10AM = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
JSON = {"content_type": "application/json"}
DESK_PHONE = "+15550000001"


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def _queue(hook, sid: str, caller: str, digits: str = "1") -> None:
    hook("incoming", CallSid=sid, From=caller, To=SUPPORT_NUMBER)
    hook("language", CallSid=sid, Digits=digits)


def _seated(make_staff, api_client_for, role: str = Role.AGENT, *, device: str = DESK_PHONE):
    staff = make_staff(role)
    client = api_client_for(staff)
    answer = client.put("/api/v1/phone/seat", {"status": "available", "device": device}, **JSON)
    assert answer.status_code == 200, answer.content
    return staff, client


ENDPOINTS = [
    ("get", "/api/v1/phone/calls", None),
    ("get", "/api/v1/phone/seat", None),
    ("put", "/api/v1/phone/seat", {"status": "available", "device": DESK_PHONE}),
    ("post", "/api/v1/phone/calls/next", None),
    ("post", "/api/v1/phone/calls/CA1/log", {"summary": "Asked about a deposit.", "topic": "other"}),
    ("post", "/api/v1/phone/cases/CL-AAAAAAAA/callback", {"within_minutes": 30}),
]


def _send(client: Client, method: str, path: str, body):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, **JSON)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_the_phone_api_needs_a_staff_token(db, method, path, body) -> None:
    """PRD-06: without a token every phone operation is 401 JSON."""
    response = _send(Client(), method, path, body)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("role", [Role.EXAMINER, Role.COMPLIANCE])
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_roles_that_do_not_take_calls_are_refused_and_nothing_changes(
    hook, line, make_staff, api_client_for, role, method, path, body
) -> None:
    """DFS-08: only agents, supervisors and admins take calls; an examiner or compliance officer gets 403 on
    every phone operation, and no seat, ring or case results."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
        client = api_client_for(make_staff(role))
        response = _send(client, method, path, body)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not AgentSeat.objects.exists() and not Case.objects.exists()
    assert Call.objects.get(call_sid="CA1").state == CallState.QUEUED


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
def test_agents_and_supervisors_see_the_phone_queue(db, make_staff, api_client_for, role) -> None:
    """DFS-08: the roles that take calls read the queue (empty here) and their own seat."""
    client = api_client_for(make_staff(role))
    assert client.get("/api/v1/phone/calls").json() == []
    assert client.get("/api/v1/phone/seat").json() == {"status": "offline", "device": "", "changed_at": None}


def test_only_a_trained_agent_signs_in_to_take_calls(db, make_staff, api_client_for) -> None:
    """Proves DFS-06: staff without a current HCSR training record cannot be available for calls; signing
    out stays possible."""
    untrained = api_client_for(make_staff(trained=False))

    refused = untrained.put("/api/v1/phone/seat", {"status": "available", "device": DESK_PHONE}, **JSON)
    signed_out = untrained.put("/api/v1/phone/seat", {"status": "offline", "device": DESK_PHONE}, **JSON)

    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Only staff with a current HCSR training record take calls (DFS-06).",
        "field": "status",
        "code": "invalid",
    }
    assert signed_out.status_code == 200 and signed_out.json()["status"] == "offline"
    assert AgentSeat.objects.get().status == "offline"


def test_bad_seat_input_is_422_json_never_500(db, make_staff, api_client_for) -> None:
    """PRD-06: an unknown status or a missing device is a 4xx with a reason."""
    client = api_client_for(make_staff())

    unknown = client.put("/api/v1/phone/seat", {"status": "busy", "device": DESK_PHONE}, **JSON)
    no_device = client.put("/api/v1/phone/seat", {"status": "available"}, **JSON)
    not_json = client.put("/api/v1/phone/seat", "{", **JSON)

    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid"
    assert no_device.status_code == 422 and no_device.json()["field"] == "device"
    assert not_json.status_code in (400, 422)
    assert not AgentSeat.objects.exists()


def test_the_queue_lists_callers_oldest_first_with_position_and_wait(
    hook, line, make_staff, api_client_for
) -> None:
    """Proves DFS-08: waiting callers in the order "take next" serves them, with language and wait so far."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001", digits="2")
    with at(TUESDAY_10AM + timedelta(minutes=1)):
        _queue(hook, "CA2", "+15551230002")
    with at(TUESDAY_10AM + timedelta(minutes=3)):
        rows = api_client_for(make_staff()).get("/api/v1/phone/calls").json()

    assert [(row["call_sid"], row["position"], row["waited_seconds"]) for row in rows] == [
        ("CA1", 1, 180),
        ("CA2", 2, 120),
    ]
    assert rows[0] == {
        "kind": "call",
        "position": 1,
        "waiting_since": "2026-12-01T15:00:00Z",
        "waited_seconds": 180,
        "caller": "+15551230001",
        "language": "es",
        "state": "queued",
        "agent": None,
        "call_sid": "CA1",
        "callback_id": None,
        "reason": None,
        "due_at": None,
        "is_overdue": False,
        "verify_identity": False,
        "case": None,
    }


def test_a_caller_who_hung_up_is_a_callback_in_the_queue_overdue_after_five_minutes(
    hook, line, make_staff, api_client_for
) -> None:
    """DFS-09: the dropped caller's callback keeps their place, asks for re-verification and is overdue once
    its five minutes have passed."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
    with at(TUESDAY_10AM + timedelta(minutes=2)):
        _queue(hook, "CA2", "+15551230002")
        hook("queue-exit", CallSid="CA1", QueueResult="hangup", QueueTime="120")
    with at(TUESDAY_10AM + timedelta(minutes=8)):
        rows = api_client_for(make_staff()).get("/api/v1/phone/calls").json()

    callback = Callback.objects.get()
    assert [(row["kind"], row["position"]) for row in rows] == [("callback", 1), ("call", 2)]
    assert rows[0]["callback_id"] == callback.pk and rows[0]["reason"] == CallbackReason.DROPPED
    assert rows[0]["verify_identity"] is True and rows[0]["is_overdue"] is True
    assert rows[0]["due_at"] == "2026-12-01T15:07:00Z"


def test_the_queue_is_read_in_a_constant_number_of_queries(
    hook, line, make_staff, api_client_for, django_assert_num_queries
) -> None:
    """The queue page is a hot list: two queries (calls, callbacks) whatever its length."""
    with at(TUESDAY_10AM):
        for n in range(5):
            _queue(hook, f"CA{n}", f"+1555123000{n}")
        hook("queue-exit", CallSid="CA0", QueueResult="hangup", QueueTime="1")
        client = api_client_for(make_staff())
        client.get("/api/v1/phone/calls")  # warm the token's last-used stamp
        with django_assert_num_queries(2):
            assert len(client.get("/api/v1/phone/calls").json()) == 5


def test_take_next_connects_the_longest_waiting_caller(
    hook, line, make_staff, api_client_for, carrier, django_capture_on_commit_callbacks
) -> None:
    """Proves DFS-08 and DFS-06: a trained, available agent takes the caller who has waited longest; the
    carrier is told to bring that caller to the instructions that ring the agent's device."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
    with at(TUESDAY_10AM + timedelta(minutes=1)):
        _queue(hook, "CA2", "+15551230002", digits="3")
    with at(TUESDAY_10AM + timedelta(minutes=2)):
        agent, client = _seated(make_staff, api_client_for)
        with django_capture_on_commit_callbacks(execute=True):
            taken = client.post("/api/v1/phone/calls/next")
        rows = client.get("/api/v1/phone/calls").json()

    call = Call.objects.get(call_sid="CA1")
    assert taken.status_code == 201
    assert taken.json() == {
        "kind": "call",
        "call_sid": "CA1",
        "callback_id": None,
        "caller": "+15551230001",
        "language": "en",
        "reason": None,
        "verify_identity": False,
        "case": None,
    }
    assert call.state == CallState.RINGING and call.agent == agent
    assert [form["Url"] for form in carrier.sent("/Calls/CA1.json")] == [
        f"https://help.hudson.test/hooks/voice/connect/{call.pk}"
    ]
    assert carrier.sent("/Calls/CA2.json") == []
    assert AgentSeat.objects.get(staff=agent).status == "on_call"
    assert [(row["call_sid"], row["position"], row["state"], row["agent"]) for row in rows] == [
        ("CA1", None, "ringing", agent.email),
        ("CA2", 1, "queued", None),
    ]
    assert AuditEvent.objects.filter(action="voice.answered").count() == 1


def test_take_next_with_nobody_waiting_is_204_and_changes_nothing(
    db, make_staff, api_client_for, carrier, django_capture_on_commit_callbacks
) -> None:
    """DFS-08: an empty queue answers 204; the agent stays available and the carrier is not called."""
    agent, client = _seated(make_staff, api_client_for)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/phone/calls/next")
    assert response.status_code == 204 and response.content == b""
    assert AgentSeat.objects.get(staff=agent).status == "available"
    assert carrier.requests == []


def test_take_next_without_a_seat_is_refused(hook, line, make_staff, api_client_for) -> None:
    """DFS-08: an agent who has not signed in to take calls is told to, and the caller keeps waiting."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
        response = api_client_for(make_staff()).post("/api/v1/phone/calls/next")
    assert response.status_code == 422
    assert response.json()["field"] == "seat"
    assert Call.objects.get().state == CallState.QUEUED


def _answered_call(hook, make_staff, api_client_for, django_capture_on_commit_callbacks):
    """CA1 queued at 10:00, taken at 10:01 and answered by the agent for 400 seconds."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
    with at(TUESDAY_10AM + timedelta(minutes=1)):
        agent, client = _seated(make_staff, api_client_for)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/api/v1/phone/calls/next").status_code == 201
    with at(TUESDAY_10AM + timedelta(minutes=8)):
        hook("agent-end", CallSid="CA1", DialCallStatus="completed", DialCallDuration="400")
    return agent, client


def test_logging_a_call_opens_a_phone_live_case(
    hook, line, make_staff, api_client_for, carrier, django_capture_on_commit_callbacks
) -> None:
    """Proves DFS-25 and DFS-08: the agent logs the outcome of the call they took; it opens a phone_live case
    for the caller with the duration noted, and the call is logged once only."""
    agent, client = _answered_call(hook, make_staff, api_client_for, django_capture_on_commit_callbacks)
    body = {"summary": "Asked why the withdrawal fee went up; explained the schedule.", "topic": "fees"}

    with at(TUESDAY_10AM + timedelta(minutes=9)):
        logged = client.post("/api/v1/phone/calls/CA1/log", body, **JSON)
        again = client.post("/api/v1/phone/calls/CA1/log", body, **JSON)

    assert logged.status_code == 200, logged.content
    case = Case.objects.get()
    assert logged.json() == {"reference": case.reference, "method": "phone_live", "status": case.status}
    assert case.method == Method.PHONE_LIVE and case.topic_id == "fees"
    assert case.customer.phone == "+15551230001"
    call = Call.objects.get(call_sid="CA1")
    assert call.case == case and call.logged_at == TUESDAY_10AM + timedelta(minutes=9)
    assert "Call CA1 (phone_live): 400 seconds" in " ".join(case.messages.values_list("body", flat=True))
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert Case.objects.count() == 1


def test_a_dropped_call_logged_books_a_callback_with_reverification(
    hook, line, make_staff, api_client_for, carrier, django_capture_on_commit_callbacks
) -> None:
    """DFS-09: "the call dropped" in the log promises a callback within five minutes, on the same case."""
    _agent, client = _answered_call(hook, make_staff, api_client_for, django_capture_on_commit_callbacks)
    body = {"summary": "Line dropped mid-way.", "topic": "other", "dropped": True}
    with at(TUESDAY_10AM + timedelta(minutes=9)):
        reference = client.post("/api/v1/phone/calls/CA1/log", body, **JSON).json()["reference"]

    callback = Callback.objects.get()
    assert callback.reason == CallbackReason.DROPPED and callback.verify_identity is True
    assert callback.case is not None and callback.case.reference == reference
    assert callback.due_at == TUESDAY_10AM + timedelta(minutes=14)


def test_a_call_is_logged_only_by_the_agent_who_took_it_and_with_valid_input(
    hook, line, make_staff, api_client_for, carrier, django_capture_on_commit_callbacks
) -> None:
    """PRD-06: another agent's call answers like an unknown one (404); a missing summary, an unknown topic or
    an unknown case reference is a 4xx JSON refusal, and no case is opened."""
    _agent, client = _answered_call(hook, make_staff, api_client_for, django_capture_on_commit_callbacks)
    colleague = api_client_for(make_staff())
    body = {"summary": "Asked about a deposit.", "topic": "other"}

    with at(TUESDAY_10AM + timedelta(minutes=9)):
        theirs = colleague.post("/api/v1/phone/calls/CA1/log", body, **JSON)
        unknown = client.post("/api/v1/phone/calls/CA404/log", body, **JSON)
        no_summary = client.post("/api/v1/phone/calls/CA1/log", {"topic": "other"}, **JSON)
        bad_topic = client.post("/api/v1/phone/calls/CA1/log", {**body, "topic": "no-such-topic"}, **JSON)
        bad_case = client.post("/api/v1/phone/calls/CA1/log", {**body, "reference": "CL-NOPE"}, **JSON)

    assert (theirs.status_code, theirs.json()["code"]) == (404, "not_found")
    assert unknown.status_code == 404
    assert no_summary.status_code == 422 and no_summary.json()["code"] == "invalid"
    assert bad_topic.status_code == 422, bad_topic.content
    assert bad_case.status_code == 422 and bad_case.json()["field"] == "reference"
    assert not Case.objects.exists()
    assert Call.objects.get(call_sid="CA1").logged_at is None


def test_an_agent_promises_a_callback_on_a_case_over_the_api(line, make_staff, api_client_for) -> None:
    """DFS-08: a callback promised on a case joins the queue agents take calls from; bad input is 4xx."""
    from clearline.cases.services import Author, open_case

    agent = make_staff()
    case = open_case(
        by=Author.of_staff(agent),
        customer_email="",
        customer_phone="+15551230001",
        subject="Two-factor reset",
        body="Lost my phone with the authenticator.",
        topic="account_access",
        method="phone_live",
    )
    client = api_client_for(agent)
    path = f"/api/v1/phone/cases/{case.reference}/callback"
    with at(TUESDAY_10AM):
        made = client.post(path, {"within_minutes": 30}, **JSON)
    assert made.status_code == 201, made.content
    assert made.json()["phone"] == "+15551230001" and made.json()["case"] == case.reference
    queue = client.get("/api/v1/phone/calls").json()
    assert [(entry["kind"], entry["reason"]) for entry in queue] == [("callback", "agent")]
    assert client.post(path, {"within_minutes": 0}, **JSON).status_code == 422
    assert client.post(path, {"phone": "12"}, **JSON).status_code == 422
    assert client.post("/api/v1/phone/cases/CL-ZZZZZZZZ/callback", {}, **JSON).status_code == 404
