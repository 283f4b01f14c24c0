"""Satisfaction feedback (DFS-24): a survey link on the case's channel within the configured delay after
resolution, one to five stars and a comment without login, one answer per case, figures for the quarter."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from mnemonic import Mnemonic

from clearline.cases.models import Case, Purpose
from clearline.cases.services import Author, add_message, open_case, resolve_case
from clearline.feedback.models import Survey
from clearline.feedback.selectors import satisfaction_between
from clearline.feedback.services import send_due_surveys
from clearline.org.models import Organisation

pytestmark = pytest.mark.django_db


def _resolved_case(agent, email: str = "ana@example.test", language: str = "en") -> Case:
    case = open_case(
        by=Author.system(),
        customer_email=email,
        subject="Withdrawal delayed",
        body="Where is my withdrawal?",
        topic="withdrawal_delayed",
        method="email",
        language=language,
    )
    return resolve_case(case, by=agent, outcome="resolved", rationale="Sent on chain.")


def _survey_link() -> str:
    match = re.search(r"https://help\.hudson\.test(/feedback/\S+)", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_survey_goes_out_on_the_cases_channel_within_the_delay_and_is_answered_once_DFS_24(
    organisation, agent, django_capture_on_commit_callbacks
) -> None:
    """DFS-24: sent after the configured delay (default 1 h, always within 24 h); 1-5 stars and a comment
    stored on the case; a second answer is refused."""
    resolved_at = timezone.now()
    case = _resolved_case(agent)
    survey = Survey.objects.get(case=case)
    assert survey.due_at - case.resolved_at == dt.timedelta(minutes=60)
    assert send_due_surveys(resolved_at + dt.timedelta(minutes=59)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_surveys(resolved_at + dt.timedelta(minutes=61)) == 1
    survey.refresh_from_db()
    assert survey.sent_at is not None and survey.sent_at - case.resolved_at < dt.timedelta(hours=24)
    assert survey.channel == "email" and survey.message.purpose == Purpose.SURVEY
    assert mail.outbox[0].to == ["ana@example.test"] and case.reference in mail.outbox[0].subject
    link = _survey_link()
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert case.reference in page and 'name="score" value="5"' in page
    assert visitor.post(link, {"score": "9"}).status_code == 400
    assert visitor.post(link, {"score": "4", "comment": "Quick and clear."}).status_code == 200
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (4, "Quick and clear.")
    second = visitor.post(link, {"score": "1", "comment": "changed my mind"})
    assert "already have your rating" in second.content.decode()
    survey.refresh_from_db()
    assert survey.score == 4
    assert send_due_surveys(resolved_at + dt.timedelta(days=2)) == 0  # one survey per case


def test_survey_is_in_the_case_language_and_its_comment_is_redacted_DFS_24(
    organisation, agent, django_capture_on_commit_callbacks
) -> None:
    """DFS-24, CRY-03: a Spanish case gets a Spanish survey; a secret pasted in the comment never lands."""
    case = _resolved_case(agent, email="luis@example.test", language="es")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_surveys(timezone.now() + dt.timedelta(hours=2))
    assert mail.outbox[0].subject.startswith("¿Qué tal lo hicimos")
    phrase = Mnemonic("spanish").generate(strength=128)
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get(_survey_link()).content.decode()
    assert "Cuán satisfecho" in page or "cuán satisfecho" in page
    Client().post(_survey_link(), {"score": "2", "comment": f"mis palabras: {phrase}"})
    assert phrase not in Survey.objects.get(case=case).comment


def test_reopened_case_waits_and_the_delay_is_configurable_up_to_24_hours_DFS_24(organisation, agent) -> None:
    """DFS-24: a case reopened before its survey gets none until resolved again; the delay is the
    organisation's and cannot exceed DFS-24's 24 hours."""
    Organisation.objects.update(survey_delay_minutes=24 * 60)
    case = _resolved_case(agent)
    add_message(case, by=Author.of_customer(case.customer), body="It is still not there, I am unhappy.")
    assert send_due_surveys(timezone.now() + dt.timedelta(hours=25)) == 0
    later = timezone.now() + dt.timedelta(hours=3)
    with time_machine.travel(later):
        resolve_case(Case.objects.get(pk=case.pk), by=agent, outcome="resolved", rationale="Found it.")
    survey = Survey.objects.get(case=case)
    assert survey.due_at > later + dt.timedelta(hours=23)
    organisation.survey_delay_minutes = 25 * 60
    with pytest.raises(Exception, match="less than or equal to 1440"):
        organisation.full_clean()


def test_unknown_or_expired_links_open_nothing(
    organisation, agent, django_capture_on_commit_callbacks
) -> None:
    """DFS-24: a guessed or expired link gets a clear page and changes nothing."""
    assert Client().get("/feedback/not-a-token").status_code == 410
    case = _resolved_case(agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_surveys(timezone.now() + dt.timedelta(hours=2))
    Survey.objects.filter(case=case).update(sent_at=timezone.now() - dt.timedelta(days=31))
    response = Client().post(_survey_link(), {"score": "5"})
    assert response.status_code == 410
    assert Survey.objects.get(case=case).score is None


def test_quarterly_satisfaction_figures_are_computed_in_the_database_DFS_24(organisation, agent) -> None:
    """DFS-24, DFS-29: response rate and score distribution for a period."""
    start = timezone.now()
    cases = [_resolved_case(agent, email=f"c{i}@example.test") for i in range(5)]
    send_due_surveys(start + dt.timedelta(hours=2))
    for case, score in zip(cases[:3], (5, 4, 2), strict=True):
        Survey.objects.filter(case=case).update(score=score, answered_at=timezone.now())
    figures = satisfaction_between(start, start + dt.timedelta(days=1))
    assert (figures.surveys_sent, figures.responses) == (5, 3)
    assert figures.mean_score == pytest.approx(3.67, abs=0.01)
    assert figures.satisfied_share == pytest.approx(2 / 3, abs=0.001)
    assert figures.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
