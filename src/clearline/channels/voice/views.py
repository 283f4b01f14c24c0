"""The voice webhooks over HTTP: signature check, each payload stored with its answer, idempotent answers.

A carrier retry (the same event with the same fields) gets the stored answer and changes nothing. Any
problem is answered with TwiML the caller can use and a logged reason, never an error page.
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clearline.core.errors import DomainError
from clearline.core.rows import insert_rows
from clearline.crypto.redaction import redact_secrets

from . import flows
from .models import VoiceWebhook
from .provider import signature_is_valid

logger = logging.getLogger(__name__)
TWIML = "text/xml; charset=utf-8"


FREE_TEXT_FIELDS = ("TranscriptionText", "SpeechResult", "Body")  # what a caller said or typed


def _stored(params: dict[str, str]) -> dict[str, str]:
    """The payload as kept: what the caller said passes secret redaction first (CRY-03)."""
    return {
        key: redact_secrets(value).text if key in FREE_TEXT_FIELDS else value for key, value in params.items()
    }


def _key(event: str, params: dict[str, str]) -> str:
    digest = hashlib.sha256(json.dumps([event, sorted(params.items())]).encode()).hexdigest()[:40]
    return f"{event}:{params.get('CallSid', '')[:64]}:{digest}"


def _problem_answer(key: str, error: Exception) -> tuple[str, str]:
    """(TwiML, reason) for a flow that failed: the caller always hears something useful."""
    if isinstance(error, flows.FlowProblem):
        return error.answer, error.reason
    if isinstance(error, DomainError):
        return flows.safe_answer(), error.message
    logger.error("voice webhook %s failed", key, exc_info=error)  # the trace, for what nobody foresaw
    return flows.safe_answer(), f"internal error: {error.__class__.__name__}"


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, event: str, ident: int | None = None) -> HttpResponse:
    if (ident is None and event not in flows.PLAIN) or (ident is not None and event not in flows.WITH_ID):
        return HttpResponse(flows.safe_answer(), content_type=TWIML, status=404)
    params = {key: request.POST[key] for key in request.POST}
    if not signature_is_valid(
        request.build_absolute_uri(), params, request.headers.get("X-Twilio-Signature", "")
    ):
        logger.warning("voice webhook %s refused: bad or missing X-Twilio-Signature", event)
        return HttpResponse("Invalid signature.", status=403, content_type="text/plain")
    target = None if ident is None else str(ident)
    full_event = event if target is None else f"{event}/{target}"
    key = _key(full_event, params)
    return HttpResponse(_store_and_answer(key, full_event, event, target, params), content_type=TWIML)


def _stored_answer(key: str) -> str | None:
    with connection.cursor() as cursor:  # plain SQL, as the other per-webhook lookups (see services._count)
        cursor.execute("SELECT response FROM channels_voice_voicewebhook WHERE key = %s", [key])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _store_and_answer(
    key: str, full_event: str, event: str, target: str | None, params: dict[str, str]
) -> str:
    """One transaction: the flow acts and the payload is stored with its answer. They commit together, so
    nothing is done for a payload that is not kept, and a carrier retry (the same key, unique) rolls back
    whatever it did and gets the first answer. A flow that fails is rolled back and its payload stored with
    the problem and the safe answer given."""
    try:
        with transaction.atomic():
            answer = flows.PLAIN[event](params) if target is None else flows.WITH_ID[event](params, target)
            _store_webhook(key, full_event, params, answer=answer, problem="")
        return answer
    except Exception as error:  # every failure is answered and kept, see _problem_answer
        stored = _stored_answer(key) if isinstance(error, IntegrityError) else None
        if stored is not None:  # a retry, or the same event posted twice at once
            return stored
        answer, problem = _problem_answer(key, error)
    logger.warning("voice webhook %s answered safely: %s", key, problem)
    try:
        with transaction.atomic():
            _store_webhook(key, full_event, params, answer=answer, problem=problem)
    except IntegrityError:  # the first of two identical posts has just stored its answer
        return _stored_answer(key) or answer
    return answer


def _store_webhook(key: str, full_event: str, params: dict[str, str], *, answer: str, problem: str) -> None:
    """The payload row, one per webhook, with a plain INSERT (``core.rows``)."""
    now = timezone.now()
    insert_rows(
        [
            VoiceWebhook(
                key=key,
                event=full_event[:24],
                params=_stored(params),
                received_at=now,
                response=answer,
                processed_at=now,
                problem=problem[:300],
            )
        ]
    )
