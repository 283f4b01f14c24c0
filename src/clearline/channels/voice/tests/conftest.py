"""The fake carrier (``carrier.py``) for the phone tests, and webhooks signed exactly as the carrier signs
them (``X-Twilio-Signature`` over URL and fields)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from clearline.channels.voice.models import PhoneLine
from clearline.channels.voice.provider import reset_provider

from .carrier import ACCOUNT_SID, Carrier, running_carrier

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SUPPORT_NUMBER = "+12125550142"


@pytest.fixture
def carrier(settings) -> Iterator[Carrier]:
    with running_carrier() as carrier:
        settings.TWILIO_API_URL = carrier.url
        settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
        reset_provider()
        yield carrier
    reset_provider()


@pytest.fixture
def voice_settings(settings) -> None:
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID


@pytest.fixture
def line(db, organisation) -> PhoneLine:
    return PhoneLine.objects.create(number=SUPPORT_NUMBER, label="Support")


def signature(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(AUTH_TOKEN).compute_signature(url, params))


@pytest.fixture
def hook(voice_settings, django_capture_on_commit_callbacks) -> Callable[..., str]:
    """POST a signed webhook as the carrier does; returns the TwiML (asserting a 200). Jobs run on commit."""
    client = Client()

    def post(event: str, **params: str) -> str:
        path = f"/hooks/voice/{event}"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                path, params, HTTP_X_TWILIO_SIGNATURE=signature(f"http://testserver{path}", params)
            )
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/xml")
        return response.content.decode()

    return post
