"""Background jobs of the phone channel: everything that talks to the carrier."""

from __future__ import annotations

import logging

from huey import RetryTask
from huey.contrib.djhuey import db_task

from clearline.org.selectors import organisation_for_texts, public_website

from . import services
from .models import Call, Callback
from .provider import ProviderError, get_provider

logger = logging.getLogger(__name__)


def hook_url(path: str) -> str:
    """Absolute webhook address for the carrier, on the help centre's public address."""
    return f"{public_website(organisation_for_texts())}/hooks/voice/{path}"


@db_task(retries=3, retry_delay=2)
def connect_caller(call_id: int) -> None:
    """Take the caller out of the hold queue to the instructions that ring the agent."""
    call = Call.objects.get(pk=call_id)
    try:
        get_provider().redirect_call(call.call_sid, url=hook_url(f"connect/{call.pk}"))
    except ProviderError as error:
        logger.warning("could not connect call %s: %s", call.call_sid, error)
        raise RetryTask() from error


@db_task(retries=3, retry_delay=2)
def dial_callback(callback_id: int) -> None:
    """Ring the agent's device first; when they answer, the customer is dialled (``flows.callback_agent``)."""
    callback = Callback.objects.select_related("line", "agent__seat").get(pk=callback_id)
    assert callback.line is not None and callback.agent is not None
    try:
        get_provider().place_call(
            to=callback.agent.seat.device,
            caller_id=callback.line.number,
            url=hook_url(f"callback-agent/{callback.pk}"),
            status_url=hook_url("status"),
        )
    except ProviderError as error:
        logger.warning("could not dial callback %s: %s", callback_id, error)
        raise RetryTask() from error


@db_task(retries=5, retry_delay=30)
def fetch_recording(call_id: int) -> None:
    call = Call.objects.get(pk=call_id)
    if call.recording or not call.recording_url:
        return
    try:
        audio = get_provider().fetch_recording(call.recording_url)
    except ProviderError as error:
        logger.warning("recording of %s not fetched: %s", call.call_sid, error)
        raise RetryTask() from error
    services.store_recording(call_id, audio)
