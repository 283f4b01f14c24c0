"""What every public page shows: the firm's contact details and disclosures from its one record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from clearline.org.selectors import organisation_for_texts


def public_pages(request: HttpRequest) -> dict[str, Any]:
    return {"org": SimpleLazyObject(organisation_for_texts)}
