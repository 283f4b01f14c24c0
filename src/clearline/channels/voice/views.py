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


def _answer(event: str, ident: str | None, params: dict[str, str]) -> tuple[str, str]:
    """(TwiML, problem). Domain refusals and flow problems become a safe answer with the reason; what the
    flow wrote is rolled back to the savepoint."""
    try:
        with transaction.atomic():
            if ident is None:
                return flows.PLAIN[event](params), ""
            return flows.WITH_ID[event](params, ident), ""
    except flows.FlowProblem as problem:
        return problem.answer, problem.reason
    except DomainError as error:
        return flows.safe_answer(), error.message
    except Exception as error:  # a caller must hear something whatever went wrong; the trace is logged
        logger.exception("voice webhook %s failed", event)
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
    answer = _stored_answer(key)  # a carrier retry: the same answer, no second action
    if answer is None:
        try:
            answer = _store_and_answer(key, full_event, event, target, params)
        except IntegrityError:  # the retry arrived while the first was being answered: its answer
            answer = _stored_answer(key) or flows.safe_answer()
    return HttpResponse(answer, content_type=TWIML)


def _stored_answer(key: str) -> str | None:
    with connection.cursor() as cursor:  # plain SQL: asked on every webhook (see services._count)
        cursor.execute("SELECT response FROM channels_voice_voicewebhook WHERE key = %s", [key])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _store_and_answer(
    key: str, full_event: str, event: str, target: str | None, params: dict[str, str]
) -> str:
    """One transaction: the flow acts (in a savepoint: a failing flow's writes are undone and the payload is
    kept with its problem) and the payload is stored with its answer. They commit together, so nothing is
    done for a payload that is not kept, and a retry (the same key) finds the answer (see ``webhook``)."""
    with transaction.atomic():
        answer, problem = _answer(event, target, params)
        if problem:
            logger.warning("voice webhook %s answered safely: %s", key, problem)
        now = timezone.now()
        VoiceWebhook.objects.create(
            key=key,
            event=full_event[:24],
            params=_stored(params),
            received_at=now,
            response=answer,
            processed_at=now,
            problem=problem[:300],
        )
    return answer
