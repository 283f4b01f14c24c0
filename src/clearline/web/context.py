"""What every public page shows: the firm's contact details and disclosures from its one record, and the
banner of active incidents and maintenance (DFS-22)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from clearline.notices.selectors import active_notices
from clearline.org.selectors import organisation_for_texts


def _banner() -> list[dict[str, str]]:
    language = get_language() or "en"
    return [{"kind": notice.kind, "title": notice.title(language)} for notice in active_notices()]


def public_pages(request: HttpRequest) -> dict[str, Any]:
    return {"org": SimpleLazyObject(organisation_for_texts), "banner": SimpleLazyObject(_banner)}
