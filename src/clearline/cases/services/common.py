"""Pieces every case service shares: who writes, timeline entries, locking, delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.utils import timezone

from clearline.accounts.models import Customer, Staff
from clearline.audit import services as audit
from clearline.core.cache import ProcessMemo
from clearline.core.errors import DomainError, NotFound
from clearline.core.jobs import enqueue_on_commit
from clearline.core.rows import update_by_key
from clearline.crypto.redaction import redact_secrets
from clearline.org.selectors import current_organisation

from .. import rules
from ..models import (
    AuthorType,
    Case,
    DeliveryStatus,
    Direction,
    Message,
    Purpose,
    Topic,
    Visibility,
)


@dataclass(frozen=True)
class Author:
    """Who writes to a case: a staff member, the customer, the assistant or the system."""

    type: AuthorType
    staff: Staff | None = None
    customer: Customer | None = None

    @classmethod
    def of_staff(cls, staff: Staff) -> Author:
        return cls(AuthorType.AGENT, staff=staff)

    @classmethod
    def of_customer(cls, customer: Customer) -> Author:
        return cls(AuthorType.CUSTOMER, customer=customer)

    @classmethod
    def web_visitor(cls) -> Author:
        """A customer not signed in (the web form): the case's customer is found or created from the email."""
        return cls(AuthorType.CUSTOMER)

    @classmethod
    def system(cls) -> Author:
        return cls(AuthorType.SYSTEM)

    def actor(self) -> audit.Actor:
        if self.staff is not None:
            return audit.Actor.of_staff(self.staff)
        if self.customer is not None:
            return audit.Actor("customer", str(self.customer.pk), self.customer.email)
        if self.type == AuthorType.CUSTOMER:
            return audit.Actor("customer", "", "not signed in")
        return audit.Actor.system(self.type)


TOPIC_CACHE_SECONDS = 30.0
_topics = ProcessMemo(TOPIC_CACHE_SECONDS)


def active_topic(key: str) -> Topic:
    """Every intake looks its topic up; an admin's change applies within ``TOPIC_CACHE_SECONDS``."""

    def load() -> Topic:
        topic = Topic.objects.filter(key=key, is_active=True).first()
        if topic is None:  # an unknown key is not remembered
            raise DomainError(f"Unknown topic {key!r}.", field="topic")
        return topic

    return _topics.get_or_set(key, load)


def redact(text: str) -> tuple[str, list[str]]:
    result = redact_secrets(text)
    return result.text, sorted(kind.value for kind in result.kinds)


def redact_subject(subject: str) -> tuple[str, list[str]]:
    """``redact`` cut to the subject's column: a marker is longer than the number it hides."""
    text, kinds = redact(subject)
    return text[: rules.MAX_SUBJECT_LENGTH], kinds


def build_message(
    case: Case,
    *,
    author: Author,
    direction: Direction,
    visibility: Visibility,
    purpose: Purpose,
    body: str,
    subject: str = "",
    redacted: list[str] | None = None,
    complaint_rules: tuple[str, ...] = (),
    channel: str | None = None,
    at: datetime,
) -> Message:
    """An unsaved timeline entry; public outbound entries are marked for delivery to the customer.

    ``channel`` is where the entry came from or goes to, by default the channel the case arrived by.
    """
    deliver = direction == Direction.OUTBOUND and visibility == Visibility.PUBLIC
    return Message(
        case=case,
        direction=direction,
        author_type=author.type,
        author_staff=author.staff,
        visibility=visibility,
        purpose=purpose,
        channel=channel or case.method,
        language=case.language,
        subject=subject,
        body=body,
        redacted_kinds=redacted or [],
        complaint_rules=list(complaint_rules),
        delivery_status=DeliveryStatus.PENDING if deliver else DeliveryStatus.NOT_APPLICABLE,
        created_at=at,
    )


def create_message(case: Case, **fields: Any) -> Message:
    message = build_message(case, **fields)
    message.save(force_insert=True)
    return message


def enqueue_delivery(message: Message) -> None:
    from .. import tasks  # tasks import services; import here to keep the module graph acyclic

    if message.delivery_status == DeliveryStatus.PENDING:
        enqueue_on_commit(tasks.deliver_message, message.pk)


def enqueue_routing(case: Case) -> None:
    """After commit, the new case goes to the next agent in turn, when the organisation routes (PRD-04)."""
    from .. import tasks

    organisation = current_organisation()
    if organisation is not None and organisation.assign_automatically:
        enqueue_on_commit(tasks.route_new_case, case.pk)


def locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("topic", "customer").filter(pk=case.pk).first()
    if locked is None:
        raise NotFound("No such case.")
    return locked


STALLED_DELIVERY_AFTER = timedelta(minutes=10)  # the delivery job's own retries (5 x 30 s) are over by then
GIVE_UP_DELIVERY_AFTER = timedelta(days=2)


def redeliver_stalled_messages(*, limit: int = 500) -> tuple[int, int]:
    """DFS-12: what still has to go out is read from the database, not trusted to the job queue. A message
    still pending ten minutes after it was written (its job lost when Redis restarted, or its retries spent
    while the mail system was down) is queued again; one still pending after two days is marked failed, so
    staff see it and reach the customer another way. Returns (queued again, given up)."""
    from .. import tasks

    now = timezone.now()
    pending = Message.objects.filter(delivery_status=DeliveryStatus.PENDING)
    given_up = pending.filter(created_at__lt=now - GIVE_UP_DELIVERY_AFTER).update(
        delivery_status=DeliveryStatus.FAILED,
        delivery_error=Left(Concat(Value("Not delivered within 2 days. "), F("delivery_error")), 500),
    )
    stalled = list(
        pending.filter(created_at__lt=now - STALLED_DELIVERY_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in stalled:
        tasks.deliver_message(message_id)
    return len(stalled), given_up


def mark_delivery(message_id: int, *, delivered: bool, error: str = "") -> None:
    """Record the outcome of handing a message to the mail system (called by the delivery task)."""
    status = DeliveryStatus.SENT if delivered else DeliveryStatus.FAILED
    update_by_key(  # a plain UPDATE: once per delivery of every channel
        Message,
        message_id,
        delivery_status=status,
        delivered_at=timezone.now() if delivered else None,
        delivery_error=error[:500],
    )
