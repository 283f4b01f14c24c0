from __future__ import annotations

from datetime import date

from django.db.models import F, QuerySet
from django.db.models.functions import Lower

from .models import ApiToken, Role, Staff, TrainingRecord


def current_training(*, on: date) -> QuerySet[TrainingRecord]:
    """DFS-06: the HCSR training records in force on the given day."""
    return TrainingRecord.objects.filter(completed_on__lte=on, expires_on__gt=on)


def has_current_training(staff: Staff, *, on: date) -> bool:
    return current_training(on=on).filter(staff=staff).exists()


def list_routable_agents(*, language: str, topic: str, on: date) -> list[Staff]:
    """Who may be given a case automatically (PRD-04, DFS-06): active agents with a current HCSR training
    record who work in the language (an empty list: any) and handle the topic (an empty list: any); the
    one routed longest ago first (round robin)."""
    trained = current_training(on=on).values("staff_id")
    agents = Staff.objects.filter(is_active=True, role=Role.AGENT, pk__in=trained).order_by(
        F("last_routed_at").asc(nulls_first=True), "pk"
    )
    return [
        agent
        for agent in agents
        if (not agent.languages or language in agent.languages)
        and (not agent.skills or topic in agent.skills)
    ]


def get_staff_by_email(email: str) -> Staff | None:
    return Staff.objects.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower()).first()


def list_api_tokens(staff: Staff) -> list[ApiToken]:
    return list(staff.api_tokens.order_by("-created_at"))
