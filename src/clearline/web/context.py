"""What every public page shows: the firm's contact details and disclosures from its one record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from clearline.org.models import Organisation
from clearline.org.selectors import current_organisation


def _organisation() -> Organisation:
    return current_organisation() or Organisation(name=settings.SUPPORT_DOMAIN)


def public_pages(request: HttpRequest) -> dict[str, Any]:
    return {"org": SimpleLazyObject(_organisation)}
