"""The automatic acknowledgement: at any hour, with reference, next steps and calendar-based estimates
(DFS-12, DFS-18), the status link (DFS-19), the scam warning (CRY-04) and, for complaints, the regulator
(NYCRR-03); never to an automatic sender and never twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError

from clearline.cases import services
from clearline.cases.models import Message, Purpose
from clearline.cases.services.acknowledgement import format_moment
from clearline.core.references import REFERENCE_PATTERN
from clearline.sla.selectors import policy_for, support_hours

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def _open(agent, *, at, language="en", body="Where is my deposit? Thanks.", **extra):
    with time_machine.travel(at, tick=False):
        return services.open_case(
            by=services.Author.of_staff(agent),
            customer_email="dan@customer.test",
            subject="Deposit",
            body=body,
            topic="deposit_not_credited",
            method="email",
            language=language,
            **extra,
        )


def _ack(case) -> Message:
    return Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)


def test_every_hour_of_a_holiday_week_is_acknowledged_with_a_calendar_estimate_dfs_12(agent):
    """DFS-12: a message at each of the 168 hours of Thanksgiving week gets an acknowledgement at once with a
    unique reference, the next steps and a human-response estimate from the business-hours calendar."""
    _, hours = support_hours()
    _, policy = policy_for(kind="request", topic="deposit_not_credited", priority="normal")
    start = dt.datetime(2026, 11, 23, 0, 0, tzinfo=NY)  # Monday; Thursday 26 is Thanksgiving
    references = set()
    for hour in range(168):
        received = start + dt.timedelta(hours=hour)
        case = _open(agent, at=received)
        ack = _ack(case)
        expected = hours.add(received, policy.first_response.duration)
        assert case.acknowledged_at == case.received_at == received.astimezone(dt.UTC)
        assert case.first_response_due_at == expected
        assert REFERENCE_PATTERN.fullmatch(case.reference) and case.reference in ack.subject
        assert "What happens next" in ack.body and "will review your case and reply by" in ack.body
        assert format_moment(expected, language="en", zone="America/New_York") in ack.body
        local = expected.astimezone(NY)
        assert local.date() != dt.date(2026, 11, 26) and local.weekday() < 5 and 9 <= local.hour <= 17
        references.add(case.reference)
    assert len(references) == 168


def test_a_friday_night_message_is_promised_an_answer_on_monday_dfs_12():
    """DFS-12: the estimate in words, in each language: Friday 23:59 gets Monday's business day."""
    due = dt.datetime(2026, 11, 23, 17, 0, tzinfo=NY)
    assert (
        format_moment(due, language="en", zone="America/New_York")
        == "Monday, November 23, 2026 at 5:00 PM EST"
    )
    assert format_moment(due, language="es", zone="America/New_York").startswith(
        "lunes 23 de noviembre de 2026"
    )
    assert format_moment(due, language="ro", zone="America/New_York").startswith("luni, 23 noiembrie 2026")


def test_friday_2359_acknowledgement_names_monday(agent):
    """DFS-12: a message at 23:59 on Friday is promised a reply on Monday."""
    case = _open(agent, at=dt.datetime(2026, 11, 20, 23, 59, tzinfo=NY))
    assert "reply by Monday, November 23, 2026 at 5:00 PM EST" in " ".join(_ack(case).body.split())


@pytest.mark.parametrize(
    ("language", "resolution_words", "track_words"),
    [
        ("en", "We expect to resolve it by", "Check the status at any time, without logging in:"),
        ("es", "Prevemos resolverlo antes del", "Consulte el estado cuando quiera, sin iniciar sesión:"),
        ("ro", "Estimăm rezolvarea până", "Verificați starea oricând, fără autentificare:"),
    ],
)
def test_acknowledgement_gives_resolution_estimate_and_status_link_per_language_dfs_18_dfs_19(
    agent, language, resolution_words, track_words
):
    """DFS-18, DFS-19: the resolution estimate and the account-free status link, in the case language."""
    case = _open(agent, at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=NY), language=language)
    body = " ".join(_ack(case).body.split())
    estimate = format_moment(
        case.resolution_due_at, language=language, zone="America/New_York", with_time=False
    )
    assert f"{resolution_words} {estimate}" in body
    assert f"{track_words} https://example.com/track?reference={case.reference}" in body


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("en", "This is unacceptable, my deposit is missing for a week. I will complain to the regulator."),
        ("es", "Es inaceptable, mi depósito lleva una semana sin aparecer. Voy a poner una queja."),
        ("ro", "Este inacceptabil, depunerea lipsește de o săptămână. Voi face o reclamație la autorități."),
    ],
)
def test_complaint_acknowledgement_carries_the_nydfs_contact_statement_nycrr_03(agent, language, body):
    """NYCRR-03: a complaint's acknowledgement names DFS with its mailing address, website and phone."""
    case = _open(agent, at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=NY), language=language, body=body)
    assert case.kind == "complaint"
    text = " ".join(_ack(case).body.split())
    for value in ("Department of Financial Services", "One Commerce Plaza, Albany, NY 12257",
                  "https://www.dfs.ny.gov", "(800) 342-3736"):  # fmt: skip
        assert value in text, value


def test_request_acknowledgement_has_no_regulator_statement_but_the_scam_warning_cry_04(agent):
    """CRY-04: every acknowledgement carries the never-ask block; NYCRR-03's statement is for complaints."""
    text = " ".join(_ack(_open(agent, at=dt.datetime(2026, 11, 23, 10, tzinfo=NY))).body.split())
    assert "Department of Financial Services" not in text
    assert "will never ask you to send funds anywhere" in text and "remote access" in text


def test_automatic_senders_are_never_acknowledged_dfs_12(agent):
    """DFS-12: an auto-reply that a channel files anyway gets no acknowledgement (no mail loops)."""
    case = _open(agent, at=dt.datetime(2026, 11, 23, 10, tzinfo=NY), sender_is_automatic=True)
    assert case.acknowledged_at is None
    assert not Message.objects.filter(case=case, purpose=Purpose.ACKNOWLEDGEMENT).exists()


def test_a_case_can_never_have_two_acknowledgements_dfs_12(agent):
    """DFS-12: one acknowledgement per case, enforced by the database (a retry cannot duplicate it)."""
    case = _open(agent, at=dt.datetime(2026, 11, 23, 10, tzinfo=NY))
    duplicate = _ack(case)
    duplicate.pk = None
    with pytest.raises(IntegrityError):
        duplicate.save()
