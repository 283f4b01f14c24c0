"""Start-up checks: Clearline refuses to run with a sending address off the support domain, and warns when the
mail it sends would go out unsigned."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def check_sending_address(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Run by every management command (``serve``, ``worker``...) before it starts."""
    from .outbound import sending_address

    try:
        sending_address()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="clearline.E001", hint="Set the organisation's support email.")]
    except DatabaseError:  # before the first migrate: the organisation table does not exist yet
        return []
    return []


@register()  # here, not in apps.py: registered when ``ready()`` imports this module for the check above
def check_dkim_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A warning, never an error: without an active DKIM key for the support domain, mail is sent unsigned
    (receivers may file it as spam or accept a forgery of it), but it is still sent."""
    from .models import DkimKey

    domain = settings.SUPPORT_DOMAIN
    try:
        # Not the outbound memo: a check must not keep "no key" for the process's first minute of sending.
        if DkimKey.objects.filter(domain=domain, is_active=True).exists():
            return []
    except DatabaseError:  # before the first migrate: the key table does not exist yet
        return []
    return [
        Warning(
            f"No active DKIM key for {domain}: outbound mail is sent unsigned.",
            id="clearline.W001",
            hint=f"Run `clearline dkim-key {domain}` and publish the TXT record it prints.",
        )
    ]
