"""Case status for customers without an account (DFS-19, PRD-03).

A visitor gives a reference and an email address; when both belong to one case, a one-time link goes to
that address. The answer, the stored row and the work done are the same whether anything matched, so the
lookup reveals nothing; the link is single-use and expires; the page it opens shows public entries only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clearline.core.jobs import enqueue_on_commit
from clearline.org.selectors import organisation_for_texts, public_website

from ..models import TrackingRequest
from ..selectors import case_of_customer

LINK_LIFETIME = timedelta(hours=24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_tracking_link(reference: str, email: str) -> None:
    """Send a one-time status link if ``reference`` and ``email`` match a case; say nothing either way."""
    from .. import tasks  # tasks import services

    now = timezone.now()
    normalised = reference.strip().upper()[:20]
    case = case_of_customer(normalised, email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        TrackingRequest.objects.create(
            reference_tried=normalised,
            case=case,
            token_hash=_hash(token) if case else None,
            requested_at=now,
            expires_at=now + LINK_LIFETIME,
        )
        if case is not None:
            enqueue_on_commit(
                tasks.send_tracking_link, case.pk, f"{public_website(organisation_for_texts())}/track/{token}"
            )


def redeem_tracking_link(token: str) -> int | None:
    """The id of the case a link opens, once: a used, expired or unknown link opens nothing."""
    now = timezone.now()
    with transaction.atomic():
        found = (
            TrackingRequest.objects.select_for_update()
            .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if found is None or found.case_id is None:
            return None
        found.used_at = now
        found.save(update_fields=["used_at"])
    return found.case_id
