"""Records kept as the law asks (NYCRR-06, DFS-25): nothing deleted before seven years or under a legal hold;
the refusal reaches the caller and is logged."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Role
from clearline.cases.models import Case, Message
from clearline.cases.services import Author, add_message, open_case
from clearline.compliance import retention
from clearline.compliance.models import RetentionRule
from clearline.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(organisation) -> Message:
    case = open_case(
        by=Author.system(),
        customer_email="r@example.test",
        subject="Fees",
        body="Question.",
        topic="fees",
        method="email",
    )
    return add_message(case, by=Author.of_customer(case.customer), body="One more thing.")


def test_deleting_a_record_before_seven_years_fails_and_is_logged_NYCRR_06(message, caplog) -> None:
    """NYCRR-06, DFS-25: a message (and so any case record) cannot be deleted inside its retention period,
    by any ORM path; the attempt is logged (and audited when it was not inside a transaction)."""
    assert RetentionRule.objects.get(record_type="message").years == 7
    with (
        caplog.at_level(logging.WARNING, logger="clearline.retention"),
        pytest.raises(retention.RetentionRefused),
        transaction.atomic(),
    ):
        message.delete()
    with pytest.raises(retention.RetentionRefused), transaction.atomic():
        Message.objects.filter(pk=message.pk).delete()
    assert Message.objects.filter(pk=message.pk).exists()
    assert "kept until" in caplog.text
    with time_machine.travel(timezone.now() + dt.timedelta(days=7 * 366)):
        Message.objects.filter(pk=message.pk).delete()  # past retention, no hold: the firm may delete it
    assert not Message.objects.filter(pk=message.pk).exists()


def test_a_legal_hold_keeps_records_past_retention_until_released_NYCRR_06(message, make_staff) -> None:
    """NYCRR-06: a hold on the case keeps its records after seven years; released, the rule applies again."""
    officer = make_staff(Role.COMPLIANCE)
    hold = retention.place_hold(Case.objects.get(pk=message.case_id), reason="Litigation 2026-17", by=officer)
    later = timezone.now() + dt.timedelta(days=8 * 366)
    with time_machine.travel(later), pytest.raises(retention.RetentionRefused, match="legal hold"):
        with transaction.atomic():
            Message.objects.get(pk=message.pk).delete()
    retention.release_hold(hold, by=officer)
    with time_machine.travel(later):
        Message.objects.get(pk=message.pk).delete()


def test_holds_over_the_api_are_for_compliance_only_NYCRR_06(message, make_staff, api_client_for) -> None:
    """NYCRR-06: compliance places and releases holds by case reference; examiners cannot."""
    reference = Case.objects.get(pk=message.case_id).reference
    body = {"reference": reference, "reason": "Regulator inquiry"}
    examiner = api_client_for(make_staff(Role.EXAMINER))
    assert examiner.post("/api/v1/compliance/holds", body, content_type="application/json").status_code == 403
    officer = api_client_for(make_staff(Role.COMPLIANCE))
    placed = officer.post("/api/v1/compliance/holds", body, content_type="application/json")
    assert placed.status_code == 201 and retention.on_hold(message.case_id)
    assert officer.post(f"/api/v1/compliance/holds/{placed.json()['id']}/release").status_code == 200
    assert not retention.on_hold(message.case_id)
    assert (
        officer.post(
            "/api/v1/compliance/holds", {**body, "reference": "CL-NOTHERE"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_retention_cannot_be_set_below_seven_years_NYCRR_06(organisation, make_staff) -> None:
    """NYCRR-06: the minimum is the law's."""
    officer = make_staff(Role.COMPLIANCE)
    with pytest.raises(DomainError, match="at least 7 years"):
        retention.set_rule("case", years=5, by=officer)
    assert retention.set_rule("case", years=10, by=officer).years == 10
