"""The carrier behind the phone channel, as one small interface (Twilio's REST API and signed webhooks).

Another carrier is added by implementing ``VoiceProvider``. Calls to it are network I/O: they run in jobs,
never inside a transaction and never while a webhook is waiting for its answer.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)  # it logs every request's headers at INFO
TIMEOUT_SECONDS = 10.0


class VoiceProvider(Protocol):
    def redirect_call(self, call_sid: str, *, url: str) -> None:
        """Take a live call (a caller waiting in the queue) to new instructions at ``url``."""

    def place_call(self, *, to: str, caller_id: str, url: str, status_url: str) -> str:
        """Dial ``to``; when answered, the carrier fetches instructions from ``url``. Returns the call id."""

    def send_sms(self, *, to: str, sender: str, body: str) -> str:
        """Returns the carrier's message id."""

    def fetch_recording(self, url: str) -> bytes:
        """The recording's audio (MP3) from the carrier's own host."""


class ProviderError(OSError):
    """The carrier refused or could not be reached; the job that called it retries."""


class _BaseUrlHttpClient(TwilioHttpClient):  # type: ignore[misc]  # twilio ships no type information
    """Sends the twilio library's requests to ``TWILIO_API_URL`` (a Twilio-compatible carrier, or the test
    carrier), with a timeout."""

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = settings.TWILIO_API_URL + url[len(TWILIO_API) :]
        kwargs["timeout"] = kwargs.get("timeout") or TIMEOUT_SECONDS
        return super().request(method, url, **kwargs)


class TwilioProvider:
    def __init__(self) -> None:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ProviderError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed to reach the carrier.")
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=_BaseUrlHttpClient()
        )

    def redirect_call(self, call_sid: str, *, url: str) -> None:
        self._run(lambda: self.client.calls(call_sid).update(url=url, method="POST"))

    def place_call(self, *, to: str, caller_id: str, url: str, status_url: str) -> str:
        call = self._run(
            lambda: self.client.calls.create(
                to=to, from_=caller_id, url=url, status_callback=status_url, status_callback_method="POST"
            )
        )
        return str(call.sid)

    def send_sms(self, *, to: str, sender: str, body: str) -> str:
        message = self._run(lambda: self.client.messages.create(to=to, from_=sender, body=body))
        return str(message.sid)

    def fetch_recording(self, url: str) -> bytes:
        if not is_carrier_url(url):
            raise ProviderError(f"Recording URL is not on the carrier's host: {url[:100]}")
        response = self.client.http_client.request(
            "GET", url + ".mp3", auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        )
        if response.status_code != 200:
            raise ProviderError(f"Recording download answered {response.status_code}.")
        content: bytes = response.content if isinstance(response.content, bytes) else response.text.encode()
        return content

    @staticmethod
    def _run(action: Any) -> Any:
        from twilio.base.exceptions import TwilioException

        try:
            return action()
        except (TwilioException, OSError) as error:
            raise ProviderError(str(error)[:300]) from error


def is_carrier_url(url: str) -> bool:
    """Recordings are fetched only from the carrier's API host over HTTPS (or the configured test carrier);
    a webhook naming another host is refused, so a forged payload cannot make us fetch arbitrary URLs."""
    allowed = urlsplit(settings.TWILIO_API_URL)
    given = urlsplit(url)
    return (given.scheme, given.netloc) == (allowed.scheme, allowed.netloc) and given.path.startswith(
        "/2010-04-01/Accounts/"
    )


def signature_is_valid(url: str, params: dict[str, str], signature: str) -> bool:
    """``X-Twilio-Signature`` checked with ``TWILIO_AUTH_TOKEN``; unset, every request is refused."""
    if not settings.TWILIO_AUTH_TOKEN or not signature:
        return False
    return bool(RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature))


_provider: VoiceProvider | None = None


def get_provider() -> VoiceProvider:
    global _provider  # noqa: PLW0603 - one client (and its connection pool) per process
    if _provider is None:
        _provider = TwilioProvider()
    return _provider


def reset_provider() -> None:
    global _provider  # noqa: PLW0603
    _provider = None
