"""Writing the audit trail. ``record`` is called by every service, inside the service's transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from clearline.core.rows import insert_rows

from . import chain
from .models import AuditEvent, AuditSeal

MAX_APPEND_ATTEMPTS = 5
# Events younger than this are left for the next seal: on PostgreSQL ids are handed out before commit, so a
# slow transaction can commit an id below one already sealed. A minute is far longer than any service runs.
SEAL_SETTLE_TIME = timedelta(seconds=60)


@dataclass(frozen=True)
class Actor:
    """Who did it, in a form the trail can keep after accounts change."""

    type: str  # staff, customer, system, api
    id: str = ""
    label: str = ""

    @classmethod
    def system(cls, label: str = "clearline") -> Actor:
        return cls("system", "", label)

    @classmethod
    def of_staff(cls, staff: StaffLike) -> Actor:
        return cls("staff", str(staff.pk), staff.email)


class StaffLike(Protocol):
    """A staff account as the trail records it (the audit app imports no account model)."""

    @property
    def pk(self) -> Any: ...

    email: str


def stream_for(target: Model | None, *, stream: str | None = None) -> str:
    if stream:
        return stream
    if target is None:
        return "system"
    key = getattr(target, "reference", None) or target.pk
    return f"{target._meta.model_name}:{key}"


def record(
    *,
    actor: Actor,
    action: str,
    target: Model | None = None,
    data: dict[str, Any] | None = None,
    stream: str | None = None,
    new_stream: bool = False,
) -> AuditEvent:
    """Append one event to the target's stream. Must run inside the caller's transaction.

    Case services hold the case row lock, so a case stream has one writer at a time; other streams are
    rare and retry on the (stream, seq) unique constraint. ``new_stream`` (a stream created in this
    transaction) skips the head lookup: nobody else can know the stream yet.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    stream_key = stream_for(target, stream=stream)
    for attempt in range(MAX_APPEND_ATTEMPTS):
        head = (
            None
            if new_stream
            else AuditEvent.objects.filter(stream=stream_key)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
        event = _event(actor, action, target, data, stream_key=stream_key, seq=seq, prev_hash=prev_hash)
        if new_stream:
            insert_rows([event])
            return event
        try:
            with transaction.atomic():
                event.save(force_insert=True)
        except IntegrityError:
            if attempt == MAX_APPEND_ATTEMPTS - 1:
                raise
            continue
        return event
    raise AssertionError("unreachable")


def opening_event(*, actor: Actor, action: str, target: Model, data: dict[str, Any]) -> AuditEvent:
    """The first event of the stream of ``target``, a row being created, unsaved: its caller writes it in
    the same statement or transaction as that row (``core.rows.insert_chain``), and nobody else can know the
    stream yet."""
    return _event(actor, action, target, data, stream_key=stream_for(target), seq=1, prev_hash=chain.GENESIS)


def _event(
    actor: Actor,
    action: str,
    target: Model | None,
    data: dict[str, Any] | None,
    *,
    stream_key: str,
    seq: int,
    prev_hash: str,
) -> AuditEvent:
    fields: dict[str, Any] = {
        "stream": stream_key,
        "seq": seq,
        "occurred_at": timezone.now(),
        "actor_type": actor.type,
        "actor_id": actor.id,
        "actor_label": actor.label,
        "action": action,
        "target_type": target._meta.model_name or "" if target is not None else "",
        "target_id": str(getattr(target, "reference", None) or target.pk) if target is not None else "",
        "data": json.loads(chain.canonical_json(data or {})),  # as stored and read back, for the hash
        "prev_hash": prev_hash,
    }
    return AuditEvent(**fields, hash=chain.event_hash(**fields))


@transaction.atomic
def seal_audit_events(*, max_events: int = 200_000) -> AuditSeal | None:
    """Checkpoint settled events in id order, chaining the seal to the previous one (one sealer at a time)."""
    last = AuditSeal.objects.select_for_update().order_by("-seq").first()
    from_id = last.through_event_id if last else 0
    settled = timezone.now() - SEAL_SETTLE_TIME
    rows = list(
        AuditEvent.objects.filter(id__gt=from_id, occurred_at__lt=settled)
        .order_by("id")
        .values_list("id", "hash")[:max_events]
    )
    if not rows:
        return None
    seal = AuditSeal(
        seq=(last.seq + 1) if last else 1,
        sealed_at=timezone.now(),
        from_event_id=from_id,
        through_event_id=rows[-1][0],
        event_count=len(rows),
        events_digest=chain.events_digest(h for _, h in rows),
        prev_hash=last.hash if last else chain.GENESIS,
    )
    seal.hash = chain.seal_hash(
        seq=seal.seq,
        sealed_at=seal.sealed_at,
        from_event_id=seal.from_event_id,
        through_event_id=seal.through_event_id,
        event_count=seal.event_count,
        events_digest=seal.events_digest,
        prev_hash=seal.prev_hash,
    )
    seal.save(force_insert=True)
    return seal
