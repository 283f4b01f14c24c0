"""One function per voice webhook: read the carrier's fields, change state through ``services``, answer TwiML.

Every answer leaves the caller with something useful to hear; a problem (an unknown number, a missing
field, a recording on a foreign host) raises ``FlowProblem`` with the safe answer and the reason to log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from clearline.core.errors import DomainError
from clearline.core.rows import fetch_rows
from clearline.org.selectors import organisation_for_texts, public_website
from clearline.web.presenters import weekly_hours, zone_name

from . import services
from .models import Call, Callback, PhoneLine
from .prompts import MENU_DIGIT, SPEECH_LANGUAGE, prompt, spoken_reference
from .provider import is_carrier_url

HOOKS = "/hooks/voice"
WAIT_ANNOUNCE_SECONDS = 120  # DFS-09: the estimate is repeated every two minutes
SPEECH_ALLOWANCE_SECONDS = 20  # what the estimate and the offer take to say
MENU_TIMEOUT_SECONDS = 5
RING_AGENT_SECONDS = 20
VOICEMAIL_MAX_SECONDS = 300

Params = Mapping[str, str]
CALL_BY_SID = "SELECT * FROM channels_voice_call WHERE call_sid = %s"


@dataclass
class FlowProblem(Exception):
    reason: str
    answer: str


def _say(response: VoiceResponse | Gather, language: str, key: str, **values: object) -> None:
    response.say(prompt(language, key, **values), language=SPEECH_LANGUAGE.get(language, "en-US"))


def _contact() -> dict[str, str]:
    organisation = organisation_for_texts()
    return {
        "org": organisation.name,
        "email": organisation.support_email or f"support at {organisation.website or 'our website'}",
        "website": public_website(organisation).removeprefix("https://"),
    }


def safe_answer(language: str = "en", key: str = "problem") -> str:
    response = VoiceResponse()
    _say(response, language, key, **_contact())
    _say(response, language, "goodbye")
    response.hangup()
    return str(response)


def _find_call(params: Params) -> Call | None:
    # plain SQL skips the ORM's compiler, most of the cost of this lookup made by nearly every webhook
    found = fetch_rows(Call, CALL_BY_SID, [params.get("CallSid", "")])
    call = found[0] if found else None
    if call is None or call.line_id is None:
        return None
    call.line = services.line_by_id(call.line_id)
    return call


def _call(params: Params) -> Call:
    call = _find_call(params)
    if call is None:
        raise FlowProblem("no call with this CallSid", safe_answer())
    return call


def _hours_text(line: PhoneLine, language: str) -> str:
    found = services.line_hours(line)
    if found is None:
        return "-"
    calendar, _hours = found
    lines = "; ".join(f"{row.days} {row.periods}" for row in weekly_hours(calendar, language))
    return f"{lines}, {zone_name(calendar.timezone, language)}"


def _voicemail(response: VoiceResponse, call: Call, language: str) -> None:
    """The voicemail prompt and recording; the call is marked as leaving a voicemail."""
    services.offer_voicemail(call)
    _say(response, language, "voicemail")
    response.record(
        action=f"{HOOKS}/voicemail",
        max_length=VOICEMAIL_MAX_SECONDS,
        finish_on_key="#",
        play_beep=True,
        transcribe=True,
        transcribe_callback=f"{HOOKS}/transcription",
    )
    _say(response, language, "voicemail_empty", **_contact())
    response.hangup()


def _enqueue(response: VoiceResponse, call: Call) -> None:
    response.enqueue(
        f"line-{call.line_id}", wait_url=f"{HOOKS}/wait", action=f"{HOOKS}/queue-exit", method="POST"
    )


def incoming(params: Params) -> str:
    """A call arrives: hours, overflow and the language menu (DFS-08, DFS-10)."""
    number, call_sid = params.get("To", ""), params.get("CallSid", "")
    line = services.active_line(number)
    if line is None or not call_sid:
        raise FlowProblem(
            f"no active support line {number!r}" if call_sid else "no CallSid",
            safe_answer(key="unknown_line"),
        )
    now = timezone.now()
    call = services.start_call(call_sid=call_sid, line=line, caller=params.get("From", ""), at=now)
    first = line.languages[0]
    response = VoiceResponse()
    _say(response, first, "welcome", **_contact())
    if line.records_calls:
        _say(response, first, "recorded")
    if not services.is_open(line, now):
        _say(response, first, "closed", hours=_hours_text(line, first))
        _voicemail(response, call, first)
    elif services.queue_length(line) >= line.queue_limit:
        _say(response, first, "full")
        _voicemail(response, call, first)
    elif len(line.languages) == 1:
        services.join_queue(call, language=first, at=now)
        _say(response, first, "queued")
        _enqueue(response, call)
    else:
        menu = Gather(num_digits=1, action=f"{HOOKS}/language", timeout=MENU_TIMEOUT_SECONDS)
        for language in line.languages:
            _say(menu, language, "menu")
        response.append(menu)
        response.redirect(f"{HOOKS}/language")  # no key pressed: the first language
    return str(response)


def language(params: Params) -> str:
    """The caller chose a language (or pressed nothing): into the queue for a person (DFS-08)."""
    call = _call(params)
    assert call.line is not None
    chosen = {digit: code for code, digit in MENU_DIGIT.items() if code in call.line.languages}
    spoken = chosen.get(params.get("Digits", ""), call.line.languages[0])
    services.join_queue(call, language=spoken, at=timezone.now())
    response = VoiceResponse()
    _say(response, spoken, "queued")
    _enqueue(response, call)
    return str(response)


def wait(params: Params) -> str:
    """Hold: the estimated wait at once on joining and every two minutes after, with the callback offer
    (DFS-09). The carrier fetches this again each time it has been played."""
    call = _call(params)
    estimate = services.estimate_wait(call, at=timezone.now())
    response = VoiceResponse()
    if estimate.seconds:
        _say(response, call.language, "wait", minutes=estimate.minutes, position=estimate.position)
    else:
        _say(response, call.language, "wait_short")
    if call.caller:
        offer = Gather(num_digits=1, action=f"{HOOKS}/callback-offer", timeout=1)
        _say(offer, call.language, "callback_offer")
        offer.pause(length=WAIT_ANNOUNCE_SECONDS - SPEECH_ALLOWANCE_SECONDS)
        response.append(offer)
    else:
        response.pause(length=WAIT_ANNOUNCE_SECONDS - SPEECH_ALLOWANCE_SECONDS)
    return str(response)


def callback_offer(params: Params) -> str:
    """Pressing 1 while on hold: a callback that keeps the caller's place; other keys: keep waiting."""
    call = _call(params)
    response = VoiceResponse()
    if params.get("Digits") != "1":
        return str(response)
    services.request_callback(call, at=timezone.now())
    _say(response, call.language, "callback_confirmed", phone=", ".join(call.caller.removeprefix("+")))
    response.leave()
    return str(response)


def queue_exit(params: Params) -> str:
    """The caller left the queue: bridged to an agent, left for a callback, hung up, or a carrier error
    (then voicemail, so no caller is dropped)."""
    call = _call(params)
    result = params.get("QueueResult", "")
    response = VoiceResponse()
    if result == "hangup":
        services.call_ended(call, at=timezone.now())
    elif result in ("error", "system-error"):
        _voicemail(response, call, call.language)
    elif result == "leave":
        _say(response, call.language, "goodbye")
        response.hangup()
    elif result != "redirected":
        response.hangup()
    return str(response)


def connect(params: Params, call_id: str) -> str:
    """Instructions for a waiting caller taken by an agent: ring the agent's device, recorded (DFS-25)."""
    call = Call.objects.select_related("line", "agent__seat").filter(pk=int(call_id)).first()
    if call is None or call.line is None or call.agent is None:
        raise FlowProblem(f"no call {call_id} ringing an agent", safe_answer())
    response = VoiceResponse()
    _say(response, call.language, "connecting")
    dial = Dial(
        caller_id=call.line.number,
        timeout=RING_AGENT_SECONDS,
        action=f"{HOOKS}/agent-end",
        record="record-from-answer-dual" if call.line.records_calls else None,
        recording_status_callback=f"{HOOKS}/recording" if call.line.records_calls else None,
    )
    _ring(dial, call.agent.seat.device, url=f"{HOOKS}/agent-answered/{call.pk}")
    response.append(dial)
    return str(response)


def agent_answered(params: Params, call_id: str) -> str:
    """Run on the agent's leg when they pick up, before the caller is bridged."""
    call = Call.objects.filter(pk=int(call_id)).first()
    if call is None:
        raise FlowProblem(f"no call {call_id}", str(VoiceResponse()))
    services.agent_answered(call, at=timezone.now())
    return str(VoiceResponse())


def _ring(dial: Dial, device: str, **options: object) -> None:
    if device.startswith("sip:"):
        dial.sip(device, **options)
    else:
        dial.number(device, **options)


def agent_end(params: Params) -> str:
    """The agent's leg ended: after a conversation, goodbye; unanswered, back to the queue, same place."""
    call = _call(params)
    answered = params.get("DialCallStatus") == "completed"
    seconds = _int(params.get("DialCallDuration"))
    services.agent_leg_ended(call, answered=answered, seconds=seconds, at=timezone.now())
    response = VoiceResponse()
    if answered:
        response.hangup()
    else:
        _say(response, call.language, "agent_missed")
        _enqueue(response, call)
    return str(response)


def voicemail(params: Params) -> str:
    """The recording is done: a case with a reference read back twice and sent by SMS (DFS-10)."""
    call = _call(params)
    url, seconds = params.get("RecordingUrl", ""), _int(params.get("RecordingDuration"))
    response = VoiceResponse()
    if not url or seconds <= 0:
        _say(response, call.language, "voicemail_empty", **_contact())
        response.hangup()
        return str(response)
    if not is_carrier_url(url):
        raise FlowProblem(f"recording URL on a foreign host: {url[:100]}", safe_answer(call.language))
    try:
        case = services.voicemail_case(
            call,
            recording_url=url,
            recording_sid=params.get("RecordingSid", ""),
            seconds=seconds,
            at=timezone.now(),
        )
    except DomainError as error:
        raise FlowProblem(error.message, safe_answer(call.language)) from error
    reference = spoken_reference(case.reference)
    _say(response, call.language, "voicemail_saved", reference=reference)
    _say(response, call.language, "voicemail_sms")
    _say(response, call.language, "goodbye")
    response.hangup()
    return str(response)


def transcription(params: Params) -> str:
    call = _call(params)
    if params.get("TranscriptionStatus", "completed") == "completed":
        services.attach_transcription(call, text=params.get("TranscriptionText", ""), at=timezone.now())
    return str(VoiceResponse())


def recording(params: Params) -> str:
    """A live call's recording is ready: kept with the call and fetched into storage (DFS-25)."""
    call = _call(params)
    url = params.get("RecordingUrl", "")
    if not is_carrier_url(url):
        raise FlowProblem(f"recording URL on a foreign host: {url[:100]}", str(VoiceResponse()))
    services.keep_recording(
        call, url=url, sid=params.get("RecordingSid", ""), seconds=_int(params.get("RecordingDuration"))
    )
    return str(VoiceResponse())


def status(params: Params) -> str:
    """The call is over (completed, busy, no-answer, failed or canceled). The legs Clearline places to an
    agent's device report here too and are not calls of their own: nothing to record for them."""
    ended = params.get("CallStatus") in ("completed", "busy", "no-answer", "failed", "canceled")
    call = _find_call(params) if ended else None
    if call is not None:
        services.call_ended(call, at=timezone.now(), duration=_int(params.get("CallDuration")) or None)
    return str(VoiceResponse())


def _callback_row(callback_id: str) -> Callback:
    callback = Callback.objects.select_related("line", "agent__seat").filter(pk=int(callback_id)).first()
    if callback is None or callback.line is None or callback.agent is None:
        raise FlowProblem(f"no callback {callback_id} being dialled", safe_answer())
    return callback


def callback_agent(params: Params, callback_id: str) -> str:
    """The agent answered their device for a callback: the customer's number is dialled next."""
    callback = _callback_row(callback_id)
    assert callback.line is not None
    response = VoiceResponse()
    _say(response, "en", "callback_agent")
    if callback.verify_identity:
        response.say("Verify the customer's identity before discussing the account.", language="en-US")
    dial = Dial(
        caller_id=callback.line.number,
        action=f"{HOOKS}/callback-end/{callback.pk}",
        record="record-from-answer-dual" if callback.line.records_calls else None,
    )
    dial.number(callback.phone, url=f"{HOOKS}/callback-greeting/{callback.pk}")
    response.append(dial)
    return str(response)


def callback_greeting(params: Params, callback_id: str) -> str:
    """What the customer hears on answering a callback: who is calling and that it is recorded (DFS-14)."""
    callback = _callback_row(callback_id)
    response = VoiceResponse()
    _say(response, callback.language, "callback_greeting", **_contact())
    return str(response)


def callback_end(params: Params, callback_id: str) -> str:
    callback = _callback_row(callback_id)
    services.callback_result(
        callback,
        reached=params.get("DialCallStatus") == "completed",
        call_sid=params.get("DialCallSid") or params.get("CallSid", ""),
        seconds=_int(params.get("DialCallDuration")),
        at=timezone.now(),
    )
    response = VoiceResponse()
    response.hangup()
    return str(response)


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


PLAIN: dict[str, Callable[[Params], str]] = {
    "incoming": incoming,
    "language": language,
    "wait": wait,
    "callback-offer": callback_offer,
    "queue-exit": queue_exit,
    "agent-end": agent_end,
    "voicemail": voicemail,
    "transcription": transcription,
    "recording": recording,
    "status": status,
}
WITH_ID: dict[str, Callable[[Params, str], str]] = {
    "connect": connect,
    "agent-answered": agent_answered,
    "callback-agent": callback_agent,
    "callback-greeting": callback_greeting,
    "callback-end": callback_end,
}
