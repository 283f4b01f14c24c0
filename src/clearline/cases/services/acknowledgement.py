"""Customer-facing automatic texts (acknowledgement, status update) with their disclosures and estimates.

One context for every template: the case, its estimates formatted in the case's language and the firm's time
zone, the status link, the firm's official channels (CRY-04) and the regulator's contact details (NYCRR-03),
all read from the organisation row, the single source of truth the help centre also uses.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from django.conf import settings

from clearline.org.selectors import organisation_for_texts, public_website

from ..models import Case, CaseKind, Direction, Message, Purpose, Visibility
from ..templates_text import RenderedText, render_message_template
from .common import Author, build_message

_DATE_TIME = {
    "en": "EEEE, MMMM d, y 'at' h:mm a zzz",
    "es": "EEEE d 'de' MMMM 'de' y, HH:mm zzz",
    "ro": "EEEE, d MMMM y, HH:mm zzz",
}
_DATE = {"en": "EEEE, MMMM d, y", "es": "EEEE d 'de' MMMM 'de' y", "ro": "EEEE, d MMMM y"}


def format_moment(at: datetime | None, *, language: str, zone: str, with_time: bool = True) -> str:
    if at is None:
        return ""
    # The patterns stop at the minute, so every moment in one minute reads the same: formatted once.
    return _formatted_minute(at.replace(second=0, microsecond=0), language, zone, with_time)


@lru_cache(maxsize=512)
def _formatted_minute(at: datetime, language: str, zone: str, with_time: bool) -> str:
    """Babel's formatting, a twentieth of an intake's CPU for the two estimates of each acknowledgement."""
    patterns = _DATE_TIME if with_time else _DATE
    pattern = patterns.get(language, patterns["en"])
    return format_datetime(
        at, pattern, tzinfo=ZoneInfo(zone), locale=language if language in patterns else "en"
    )


def case_context(case: Case) -> dict[str, Any]:
    organisation = organisation_for_texts()
    zone = organisation.timezone
    website = public_website(organisation)
    return {
        "reference": case.reference,
        "subject": case.subject,
        "kind": case.kind,
        "is_complaint": case.kind == CaseKind.COMPLAINT,
        "topic": case.topic.label(case.language),
        "estimated_response": format_moment(case.first_response_due_at, language=case.language, zone=zone),
        "estimated_resolution": format_moment(
            case.resolution_due_at, language=case.language, zone=zone, with_time=False
        ),
        "waiting_on_customer": case.resolution_paused_at is not None,
        "answered": case.first_human_response_at is not None,
        "track_url": f"{website}/track?reference={quote(case.reference)}",
        "org": organisation,
        "support_email": organisation.support_email or settings.DEFAULT_FROM_EMAIL,
        "website": website,
    }


def render_for_case(key: str, case: Case, *, extra: dict[str, Any] | None = None) -> RenderedText:
    return render_message_template(
        key, language=case.language, context={**case_context(case), **(extra or {})}
    )


def build_automatic_message(
    case: Case, *, template: str, purpose: Purpose, at: datetime, extra: dict[str, Any] | None = None
) -> Message:
    """An unsaved public system message from a template (acknowledgement DFS-12, status update DFS-18)."""
    rendered = render_for_case(template, case, extra=extra)
    return build_message(
        case,
        author=Author.system(),
        direction=Direction.OUTBOUND,
        visibility=Visibility.PUBLIC,
        purpose=purpose,
        subject=rendered.subject,
        body=rendered.body,
        at=at,
    )
