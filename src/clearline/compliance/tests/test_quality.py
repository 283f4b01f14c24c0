"""Quality assurance (DFS-26): five interactions per representative per month sampled and scored by someone
else on a fixed scorecard; the coverage report flags representatives below the quota."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clearline.accounts.models import Role
from clearline.cases.services import Author, add_message, open_case
from clearline.compliance import quality
from clearline.compliance.models import QA_CRITERIA, QAReview
from clearline.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
FULL = dict.fromkeys(QA_CRITERIA, 2)


def _replies(agent, count: int, day: int) -> None:
    with time_machine.travel(dt.datetime(2026, 10, day, 11, tzinfo=NY), tick=False):
        case = open_case(
            by=Author.system(),
            customer_email=f"q{day}@example.test",
            subject="Fees",
            body="Question.",
            topic="fees",
            method="email",
        )
        for n in range(count):
            add_message(case, by=Author.of_staff(agent), body=f"Answer {n}.")


def test_five_interactions_per_representative_per_month_are_sampled_and_scored_DFS_26(
    organisation, make_staff
) -> None:
    """DFS-26: the monthly sample takes five replies per representative (all of them when fewer), never twice;
    a supervisor scores them; the coverage report shows who is below quota."""
    busy, quiet = make_staff(Role.AGENT), make_staff(Role.AGENT)
    supervisor = make_staff(Role.SUPERVISOR)
    _replies(busy, 8, day=5)
    _replies(quiet, 2, day=6)
    month = dt.date(2026, 10, 1)
    assert quality.sample_month(month) == 5 + 2
    assert quality.sample_month(month) == 0  # re-running does not re-sample
    assert QAReview.objects.filter(agent=busy).count() == 5
    report = {row.agent: row for row in quality.coverage(month)}
    assert (report[busy.email].interactions, report[busy.email].sampled, report[busy.email].below_quota) == (
        8,
        5,
        True,
    )
    for review in QAReview.objects.filter(agent__in=[busy, quiet]):
        quality.score(review, scores=FULL | {"timely": 1}, comments="Good.", by=supervisor)
    report = {row.agent: row for row in quality.coverage(month)}
    assert not report[busy.email].below_quota and not report[quiet.email].below_quota
    assert report[busy.email].mean_percent == 90.0
    assert report[supervisor.email].interactions == 0 and not report[supervisor.email].below_quota


def test_scorecards_are_complete_and_never_self_scored_DFS_26(organisation, make_staff) -> None:
    """DFS-26: every criterion 0 to 2, by someone other than the representative and with the QA capability."""
    agent = make_staff(Role.AGENT)
    _replies(agent, 1, day=7)
    quality.sample_month(dt.date(2026, 10, 1))
    review = QAReview.objects.get()
    with pytest.raises(DomainError, match="own"):
        quality.score(review, scores=FULL, comments="", by=_self(agent))
    with pytest.raises(DomainError, match="Score each"):
        quality.score(review, scores={"accurate": 2}, comments="", by=make_staff(Role.SUPERVISOR))
    with pytest.raises(PermissionDenied):
        quality.score(review, scores=FULL, comments="", by=make_staff(Role.AGENT))


def _self(agent):
    agent.role = Role.SUPERVISOR  # even promoted, nobody scores their own replies
    return agent


def test_qa_over_the_api_DFS_26(organisation, make_staff, api_client_for) -> None:
    """DFS-26: supervisors sample and score over the API; examiners read the coverage."""
    agent = make_staff(Role.AGENT)
    _replies(agent, 6, day=8)
    supervisor = api_client_for(make_staff(Role.SUPERVISOR))
    json_body = {"content_type": "application/json"}
    assert supervisor.post("/api/v1/compliance/qa/sample", {"month": "2026-10-01"}, **json_body).json() == {
        "sampled": 5
    }
    review = QAReview.objects.first()
    scored = supervisor.post(f"/api/v1/compliance/qa/{review.pk}/score", {"scores": FULL}, **json_body)
    assert scored.json()["percent"] == 100
    rows = api_client_for(make_staff(Role.EXAMINER)).get("/api/v1/compliance/qa?month=2026-10-01").json()
    assert {row["agent"]: (row["reviewed"], row["below_quota"]) for row in rows}[agent.email] == (1, True)
    assert (
        api_client_for(agent)
        .post("/api/v1/compliance/qa/sample", {"month": "2026-10-01"}, **json_body)
        .status_code
        == 403
    )
