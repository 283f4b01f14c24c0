"""Full call flows driven by signed webhooks, the TwiML asserted at each step (DFS-04, 08, 09, 10, 14, 25).

The support calendar shipped by the migrations is Monday to Friday, 9:00 to 17:00 New York, with US/NY
holidays. 2026-12-01 is a Tuesday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from clearline.cases.models import Case, Method
from clearline.channels.voice import services
from clearline.channels.voice.models import (
    Call,
    Callback,
    CallbackReason,
    CallbackStatus,
    CallState,
    VoiceWebhook,
)

from .carrier import RECORDING_AUDIO
from .conftest import SUPPORT_NUMBER, signature

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY_10AM = datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)
TUESDAY_7PM = datetime(2026, 12, 1, 19, 0, tzinfo=NEW_YORK)
FRIDAY_8PM = datetime(2026, 12, 4, 20, 0, tzinfo=NEW_YORK)
CHRISTMAS_11AM = datetime(2026, 12, 25, 11, 0, tzinfo=NEW_YORK)
SEED_PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def _queue(hook, sid: str, caller: str, digits: str = "1") -> str:
    hook("incoming", CallSid=sid, From=caller, To=SUPPORT_NUMBER)
    return hook("language", CallSid=sid, Digits=digits)


@pytest.mark.parametrize("signed", ["missing", "forged", "no token configured"])
def test_unsigned_or_badly_signed_webhooks_are_refused(db, line, settings, signed) -> None:
    """Every voice webhook checks X-Twilio-Signature with TWILIO_AUTH_TOKEN; otherwise 403 and nothing
    is stored."""
    params = {"CallSid": "CA1", "From": "+15551230001", "To": SUPPORT_NUMBER}
    settings.TWILIO_AUTH_TOKEN = "" if signed == "no token configured" else "test-auth-token-0123456789abcdef"
    headers = {} if signed == "missing" else {"HTTP_X_TWILIO_SIGNATURE": "forged"}
    if signed == "no token configured":
        headers = {"HTTP_X_TWILIO_SIGNATURE": signature("http://testserver/hooks/voice/incoming", params)}
    response = Client().post("/hooks/voice/incoming", params, **headers)
    assert response.status_code == 403
    assert not VoiceWebhook.objects.exists() and not Call.objects.exists()


def test_call_in_business_hours_is_told_it_is_recorded_and_reaches_the_queue_for_a_person(hook, line) -> None:
    """Proves DFS-08 and DFS-14: greeting, the recording disclosure before anything else, the language menu
    in en/es/ro; the caller's choice puts them in the agent queue, never voicemail."""
    with at(TUESDAY_10AM):
        greeting = hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        assert greeting.index("This call is recorded") < greeting.index("<Gather")
        assert "For English, press 1." in greeting and "Para español, oprima 2." in greeting
        assert "Pentru limba română, apăsați 3." in greeting and "<Record" not in greeting
        queued = hook("language", CallSid="CA1", Digits="2")
    assert '<Say language="es-US">' in queued and "una persona" in queued
    assert '<Enqueue action="/hooks/voice/queue-exit" method="POST" waitUrl="/hooks/voice/wait">' in queued
    call = Call.objects.get(call_sid="CA1")
    assert call.state == CallState.QUEUED and call.language == "es" and call.queued_at == TUESDAY_10AM


def test_no_key_pressed_takes_the_first_language(hook, line) -> None:
    """Proves DFS-08: a caller who presses nothing still reaches the queue."""
    with at(TUESDAY_10AM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        assert "<Enqueue" in hook("language", CallSid="CA1")
    assert Call.objects.get().language == "en"


def test_hold_tells_the_estimated_wait_at_once_and_every_two_minutes_with_a_callback_offer(
    hook, line, make_staff
) -> None:
    """Proves DFS-09: the first wait request (made by the carrier as the caller joins the queue) tells the
    estimate from staffed agents and handle time; the hold lasts 120 s including speech, then repeats."""
    services.set_seat(make_staff(), status="available", device="+15550000001")
    with at(TUESDAY_10AM):
        for index in range(3):
            _queue(hook, f"CA{index}", f"+1555123000{index}")
        first = hook("wait", CallSid="CA0", QueuePosition="1", QueueTime="0")
        third = hook("wait", CallSid="CA2", QueuePosition="3", QueueTime="0")
    assert "should be with you in about a minute" in first  # one agent free, first in line
    assert "about 15 minutes. You are number 3 in line." in third  # 3 callers / 1 agent x 300 s default
    assert "press 1 at any time" in third and '<Pause length="100" />' in third
    with at(TUESDAY_10AM + timedelta(minutes=2)):
        again = hook("wait", CallSid="CA2", QueuePosition="3", QueueTime="120")
    assert "You are number 3 in line." in again
    call = Call.objects.get(call_sid="CA2")
    assert call.first_estimate_at == TUESDAY_10AM
    assert VoiceWebhook.objects.filter(event="wait", key__contains=":CA2:").count() == 2


def test_two_hundred_simultaneous_callers_and_three_agents_no_busy_every_caller_told_a_wait(
    hook, line, make_staff
) -> None:
    """Proves DFS-09: 200 callers in the queue at once against 3 staffed agents (the issue's load test):
    none rejected, busy or sent to voicemail, each told an estimated wait from their position."""
    for index in range(3):
        services.set_seat(make_staff(), status="available", device=f"+1555000000{index}")
    answers = []
    with at(TUESDAY_10AM):
        for index in range(200):
            answers.append(_queue(hook, f"CA{index:03d}", f"+1555200{index:04d}"))
        waits = [hook("wait", CallSid=f"CA{index:03d}", QueueTime="5") for index in range(200)]
    assert all("<Enqueue" in answer for answer in answers)
    assert not any("<Reject" in answer or "<Record" in answer for answer in answers + waits)
    assert all("estimated wait" in text or "about a minute" in text for text in waits)
    assert "about 335 minutes. You are number 200 in line." in waits[-1]  # ceil(200 / 3) x 5 min
    assert Call.objects.filter(state=CallState.QUEUED, first_estimate_at=TUESDAY_10AM).count() == 200


@pytest.mark.parametrize("moment", [TUESDAY_7PM, CHRISTMAS_11AM], ids=["after hours", "holiday"])
def test_after_hours_and_holiday_calls_hear_the_hours_and_can_leave_a_voicemail(hook, line, moment) -> None:
    """Proves DFS-10 and DFS-08 (published hours read out): no queue, the hours, a voicemail prompt and a
    transcribed recording."""
    with at(moment):
        answer = hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
    assert "Our phone lines are closed now. Our hours are Monday to Friday 9:00" in answer
    assert "Eastern Time" in answer and "<Enqueue" not in answer
    assert '<Record action="/hooks/voice/voicemail"' in answer and 'transcribe="true"' in answer
    assert 'transcribeCallback="/hooks/voice/transcription"' in answer
    assert Call.objects.get().state == CallState.VOICEMAIL


def test_a_full_queue_overflows_to_voicemail_never_busy(hook, line) -> None:
    """Proves DFS-09: beyond the line's queue limit callers are offered voicemail, never a busy signal."""
    line.queue_limit = 2
    line.save()
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
        _queue(hook, "CA2", "+15551230002")
        third = hook("incoming", CallSid="CA3", From="+15551230003", To=SUPPORT_NUMBER)
    assert "All of our representatives are busy" in third and "<Record" in third
    assert "<Reject" not in third


def test_voicemail_opens_a_case_reads_the_reference_back_texts_it_and_books_a_callback(
    hook, line, carrier
) -> None:
    """Proves DFS-10, DFS-12 and DFS-25: a Friday-evening voicemail becomes a phone_voicemail case with a
    reference read back twice and texted (the acknowledgement), the recording fetched from the carrier and
    kept, the transcription added without the seed phrase the caller read out (CRY-03), and a callback due
    by the end of the next business day (Monday 17:00)."""
    with at(FRIDAY_8PM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        answer = hook(
            "voicemail",
            CallSid="CA1",
            RecordingUrl=carrier.recording_url("RE1"),
            RecordingSid="RE1",
            RecordingDuration="42",
        )
        hook(
            "transcription",
            CallSid="CA1",
            RecordingSid="RE1",
            TranscriptionStatus="completed",
            TranscriptionText=f"My deposit is missing. My words are {SEED_PHRASE}. Please call me.",
        )
    case = Case.objects.get()
    assert case.method == Method.PHONE_VOICEMAIL and case.customer.phone == "+15551230001"
    assert case.acknowledged_at is not None and case.received_at == FRIDAY_8PM
    spoken = ", ".join(case.reference.replace("-", ""))
    assert answer.count(spoken) == 2 and "by text message" in answer
    texts = carrier.sent("Messages.json")
    assert len(texts) == 1 and texts[0]["To"] == "+15551230001" and texts[0]["From"] == SUPPORT_NUMBER
    assert case.reference in texts[0]["Body"]
    call = Call.objects.get()
    assert call.case == case and call.recording_seconds == 42 and call.recording.read() == RECORDING_AUDIO
    bodies = " ".join(case.messages.values_list("body", flat=True))
    assert "My deposit is missing." in bodies and "abandon" not in bodies and "abandon" not in call.transcript
    stored = VoiceWebhook.objects.get(event="transcription").params  # the payload as an object, redacted
    assert stored["RecordingSid"] == "RE1" and "My deposit is missing." in stored["TranscriptionText"]
    assert "abandon" not in stored["TranscriptionText"]
    callback = Callback.objects.get()
    assert callback.reason == CallbackReason.VOICEMAIL and callback.case == case
    assert callback.due_at == datetime(2026, 12, 7, 17, 0, tzinfo=NEW_YORK)


def test_an_empty_voicemail_opens_no_case(hook, line) -> None:
    with at(TUESDAY_7PM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        answer = hook("voicemail", CallSid="CA1", RecordingUrl="", RecordingDuration="0")
    assert "We did not receive a message" in answer and not Case.objects.exists()


def test_a_carrier_retry_gets_the_same_answer_and_opens_no_second_case(hook, line, carrier) -> None:
    """Webhooks are stored before they are acted on and processed once per event (DFS-25)."""
    fields = {"CallSid": "CA1", "RecordingUrl": carrier.recording_url("RE1"), "RecordingSid": "RE1"}
    with at(TUESDAY_7PM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        first = hook("voicemail", RecordingDuration="10", **fields)
        again = hook("voicemail", RecordingDuration="10", **fields)
    assert first == again and Case.objects.count() == 1 and Callback.objects.count() == 1
    assert VoiceWebhook.objects.filter(event="voicemail").count() == 1


def test_a_recording_on_a_foreign_host_gets_a_safe_answer_and_a_logged_reason(hook, line, carrier) -> None:
    """Bad input never costs the caller an answer: they hear what to do; nothing is fetched or opened."""
    with at(TUESDAY_7PM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        answer = hook(
            "voicemail", CallSid="CA1", RecordingUrl="https://evil.example/x.mp3", RecordingDuration="9"
        )
    assert "something went wrong on our side" in answer and "support@example.com" in answer
    assert not Case.objects.exists() and not carrier.requests
    assert "foreign host" in VoiceWebhook.objects.get(event="voicemail").problem


@pytest.mark.parametrize(
    ("event", "fields", "heard"),
    [
        ("incoming", {"CallSid": "CA9", "From": "+15551230001", "To": "+19998887777"}, "not a support line"),
        ("incoming", {"From": "+15551230001", "To": SUPPORT_NUMBER}, "not a support line"),
        ("wait", {"CallSid": "CA-unknown"}, "something went wrong"),
        ("language", {}, "something went wrong"),
    ],
    ids=["unknown number", "no CallSid", "unknown call", "no fields"],
)
def test_bad_input_is_answered_with_useful_twiml_and_a_reason(hook, line, event, fields, heard) -> None:
    answer = hook(event, **fields)
    assert heard in answer and "<Hangup />" in answer
    assert VoiceWebhook.objects.get().problem


def test_a_callback_request_keeps_the_callers_place(hook, line, make_staff, carrier) -> None:
    """Proves DFS-09: pressing 1 on hold leaves the queue with a callback ordered by when the caller joined,
    so the next free agent calls them back before anyone who queued later."""
    agent = make_staff()
    services.set_seat(agent, status="available", device="+15550000001")
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
    with at(TUESDAY_10AM + timedelta(minutes=1)):
        _queue(hook, "CA2", "+15551230002")
    with at(TUESDAY_10AM + timedelta(minutes=3)):
        left = hook("callback-offer", CallSid="CA1", Digits="1")
        hook("queue-exit", CallSid="CA1", QueueResult="leave", QueueTime="180")
    assert "We will call you back at 1, 5, 5, 5" in left and "<Leave />" in left
    callback = Callback.objects.get()
    assert callback.reason == CallbackReason.REQUESTED and callback.place == TUESDAY_10AM
    with at(TUESDAY_10AM + timedelta(minutes=4)):
        waiting = hook("wait", CallSid="CA2", QueueTime="180")
        taken = services.answer_next(agent)
    assert "number 2 in line" in waiting  # the callback is still ahead of the second caller
    assert taken.callback == callback and taken.call is None


def test_a_caller_who_hangs_up_on_hold_is_called_back_within_five_minutes_with_reverification(
    hook, line
) -> None:
    """Proves DFS-09: nobody is dropped: hanging up while waiting books a callback due in 5 minutes."""
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
    with at(TUESDAY_10AM + timedelta(minutes=6)):
        hook("queue-exit", CallSid="CA1", QueueResult="hangup", QueueTime="360")
        hook("status", CallSid="CA1", CallStatus="completed", CallDuration="370")
    callback = Callback.objects.get()
    assert callback.reason == CallbackReason.DROPPED and callback.verify_identity
    assert callback.due_at == TUESDAY_10AM + timedelta(minutes=11)
    assert Call.objects.get().state == CallState.ENDED


def test_an_agent_takes_the_longest_waiting_caller_and_logs_the_call_as_a_case(
    hook, line, make_staff, carrier, django_capture_on_commit_callbacks
) -> None:
    """Proves DFS-08, DFS-06 and DFS-25: a trained agent takes the first caller in line; the carrier is told
    to ring the agent's phone (recorded); the call becomes a phone_live case with its duration."""
    agent = make_staff()
    services.set_seat(agent, status="available", device="+15550000001")
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
        _queue(hook, "CA2", "+15551230002")
    with at(TUESDAY_10AM + timedelta(minutes=2)):
        with django_capture_on_commit_callbacks(execute=True):
            taken = services.answer_next(agent)
        assert taken.call is not None and taken.call.call_sid == "CA1"
    redirect = carrier.sent("/Calls/CA1.json")
    assert redirect and redirect[0]["Url"] == f"https://help.hudson.test/hooks/voice/connect/{taken.call.pk}"
    with at(TUESDAY_10AM + timedelta(minutes=2)):
        connect = hook(f"connect/{taken.call.pk}", CallSid="CA1")
    assert "Connecting you to a representative." in connect
    assert 'record="record-from-answer-dual"' in connect
    assert f'<Number url="/hooks/voice/agent-answered/{taken.call.pk}">+15550000001</Number>' in connect
    with at(TUESDAY_10AM + timedelta(minutes=2, seconds=15)):
        hook(f"agent-answered/{taken.call.pk}", CallSid="CA-agent-leg")
    assert Call.objects.get(call_sid="CA1").state == CallState.CONNECTED
    with at(TUESDAY_10AM + timedelta(minutes=9)):
        ended = hook("agent-end", CallSid="CA1", DialCallStatus="completed", DialCallDuration="400")
        assert "<Hangup />" in ended
        hook("status", CallSid="CA1", CallStatus="completed", CallDuration="540")
        case = services.log_call(
            Call.objects.get(call_sid="CA1"), staff=agent, summary="Withdrawal stuck, gave the tx status."
        )
    assert case.method == Method.PHONE_LIVE and case.customer.phone == "+15551230001"
    call = Call.objects.get(call_sid="CA1")
    assert call.case == case and call.duration_seconds == 400
    assert call.answered_at == TUESDAY_10AM + timedelta(minutes=2, seconds=15)
    assert "400 seconds" in " ".join(case.messages.values_list("body", flat=True))
    assert agent.seat.status == "available"


def test_an_agent_who_misses_the_ring_puts_the_caller_back_in_the_same_place(
    hook, line, make_staff, carrier
) -> None:
    agent = make_staff()
    services.set_seat(agent, status="available", device="+15550000001")
    with at(TUESDAY_10AM):
        _queue(hook, "CA1", "+15551230001")
        call = services.answer_next(agent).call
        assert call is not None
        answer = hook("agent-end", CallSid="CA1", DialCallStatus="no-answer", DialCallDuration="0")
    assert "You keep your place in line." in answer and "<Enqueue" in answer
    call.refresh_from_db()
    assert call.state == CallState.QUEUED and call.queued_at == TUESDAY_10AM
    agent.seat.refresh_from_db()
    assert agent.seat.status == "offline"  # not rung again until they sign back in


def test_untrained_staff_cannot_take_calls(line, make_staff) -> None:
    """Proves DFS-06: calls go only to agents with a current HCSR training record."""
    from clearline.core.errors import DomainError

    with pytest.raises(DomainError, match="HCSR training"):
        services.set_seat(make_staff(trained=False), status="available", device="+15550000001")


def test_a_callback_rings_the_agent_then_the_customer_who_hears_who_calls_and_that_it_is_recorded(
    hook, line, make_staff, carrier, django_capture_on_commit_callbacks
) -> None:
    """Proves DFS-10, DFS-14 and DFS-25: a voicemail's callback dials the agent's phone, then the customer,
    who is told who is calling and that the call is recorded; it is logged on the voicemail's case."""
    agent = make_staff()
    services.set_seat(agent, status="available", device="+15550000001")
    with at(TUESDAY_7PM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        hook("voicemail", CallSid="CA1", RecordingUrl=carrier.recording_url(), RecordingDuration="30")
    with at(TUESDAY_7PM + timedelta(hours=15)):
        with django_capture_on_commit_callbacks(execute=True):
            callback = services.answer_next(agent).callback
        assert callback is not None and callback.status == CallbackStatus.DIALING
        created = carrier.sent("Calls.json")
        assert created[0]["To"] == "+15550000001" and created[0]["From"] == SUPPORT_NUMBER
        assert created[0]["Url"].endswith(f"/hooks/voice/callback-agent/{callback.pk}")
        agent_leg = hook(f"callback-agent/{callback.pk}", CallSid="CA-agent")
        assert f'url="/hooks/voice/callback-greeting/{callback.pk}">+15551230001</Number>' in agent_leg
        greeting = hook(f"callback-greeting/{callback.pk}", CallSid="CA-customer")
        assert "returning your call. This call is recorded." in greeting
        hook(
            f"callback-end/{callback.pk}",
            CallSid="CA-agent",
            DialCallSid="CA-customer",
            DialCallStatus="completed",
            DialCallDuration="95",
        )
        agent_leg_over = hook("status", CallSid="CA-agent", CallStatus="completed", CallDuration="120")
    assert agent_leg_over.endswith("<Response />") and not VoiceWebhook.objects.exclude(problem="").exists()
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DONE
    returned = Call.objects.get(call_sid="CA-customer")
    assert returned.duration_seconds == 95 and returned.case == callback.case
    case = services.log_call(returned, staff=agent, summary="Called back, explained the deposit delay.")
    assert case == callback.case and case.method == Method.PHONE_VOICEMAIL


def test_prompts_exist_in_every_served_language() -> None:
    """Every prompt a caller can hear is written in en, es and ro."""
    from clearline.cases.language import SERVED_LANGUAGES
    from clearline.channels.voice.prompts import PROMPTS

    assert set(PROMPTS) == set(SERVED_LANGUAGES)
    assert all(PROMPTS[language].keys() == PROMPTS["en"].keys() for language in SERVED_LANGUAGES)


def test_phone_line_command_adds_and_lists_lines(db, capsys) -> None:
    """Proves DFS-04: an operator configures a support number with its hours, languages and queue limit."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from clearline.channels.voice.models import PhoneLine

    call_command("phone-line", "add", "+1 646 555 0199", "--languages", "en,es", "--queue-limit", "40")
    call_command("phone-line", "list")
    assert "+16465550199\t\tsupport hours\ten,es\tqueue 40\tactive" in capsys.readouterr().out
    assert PhoneLine.objects.get().languages == ["en", "es"]
    with pytest.raises(CommandError, match=r"E\.164"):
        call_command("phone-line", "add", "212-555")


def test_an_agent_can_promise_a_callback_on_a_case(line, make_staff, customer) -> None:
    """Proves DFS-08: an agent books a call back to the customer, due when promised, on the case."""
    from clearline.cases.services import Author, open_case
    from clearline.core.errors import DomainError

    agent = make_staff()
    case = open_case(
        by=Author.of_staff(agent),
        customer_email=customer.email,
        customer_phone="+15551230001",
        subject="Stuck withdrawal",
        body="My withdrawal is pending since yesterday.",
        topic="withdrawal_delayed",
        method="phone_live",
    )
    with at(TUESDAY_10AM):
        callback = services.request_agent_callback(case, staff=agent, within_minutes=30)
    assert callback.phone == "+15551230001" and callback.case == case and callback.line == line
    assert callback.reason == CallbackReason.AGENT and callback.due_at == TUESDAY_10AM + timedelta(minutes=30)
    with pytest.raises(DomainError, match=r"E\.164"):
        services.request_agent_callback(case, staff=agent, phone="555-1234")


def test_a_transcription_before_the_recording_becomes_the_cases_first_message_redacted(
    hook, line, carrier
) -> None:
    """Carrier callbacks may arrive out of order: the transcription waits on the call, without the secret
    the caller read out (CRY-03), and opens the voicemail's case as its words (DFS-10)."""
    with at(TUESDAY_7PM):
        hook("incoming", CallSid="CA1", From="+15551230001", To=SUPPORT_NUMBER)
        hook("transcription", CallSid="CA1", TranscriptionText=f"Locked out. Phrase {SEED_PHRASE}.")
        assert "abandon" not in Call.objects.get().transcript
        hook("voicemail", CallSid="CA1", RecordingUrl=carrier.recording_url(), RecordingDuration="15")
    case = Case.objects.get()
    opening = case.messages.order_by("pk").first()
    assert opening is not None and opening.body.startswith("Locked out.") and "abandon" not in opening.body
