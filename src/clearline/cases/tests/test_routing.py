"""Automatic assignment (PRD-04, DFS-06): new cases go in turn to trained agents by language and topic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearline.accounts.models import Role, TrainingRecord
from clearline.audit.models import AuditEvent
from clearline.cases import services
from clearline.cases.services.routing import route_unassigned_cases
from clearline.org.models import Organisation
from clearline.org.selectors import clear_organisation_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def routing_on(organisation):
    Organisation.objects.update(assign_automatically=True)
    clear_organisation_cache()


def _open(language: str, topic: str = "withdrawal_delayed", n: int = 0):
    return services.open_case(
        by=services.Author.system(),
        customer_email=f"c{n}-{language}@customer.test",
        subject="Withdrawal",
        body="My withdrawal has been pending since Monday, please check it.",
        topic=topic,
        method="web_form",
        language=language,
    )


def test_new_cases_go_in_turn_to_trained_agents_of_their_language_and_topic_PRD_04_DFS_06(
    routing_on, make_staff, django_capture_on_commit_callbacks
):
    """PRD-04 round robin by language and skill; DFS-06: never to an agent without current training."""
    english_a, english_b = make_staff(Role.AGENT), make_staff(Role.AGENT)
    spanish = make_staff(Role.AGENT)
    untrained_romanian = make_staff(Role.AGENT, trained=False)
    fees_only = make_staff(Role.AGENT)
    for staff, languages, skills in (
        (english_a, ["en"], []),
        (english_b, ["en"], []),
        (spanish, ["es"], []),
        (untrained_romanian, ["ro"], []),
        (fees_only, ["en", "es", "ro"], ["fees"]),
    ):
        staff.languages, staff.skills = languages, skills
        staff.save()

    with django_capture_on_commit_callbacks(execute=True):
        english = [_open("en", n=n) for n in range(4)]
        spanish_case = _open("es")
        romanian_case = _open("ro")
        fee_case = _open("ro", topic="fees")

    owners = [case.__class__.objects.get(pk=case.pk).assignee for case in english]
    assert owners == [english_a, english_b, english_a, english_b]  # in turn
    assert spanish_case.__class__.objects.get(pk=spanish_case.pk).assignee == spanish
    assert romanian_case.__class__.objects.get(pk=romanian_case.pk).assignee is None  # nobody trained
    assert fee_case.__class__.objects.get(pk=fee_case.pk).assignee == fees_only
    assert AuditEvent.objects.filter(action="case.assigned", actor_label="round-robin").count() == 6

    TrainingRecord.objects.create(
        staff=untrained_romanian,
        course="HCSR fundamentals",
        completed_on=timezone.localdate() - timedelta(days=1),
        expires_on=timezone.localdate() + timedelta(days=364),
    )
    assert route_unassigned_cases() == 1  # the periodic pass, once someone can take it
    assert romanian_case.__class__.objects.get(pk=romanian_case.pk).assignee == untrained_romanian


def test_nothing_is_routed_unless_the_organisation_turns_it_on(
    organisation, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _open("en")

    assert case.__class__.objects.get(pk=case.pk).assignee is None
    assert route_unassigned_cases() == 0


def test_an_admin_turns_routing_on_and_sets_who_takes_what_over_the_api_PRD_04(
    organisation, make_staff, api_client_for
):
    admin, agent = make_staff(Role.ADMIN), make_staff(Role.AGENT)
    body = {"content_type": "application/json"}

    turned_on = api_client_for(admin).put("/api/v1/org/assignment", {"assign_automatically": True}, **body)
    profile = api_client_for(admin).put(
        f"/api/v1/staff/{agent.email}/routing", {"languages": ["es"], "skills": ["fees"]}, **body
    )
    typo = api_client_for(admin).put(f"/api/v1/staff/{agent.email}/routing", {"skills": ["feez"]}, **body)
    refused = api_client_for(agent).put("/api/v1/org/assignment", {"assign_automatically": False}, **body)

    assert turned_on.json() == {"assign_automatically": True}
    assert profile.json() == {"languages": ["es"], "skills": ["fees"]}
    assert typo.status_code == 422 and refused.status_code == 403
    assert Organisation.objects.get().assign_automatically
