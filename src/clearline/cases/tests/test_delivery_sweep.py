"""DFS-12: an acknowledgement whose delivery job was lost (Redis restarted, retries spent while the mail
system was down) still goes out; one that cannot go out for two days is marked failed for staff to see."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from clearline.cases import services
from clearline.cases.models import DeliveryStatus, Message, Purpose

pytestmark = pytest.mark.django_db
OPENED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _open_without_its_delivery_job(agent, email: str) -> Message:
    """open_case queues the delivery after commit; pytest-django's transaction never commits, so the job is
    never queued: as if Redis had lost it."""
    with time_machine.travel(OPENED, tick=False):
        case = services.open_case(
            by=services.Author.of_staff(agent),
            customer_email=email,
            subject="Deposit",
            body="Where is my deposit of 0.2 ETH? Thanks.",
            topic="deposit_not_credited",
            method="email",
        )
    return Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)


def test_an_acknowledgement_whose_job_was_lost_goes_out_at_the_next_sweep_dfs_12(agent):
    acknowledgement = _open_without_its_delivery_job(agent, "dan@customer.test")
    assert acknowledgement.delivery_status == DeliveryStatus.PENDING and mail.outbox == []

    with time_machine.travel(OPENED + dt.timedelta(minutes=5), tick=False):  # its own retries may still run
        assert services.redeliver_stalled_messages() == (0, 0)
    with time_machine.travel(OPENED + dt.timedelta(minutes=11), tick=False):
        assert services.redeliver_stalled_messages() == (1, 0)

    acknowledgement.refresh_from_db()
    assert acknowledgement.delivery_status == DeliveryStatus.SENT
    [sent] = mail.outbox
    assert sent.to == ["dan@customer.test"] and acknowledgement.case.reference in sent.subject
    with time_machine.travel(OPENED + dt.timedelta(minutes=21), tick=False):
        assert services.redeliver_stalled_messages() == (0, 0)  # sent once


def test_a_message_pending_for_two_days_is_marked_failed_with_its_last_error_dfs_12(agent):
    acknowledgement = _open_without_its_delivery_job(agent, "erin@customer.test")
    Message.objects.filter(pk=acknowledgement.pk).update(delivery_error="Connection refused")

    with time_machine.travel(OPENED + dt.timedelta(days=2, minutes=1), tick=False):
        assert services.redeliver_stalled_messages() == (0, 1)

    acknowledgement.refresh_from_db()
    assert acknowledgement.delivery_status == DeliveryStatus.FAILED and mail.outbox == []
    assert acknowledgement.delivery_error == "Not delivered within 2 days. Connection refused"
