from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from clearline.core.cache import ProcessMemo

from .models import Organisation

CACHE_SECONDS = 30.0
_organisation = ProcessMemo(CACHE_SECONDS)


def get_organisation() -> Organisation | None:
    return Organisation.objects.order_by("id").first()


def current_organisation() -> Organisation | None:
    """For texts rendered on every intake: an admin's edit shows within ``CACHE_SECONDS``."""
    return _organisation.get_or_set("organisation", get_organisation)


def clear_organisation_cache() -> None:
    _organisation.clear()


def organisation_for_texts() -> Organisation:
    """What customer-facing texts and pages show: the record, or a blank one named after the support domain
    before an admin has entered it."""
    return current_organisation() or Organisation(name=settings.SUPPORT_DOMAIN)


def local_period(first: date, after: date) -> tuple[datetime, datetime]:
    """[first, after) as instants: midnight to midnight in the firm's time zone (reports, samples, checks)."""
    zone = ZoneInfo(organisation_for_texts().timezone)
    midnight = datetime.min.time()
    return datetime.combine(first, midnight, tzinfo=zone), datetime.combine(after, midnight, tzinfo=zone)


def public_website(organisation: Organisation) -> str:
    """The help centre's address for links in messages (status page, one-time links), without a final /."""
    return (organisation.website or f"https://{settings.SUPPORT_DOMAIN}").rstrip("/")
