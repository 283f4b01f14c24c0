"""The registers the regulator asks for: policies with versions and approvals (DFS-31, NYCRR-01), the
notification of changes within 7 days (NYCRR-05) and the responsible persons (DFS-32).

Approval takes a second person (the drafter cannot approve); approving a complaints policy, or any change of
responsible persons, opens a regulator task due 7 calendar days later, escalated on day 5, which closes only
with the submission receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.core.errors import DomainError

from .models import Policy, PolicyVersion, RegulatorTask, ResponsiblePerson

NOTIFY_WITHIN = timedelta(days=7)  # calendar days (§ 200.20(c))
ESCALATE_AFTER = timedelta(days=5)
COMPLAINTS_TAG = "complaints"


def create_policy(
    *, key: str, title: str, tags: list[str], is_public: bool, owner: Staff, by: Staff
) -> Policy:
    require(by, Capability.REGISTER_MANAGE)
    if Policy.objects.filter(key=key).exists():
        raise DomainError("A policy with this key exists.", field="key")
    if not title.strip():
        raise DomainError("A title is required.", field="title")
    policy = Policy.objects.create(
        key=key, title=title.strip(), tags=sorted(set(tags)), is_public=is_public, owner=owner
    )
    audit.record(
        actor=audit.Actor.of_staff(by),
        action="policy.created",
        target=policy,
        new_stream=True,
        data={"tags": policy.tags},
    )
    return policy


def draft_version(
    policy: Policy, *, body: str, change_summary: str, effective_from: date, by: Staff
) -> PolicyVersion:
    require(by, Capability.REGISTER_MANAGE)
    if not body.strip() or not change_summary.strip():
        raise DomainError("A version needs its text and a summary of what changed.", field="body")
    with transaction.atomic():
        number = (PolicyVersion.objects.filter(policy=policy).aggregate(n=Max("version"))["n"] or 0) + 1
        version = PolicyVersion.objects.create(
            policy=policy,
            version=number,
            body=body.strip(),
            change_summary=change_summary.strip()[:500],
            effective_from=effective_from,
            drafted_by=by,
            drafted_at=timezone.now(),
        )
        audit.record(
            actor=audit.Actor.of_staff(by), action="policy.drafted", target=policy, data={"version": number}
        )
    return version


def approve_version(version: PolicyVersion, *, by: Staff) -> PolicyVersion:
    """Four eyes: someone other than the drafter approves. A complaints policy opens the 7-day notice."""
    require(by, Capability.REGISTER_MANAGE)
    now = timezone.now()
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
        if version.approved_at is not None:
            raise DomainError("This version is already approved; draft a new one.", code="invalid_state")
        if version.drafted_by_id == by.pk:
            raise DomainError("The drafter cannot approve their own version.", code="four_eyes")
        version.approved_by, version.approved_at = by, now
        version.save(update_fields=["approved_by", "approved_at"])
        task = None
        if COMPLAINTS_TAG in version.policy.tags:
            subject = f"Notify the superintendent of {version.policy.title} v{version.version}"
            task = _notify_task(subject, policy_version=version)
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="policy.approved",
            target=version.policy,
            data={"version": version.version, "regulator_task": task.pk if task else None},
        )
    return version


def current_version(policy: Policy, *, on: date | None = None) -> PolicyVersion | None:
    """The approved version in effect on ``on`` (today by default)."""
    day = on or timezone.localdate()
    return (
        PolicyVersion.objects.filter(policy=policy, approved_at__isnull=False, effective_from__lte=day)
        .order_by("-effective_from", "-version")
        .first()
    )


def appoint(*, name: str, email: str, role: str, starts_on: date, by: Staff) -> ResponsiblePerson:
    """Add a responsible person; a new accountable owner takes over from the current one (always one)."""
    require(by, Capability.REGISTER_MANAGE)
    if role not in ResponsiblePerson.Role.values:
        raise DomainError(f"Role must be one of {', '.join(ResponsiblePerson.Role.values)}.", field="role")
    if not name.strip() or "@" not in email:
        raise DomainError("A name and an email address are required.", field="name")
    with transaction.atomic():
        if role == ResponsiblePerson.Role.ACCOUNTABLE_OWNER:
            if ResponsiblePerson.objects.filter(role=role, starts_on__gt=starts_on).exists():
                raise DomainError("A later accountable owner is already appointed.", field="starts_on")
            current = _owners_on(starts_on).select_for_update().first()
            if current is not None:
                if current.starts_on >= starts_on:
                    raise DomainError("The new owner must start after the current one.", field="starts_on")
                current.ends_on = starts_on - timedelta(days=1)
                current.save(update_fields=["ends_on"])
        person = ResponsiblePerson.objects.create(
            name=name.strip(), email=email.strip().lower(), role=role, starts_on=starts_on
        )
        _notify_task(
            f"Notify the superintendent: {person.get_role_display()} {person.name} from {starts_on}",
            person=person,
        )
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="register.appointed",
            target=person,
            new_stream=True,
            data={"role": role},
        )
    return person


def end_appointment(person: ResponsiblePerson, *, ends_on: date, by: Staff) -> ResponsiblePerson:
    require(by, Capability.REGISTER_MANAGE)
    if person.role == ResponsiblePerson.Role.ACCOUNTABLE_OWNER:
        raise DomainError(
            "There must always be one accountable owner: appoint the successor, which ends this appointment.",
            code="one_owner",
        )
    with transaction.atomic():
        person.ends_on = ends_on
        person.save(update_fields=["ends_on"])
        _notify_task(
            f"Notify the superintendent: {person.get_role_display()} {person.name} ends {ends_on}",
            person=person,
        )
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="register.ended",
            target=person,
            data={"ends_on": str(ends_on)},
        )
    return person


def _owners_on(day: date):  # type: ignore[no-untyped-def]
    return ResponsiblePerson.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        role=ResponsiblePerson.Role.ACCOUNTABLE_OWNER,
        starts_on__lte=day,
    )


def _notify_task(
    subject: str, *, person: ResponsiblePerson | None = None, policy_version: PolicyVersion | None = None
) -> RegulatorTask:
    """NYCRR-05: tell the superintendent within 7 calendar days."""
    now = timezone.now()
    return RegulatorTask.objects.create(
        subject=subject[:300],
        person=person,
        policy_version=policy_version,
        opened_at=now,
        due_at=now + NOTIFY_WITHIN,
    )


def close_task(
    task: RegulatorTask, *, receipt_reference: str, receipt: UploadedFile | None, by: Staff
) -> RegulatorTask:
    """Closed only with the submission receipt: its reference and the uploaded document."""
    require(by, Capability.REGISTER_MANAGE)
    if not receipt_reference.strip() or receipt is None:
        raise DomainError(
            "Attach the submission receipt and give its reference to close the task.", field="receipt"
        )
    with transaction.atomic():
        task = RegulatorTask.objects.select_for_update().get(pk=task.pk)
        if task.closed_at is not None:
            raise DomainError("This task is already closed.", code="invalid_state")
        task.receipt.save(f"task-{task.pk}-{receipt.name}", receipt, save=False)
        task.receipt_reference = receipt_reference.strip()[:200]
        task.closed_at, task.closed_by = timezone.now(), by
        task.save(update_fields=["receipt", "receipt_reference", "closed_at", "closed_by"])
        audit.record(
            actor=audit.Actor.of_staff(by),
            action="register.task_closed",
            target=task,
            new_stream=True,
            data={"receipt_reference": task.receipt_reference, "late": task.closed_at > task.due_at},
        )
    return task


def escalate_due_tasks(now: datetime | None = None) -> int:
    """Day 5 of 7: flag open tasks (the compliance console and the report list them)."""
    moment = now or timezone.now()
    due = RegulatorTask.objects.filter(
        closed_at__isnull=True, escalated_at__isnull=True, opened_at__lte=moment - ESCALATE_AFTER
    )
    return due.update(escalated_at=moment)


@dataclass(frozen=True)
class RegisterGap:
    requirement: str
    problem: str


def register_gaps(on: date | None = None) -> list[RegisterGap]:
    """What an examiner would find missing today (NYCRR-01, DFS-32, NYCRR-05)."""
    day = on or timezone.localdate()
    gaps = []
    complaint_policies = [p for p in Policy.objects.all() if COMPLAINTS_TAG in p.tags]
    if not any(current_version(policy, on=day) for policy in complaint_policies):
        gaps.append(RegisterGap("NYCRR-01", "No approved complaint-handling policy is in effect."))
    owners = _owners_on(day).count()
    if owners != 1:
        gaps.append(
            RegisterGap("DFS-32", f"{owners} accountable owners are active; there must be exactly one.")
        )
    overdue = RegulatorTask.objects.filter(closed_at__isnull=True, due_at__lt=timezone.now()).count()
    if overdue:
        gaps.append(RegisterGap("NYCRR-05", f"{overdue} regulator notification(s) overdue."))
    return gaps


PROGRAMME_TAGS = frozenset({COMPLAINTS_TAG, "customer_service"})


def current_programme_policies(on: date | None = None) -> list[dict[str, Any]]:
    """DFS-31: each customer-service or complaint policy's version in effect, with its approved change log."""
    found = []
    for policy in Policy.objects.select_related("owner").order_by("key"):
        version = current_version(policy, on=on) if PROGRAMME_TAGS & set(policy.tags) else None
        if version is None:
            continue
        approved = policy.versions.filter(approved_at__isnull=False).order_by("version")
        found.append(
            {
                "key": policy.key,
                "title": policy.title,
                "version": version.version,
                "owner": policy.owner.email,
                "drafted_by": version.drafted_by.email,
                "approved_by": version.approved_by.email if version.approved_by else "",
                "approved_at": version.approved_at.date().isoformat() if version.approved_at else "",
                "effective_from": version.effective_from.isoformat(),
                "body": version.body,
                "changes": [
                    {
                        "version": v.version,
                        "approved_at": v.approved_at.date().isoformat() if v.approved_at else "",
                        "summary": v.change_summary,
                    }
                    for v in approved
                ],
            }
        )
    return found
