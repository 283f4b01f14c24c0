"""Working a case after intake: messages, assignment, classification, resolution, amendments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Role, Staff
from clearline.accounts.permissions import Capability, require
from clearline.accounts.selectors import has_current_training
from clearline.audit import services as audit
from clearline.core.errors import Conflict, DomainError

from .. import rules
from ..complaint_detection import detect_dissatisfaction
from ..models import (
    AuthorType,
    Case,
    CaseKind,
    CaseStatus,
    ClassificationChange,
    Direction,
    Message,
    Outcome,
    Purpose,
    Resolution,
    TimestampAmendment,
    Topic,
    Visibility,
)
from ..signals import case_resolved
from .acknowledgement import build_automatic_message
from .clocks import CLOCK_FIELDS, refresh_clocks, restart_resolution_clock
from .common import (
    Author,
    active_topic,
    create_message,
    enqueue_delivery,
    locked,
    redact,
    redact_subject,
)

AMENDABLE_TIMESTAMPS = frozenset({"received_at", "acknowledged_at", "resolved_at"})


def add_message(
    case: Case,
    *,
    by: Author,
    body: str,
    visibility: Visibility = Visibility.PUBLIC,
    waiting_on_customer: bool = False,
    channel: str | None = None,
    subject: str = "",
    seen_up_to: int | None = None,
) -> Message:
    """A customer message, an agent reply or an internal note. Redacted before it is stored (CRY-03).

    ``seen_up_to`` (PRD-04, collision warning): the newest timeline entry the writer had in front of them;
    if someone else has written on the case since, nothing is sent and ``Conflict`` says who.

    ``channel`` and ``subject``: a customer's email about a case that began on another channel is
    recorded as email, with its subject.
    """
    if by.staff is not None:
        require(
            by.staff, Capability.CASE_NOTE if visibility == Visibility.INTERNAL else Capability.CASE_REPLY
        )
    if by.type == AuthorType.CUSTOMER and visibility == Visibility.INTERNAL:
        raise DomainError("Customers cannot write internal notes.", field="visibility")
    text, redactions = redact(rules.ensure_text(body, field="body", max_length=rules.MAX_BODY_LENGTH))
    subject_text, subject_redactions = redact_subject(subject[: rules.MAX_SUBJECT_LENGTH])
    redactions = sorted(set(redactions + subject_redactions))
    now = timezone.now()
    with transaction.atomic():
        case = locked(case)
        if seen_up_to is not None:
            _refuse_on_collision(case, by=by, seen_up_to=seen_up_to)
        changed: list[str] = []
        signal_rules: tuple[str, ...] = ()
        if by.type == AuthorType.CUSTOMER:
            direction, purpose = Direction.INBOUND, Purpose.CUSTOMER_MESSAGE
            signal = detect_dissatisfaction(text, language=case.language)
            signal_rules = signal.matched
            if case.status == CaseStatus.RESOLVED:
                # §5.1 rule 4: reopened because the customer is unhappy with the answer -> complaint.
                _reopen(case, by=by, reason="customer wrote after resolution", at=now)
                changed += [
                    "status",
                    "resolved_at",
                    "outcome",
                    "resolution_rationale",
                    "explanation_message",
                    "reopened_count",
                ]
            elif case.status == CaseStatus.WAITING_ON_CUSTOMER:
                case.status = CaseStatus.OPEN
                changed.append("status")
            if signal.is_complaint and case.kind == CaseKind.REQUEST:
                _change_classification(
                    case,
                    by=by,
                    kind=CaseKind.COMPLAINT,
                    topic=None,
                    at=now,
                    reason="dissatisfaction detected",
                    automatic=True,
                )
                changed.append("kind")
        elif visibility == Visibility.INTERNAL:
            direction, purpose = Direction.OUTBOUND, Purpose.NOTE
        else:
            if not case.is_open:
                raise DomainError("Reopen the case before replying.", code="invalid_state")
            direction, purpose = Direction.OUTBOUND, Purpose.REPLY
            case.last_customer_update_at = now
            changed.append("last_customer_update_at")
            if by.type == AuthorType.AGENT and case.first_human_response_at is None:
                case.first_human_response_at = now  # PRD-02: only a human reply stops this clock
                changed.append("first_human_response_at")
            case.status = CaseStatus.WAITING_ON_CUSTOMER if waiting_on_customer else CaseStatus.OPEN
            changed.append("status")
        message = create_message(
            case,
            author=by,
            direction=direction,
            visibility=visibility,
            purpose=purpose,
            subject=subject_text,
            body=text,
            redacted=redactions,
            complaint_rules=signal_rules,
            channel=channel,
            at=now,
        )
        refresh_clocks(case, now=now)
        case.save(update_fields=[*set(changed), *CLOCK_FIELDS, "updated_at"])
        audit.record(
            actor=by.actor(),
            action=f"message.{purpose}",
            target=case,
            data={
                "message_id": message.pk,
                "visibility": visibility,
                "redacted": redactions,
                "complaint_rules": list(signal_rules),
                "status": case.status,
            },
        )
        enqueue_delivery(message)
    return message


def _refuse_on_collision(case: Case, *, by: Author, seen_up_to: int) -> None:
    newer = (
        Message.objects.filter(case=case, pk__gt=seen_up_to)
        .exclude(author_staff=by.staff, author_type=by.type)
        .select_related("author_staff")
        .order_by("-pk")
        .first()
    )
    if newer is not None:
        who = newer.author_staff.email if newer.author_staff else newer.get_author_type_display().lower()
        at = timezone.localtime(newer.created_at)
        raise Conflict(
            f"{who} wrote on this case at {at:%H:%M} while you were writing. Nothing was sent: read it, "
            "then send again."
        )


def assign_case(case: Case, *, by: Staff, assignee: Staff | None) -> Case:
    """DFS-06: only staff with a current HCSR training record can be given a case."""
    require(by, Capability.CASE_ASSIGN)
    if assignee is not None:
        if assignee.role not in {Role.AGENT, Role.SUPERVISOR} or not assignee.is_active:
            raise DomainError(
                "Cases can be assigned only to active agents and supervisors.", field="assignee"
            )
        if not has_current_training(assignee, on=timezone.localdate()):
            raise DomainError(
                f"{assignee.email} has no current HCSR training record (DFS-06).",
                field="assignee",
                code="untrained",
            )
        if by.role == Role.AGENT and assignee.pk != by.pk:
            raise DomainError(
                "Agents can assign cases only to themselves.", field="assignee", code="forbidden"
            )
    with transaction.atomic():
        return set_assignee(locked(case), assignee=assignee, actor=Author.of_staff(by).actor())


def set_assignee(case: Case, *, assignee: Staff | None, actor: audit.Actor, how: str = "manual") -> Case:
    """The write of an assignment, in the caller's transaction with the case locked; checks done by them."""
    previous = case.assignee.email if case.assignee else None
    case.assignee = assignee
    if case.status == CaseStatus.NEW and assignee is not None:
        case.status = CaseStatus.OPEN
    refresh_clocks(case, now=timezone.now())  # DFS-11: an assigned case has no unassigned alert
    case.save(update_fields=["assignee", "status", *CLOCK_FIELDS, "updated_at"])
    audit.record(
        actor=actor,
        action="case.assigned",
        target=case,
        data={"from": previous, "to": assignee.email if assignee else None, "how": how},
    )
    return case


def _change_classification(
    case: Case,
    *,
    by: Author,
    kind: CaseKind | None,
    topic: Topic | None,
    reason: str,
    automatic: bool,
    at: datetime,
) -> None:
    from_kind, from_topic = case.kind, case.topic_id
    if kind is not None:
        case.kind = kind
    if topic is not None:
        case.topic = topic
    ClassificationChange.objects.create(
        case=case,
        from_kind=from_kind,
        to_kind=case.kind,
        from_topic=from_topic,
        to_topic=case.topic_id,
        reason=reason,
        is_automatic=automatic,
        changed_by=by.staff,
        changed_at=at,
    )
    audit.record(
        actor=by.actor(),
        action="case.reclassified",
        target=case,
        data={
            "kind": [from_kind, case.kind],
            "topic": [from_topic, case.topic_id],
            "reason": reason,
            "automatic": automatic,
        },
    )


def reclassify_case(
    case: Case, *, by: Staff, reason: str, kind: str | None = None, topic: str | None = None
) -> Case:
    """DFS-02: kind and topic changes are audited (actor, time, reason); a downgrade needs a supervisor."""
    require(by, Capability.CASE_RECLASSIFY)
    reason_text = rules.ensure_text(reason, field="reason", max_length=2000)
    new_kind = rules.ensure_valid_kind(kind) if kind else None
    with transaction.atomic():
        case = locked(case)
        new_topic = active_topic(topic) if topic and topic != case.topic_id else None
        if new_kind == case.kind:
            new_kind = None
        if new_kind is None and new_topic is None:
            raise DomainError("Nothing to change: give a different kind or topic.", field="kind")
        if new_kind == CaseKind.REQUEST:
            require(by, Capability.CASE_DOWNGRADE)
        _change_classification(
            case,
            by=Author.of_staff(by),
            kind=new_kind,
            topic=new_topic,
            reason=reason_text,
            automatic=False,
            at=timezone.now(),
        )
        refresh_clocks(case, now=timezone.now())  # another kind or topic may fall under another policy
        case.save(update_fields=["kind", "topic", *CLOCK_FIELDS, "updated_at"])
    return case


def resolve_case(case: Case, *, by: Staff, outcome: str, rationale: str, explanation: str = "") -> Case:
    """Close with an outcome; an adverse outcome sends the customer a written explanation first (DFS-20)."""
    require(by, Capability.CASE_RESOLVE)
    with transaction.atomic():
        case = locked(case)
        result = rules.ensure_can_resolve(
            status=case.status, outcome=outcome, rationale=rationale, explanation=explanation
        )
        now = timezone.now()
        explanation_message = None
        if explanation.strip():
            text, redactions = redact(explanation.strip())
            explanation_message = create_message(
                case,
                author=Author.of_staff(by),
                direction=Direction.OUTBOUND,
                visibility=Visibility.PUBLIC,
                purpose=Purpose.EXPLANATION,
                body=text,
                redacted=redactions,
                at=now,
            )
            case.last_customer_update_at = now
            if case.first_human_response_at is None:
                case.first_human_response_at = now
        case.status, case.outcome, case.resolved_at = CaseStatus.RESOLVED, result, now
        case.resolution_rationale = rationale.strip()
        case.explanation_message = explanation_message
        refresh_clocks(case, now=now)
        case.save()
        Resolution.objects.create(
            case=case,
            outcome=result,
            rationale=case.resolution_rationale,
            explanation_message=explanation_message,
            resolved_by=by,
            resolved_at=now,
        )
        audit.record(
            actor=Author.of_staff(by).actor(),
            action="case.resolved",
            target=case,
            data={
                "outcome": result,
                "explanation_message_id": explanation_message.pk if explanation_message else None,
            },
        )
        if explanation_message is not None:
            enqueue_delivery(explanation_message)
    case_resolved.send(sender=Case, case=case)
    return case


def _reopen(case: Case, *, by: Author, reason: str, at: datetime) -> None:
    rules.ensure_can_reopen(status=case.status)
    Resolution.objects.filter(case=case, reopened_at__isnull=True).update(
        reopened_at=at, reopen_reason=reason
    )
    case.status = CaseStatus.OPEN
    case.resolved_at, case.outcome, case.resolution_rationale, case.explanation_message = None, "", "", None
    case.reopened_count += 1
    restart_resolution_clock(case, now=at)
    audit.record(actor=by.actor(), action="case.reopened", target=case, data={"reason": reason})


def reopen_case(case: Case, *, by: Staff, reason: str) -> Case:
    """Reopen a resolved case; its earlier resolution stays in the history and receipt time is kept."""
    require(by, Capability.CASE_REOPEN)
    reason_text = rules.ensure_text(reason, field="reason", max_length=2000)
    with transaction.atomic():
        case = locked(case)
        now = timezone.now()
        _reopen(case, by=Author.of_staff(by), reason=reason_text, at=now)
        refresh_clocks(case, now=now)
        case.save()
    return case


def amend_case_timestamp(
    case: Case, *, by: Staff, field: str, value: datetime, reason: str
) -> TimestampAmendment:
    """DFS-23: receipt, acknowledgement and resolution times change only through an audited amendment."""
    require(by, Capability.CASE_DOWNGRADE)  # supervisors and admins
    if field not in AMENDABLE_TIMESTAMPS:
        raise DomainError(f"Only {', '.join(sorted(AMENDABLE_TIMESTAMPS))} can be amended.", field="field")
    reason_text = rules.ensure_text(reason, field="reason", max_length=2000)
    with transaction.atomic():
        case = locked(case)
        old = getattr(case, field)
        if old is None:
            raise DomainError(f"{field} is not set yet; it cannot be amended.", field="field")
        amendment = TimestampAmendment.objects.create(
            case=case,
            field=field,
            old_value=old,
            new_value=value,
            reason=reason_text,
            amended_by=by,
            amended_at=timezone.now(),
        )
        setattr(case, field, value)
        if field == "received_at" and case.resolution_started_at == old:
            case.resolution_started_at = value
        refresh_clocks(case, now=timezone.now())  # the clocks run from receipt
        case.save(update_fields=[field, *CLOCK_FIELDS, "updated_at"])
        audit.record(
            actor=Author.of_staff(by).actor(),
            action="case.timestamp_amended",
            target=case,
            data={"field": field, "old": old.isoformat(), "new": value.isoformat(), "reason": reason_text},
        )
    return amendment


def send_status_update(case: Case, *, template: str, extra: dict[str, Any], reason: str) -> Message | None:
    """A templated customer-facing update on an open case (DFS-18), e.g. an incident update (CRY-05).

    It counts as the customer update the cadence clock waits for; a case closed meanwhile gets nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        case = locked(case)
        if not case.is_open:
            return None
        message = _automatic_message(
            case, template=template, purpose=Purpose.STATUS_UPDATE, extra=extra, reason=reason, at=now
        )
        case.last_customer_update_at = now
        refresh_clocks(case, now=now)
        case.save(update_fields=["last_customer_update_at", *CLOCK_FIELDS, "updated_at"])
    return message


def send_automatic_message(
    case: Case, *, template: str, purpose: Purpose, extra: dict[str, Any], reason: str
) -> Message:
    """A templated system message to the customer on any case, resolved ones too (a survey invitation)."""
    with transaction.atomic():
        return _automatic_message(
            locked(case), template=template, purpose=purpose, extra=extra, reason=reason, at=timezone.now()
        )


def _automatic_message(
    case: Case, *, template: str, purpose: Purpose, extra: dict[str, Any], reason: str, at: datetime
) -> Message:
    """Stored, audited and queued for delivery; the caller holds the case lock in its transaction."""
    message = build_automatic_message(case, template=template, purpose=purpose, at=at, extra=extra)
    message.save(force_insert=True)
    audit.record(
        actor=Author.system().actor(),
        action=f"message.{purpose}",
        target=case,
        data={"message_id": message.pk, "template": template, "reason": reason},
    )
    enqueue_delivery(message)
    return message


def merge_case(duplicate: Case, *, into: Case, by: Staff, reason: str) -> Case:
    """PRD-04: a duplicate of the same customer's case is closed as withdrawn and points to the case that
    continues; its own timeline stays where it is (records are not moved), each side gets a note, and the
    customer is told which reference to use. No survey: nothing was resolved."""
    require(by, Capability.CASE_RESOLVE)
    reason_text = rules.ensure_text(reason, field="reason", max_length=2000)
    if duplicate.pk == into.pk:
        raise DomainError("A case cannot be merged into itself.", field="into")
    with transaction.atomic():
        for case in sorted((duplicate, into), key=lambda item: item.pk):  # one lock order: no deadlock
            locked(case)
        duplicate = Case.objects.select_related("customer").get(pk=duplicate.pk)
        into = Case.objects.select_related("customer").get(pk=into.pk)
        if not duplicate.is_open or not into.is_open:
            raise DomainError("Both cases must be open to merge them.", code="invalid_state")
        if duplicate.customer_id != into.customer_id:
            raise DomainError("Only the same customer's cases can be merged.", field="into")
        now = timezone.now()
        for case, text in (
            (duplicate, f"Merged into {into.reference} by {by.email}: {reason_text}"),
            (into, f"{duplicate.reference} was merged into this case by {by.email}: {reason_text}"),
        ):
            create_message(
                case,
                author=Author.of_staff(by),
                direction=Direction.OUTBOUND,
                visibility=Visibility.INTERNAL,
                purpose=Purpose.NOTE,
                body=text,
                at=now,
            )
        notice = _automatic_message(
            duplicate,
            template="case_merged",
            purpose=Purpose.STATUS_UPDATE,
            extra={"continues_as": into.reference},
            reason="merged",
            at=now,
        )
        duplicate.status, duplicate.outcome, duplicate.resolved_at = (
            CaseStatus.RESOLVED,
            Outcome.WITHDRAWN,
            now,
        )
        duplicate.resolution_rationale = f"Duplicate of {into.reference}: {reason_text}"
        duplicate.merged_into = into
        duplicate.last_customer_update_at = notice.created_at
        refresh_clocks(duplicate, now=now)
        duplicate.save()
        Resolution.objects.create(
            case=duplicate,
            outcome=Outcome.WITHDRAWN,
            rationale=duplicate.resolution_rationale,
            resolved_by=by,
            resolved_at=now,
        )
        audit.record(
            actor=Author.of_staff(by).actor(),
            action="case.merged",
            target=duplicate,
            data={"into": into.reference, "reason": reason_text},
        )
    return duplicate
