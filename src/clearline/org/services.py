"""Changes to the organisation's settings that are business policy, audited."""

from __future__ import annotations

from django.db import transaction

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.core.errors import DomainError

from .models import Organisation
from .selectors import clear_organisation_cache


def set_automatic_assignment(*, enabled: bool, by: Staff) -> Organisation:
    """Turn round-robin assignment of new cases on or off (PRD-04)."""
    require(by, Capability.STAFF_MANAGE)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().order_by("id").first()
        if organisation is None:
            raise DomainError("Set up the organisation first (clearline demo, or the admin).")
        organisation.assign_automatically = enabled
        organisation.save(update_fields=["assign_automatically", "updated_at"])
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="organisation.automatic_assignment",
            target=organisation,
            data={"enabled": enabled},
        )
    clear_organisation_cache()
    return organisation
