"""Start-up refusal: Clearline does not run with a sending address off the support domain."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
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
