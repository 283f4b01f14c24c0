"""Records are kept as the law asks (NYCRR-06, DFS-25): no case, message or frozen pack is deleted before its
retention period ends or while a legal hold covers it. The refusal happens on every delete path of the ORM
(``pre_delete``), is raised to the caller and logged."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.cases.models import Case, Message
from clearline.core.errors import DomainError

from .models import FrozenPack, LegalHold, RetentionRule

logger = logging.getLogger("clearline.retention")
MINIMUM_YEARS = 7
DEFAULT_YEARS = 7


class RetentionRefused(DomainError):
    status_code = 409


def _years_after(moment: datetime, years: int) -> date:
    day = timezone.localdate(moment)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _record(instance: Model) -> tuple[str, datetime, int | None] | None:
    """Record type, when it was created and the case it belongs to, for the kinds retention covers."""
    if isinstance(instance, Case):
        return "case", instance.received_at, instance.pk
    if isinstance(instance, Message):
        return "message", instance.created_at, instance.case_id
    if isinstance(instance, FrozenPack):
        return "frozen_pack", instance.signed_off_at, None
    return None


def kept_until(record_type: str, created: datetime) -> date:
    rule = RetentionRule.objects.filter(record_type=record_type).first()
    return _years_after(created, max(rule.years if rule else DEFAULT_YEARS, MINIMUM_YEARS))


def on_hold(case_id: int | None) -> bool:
    return (
        case_id is not None and LegalHold.objects.filter(case_id=case_id, released_at__isnull=True).exists()
    )


def refuse_early_deletion(sender: type[Model], instance: Model, **_: Any) -> None:
    """``pre_delete`` receiver: refuse (and log) the deletion of a record still under retention or hold."""
    found = _record(instance)
    if found is None:
        return
    record_type, created, case_id = found
    until = kept_until(record_type, created)
    held = on_hold(case_id)
    if timezone.localdate() < until or held:
        reason = "a legal hold covers it" if held else f"it is kept until {until.isoformat()}"
        logger.warning("retention: refused to delete %s %s: %s", record_type, instance.pk, reason)
        if transaction.get_autocommit():  # inside a transaction the refusal would roll the entry back
            with transaction.atomic():
                audit.record(
                    actor=audit.Actor.system("retention"),
                    action="retention.delete_refused",
                    stream="retention",
                    data={"record_type": record_type, "id": instance.pk, "reason": reason},
                )
        raise RetentionRefused(f"This {record_type.replace('_', ' ')} cannot be deleted: {reason}.")


def place_hold(case: Case, *, reason: str, by: Staff) -> LegalHold:
    require(by, Capability.REGISTER_MANAGE)
    if not reason.strip():
        raise DomainError("Give the reason for the hold.", field="reason")
    hold = LegalHold.objects.create(
        case=case, reason=reason.strip()[:300], placed_by=by, placed_at=timezone.now()
    )
    audit.record(
        actor=audit.Actor.of_staff(by),
        action="retention.hold_placed",
        target=case,
        data={"hold": hold.pk, "reason": hold.reason},
    )
    return hold


def release_hold(hold: LegalHold, *, by: Staff) -> LegalHold:
    require(by, Capability.REGISTER_MANAGE)
    hold.released_by, hold.released_at = by, timezone.now()
    hold.save(update_fields=["released_by", "released_at"])
    audit.record(
        actor=audit.Actor.of_staff(by),
        action="retention.hold_released",
        target=hold.case,
        data={"hold": hold.pk},
    )
    return hold


def set_rule(record_type: str, *, years: int, by: Staff) -> RetentionRule:
    require(by, Capability.REGISTER_MANAGE)
    if years < MINIMUM_YEARS:
        raise DomainError(f"Records are kept at least {MINIMUM_YEARS} years (NYCRR-06).", field="years")
    rule, _ = RetentionRule.objects.update_or_create(record_type=record_type, defaults={"years": years})
    audit.record(
        actor=audit.Actor.of_staff(by),
        action="retention.rule_set",
        stream="retention",
        data={"record_type": record_type, "years": years},
    )
    return rule
