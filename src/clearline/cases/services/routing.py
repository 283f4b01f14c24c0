"""Automatic assignment (PRD-04): each new case to a trained agent who works in its language and handles
its topic, in turn. Only when the organisation turns it on; what finds nobody stays in the queue, where the
unassigned alert (DFS-11) watches it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.selectors import list_routable_agents
from clearline.audit import services as audit
from clearline.org.selectors import current_organisation

from ..models import OPEN_STATUSES, Case
from .common import locked
from .lifecycle import set_assignee

ROUTER = audit.Actor.system("round-robin")


def route_case(case_id: int) -> Staff | None:
    """Give the case to the next agent in turn; None when routing is off, the case is taken or closed, or
    no trained agent works in its language and topic."""
    organisation = current_organisation()
    if organisation is None or not organisation.assign_automatically:
        return None
    with transaction.atomic():
        case = locked(Case(pk=case_id))
        if case.assignee_id is not None or case.status not in OPEN_STATUSES:
            return None
        candidates = list_routable_agents(
            language=case.language, topic=case.topic_id, on=timezone.localdate()
        )
        if not candidates:
            return None
        chosen = candidates[0]
        Staff.objects.filter(pk=chosen.pk).update(last_routed_at=timezone.now())
        set_assignee(case, assignee=chosen, actor=ROUTER, how="round robin")
        return chosen


def route_unassigned_cases(*, limit: int = 200) -> int:
    """The periodic pass: open unassigned cases, the most urgent first (cases that found nobody at intake,
    or whose agent was unassigned)."""
    organisation = current_organisation()
    if organisation is None or not organisation.assign_automatically:
        return 0
    pending = (
        Case.objects.filter(assignee__isnull=True, status__in=OPEN_STATUSES)
        .order_by("next_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for case_id in pending if route_case(case_id) is not None)
