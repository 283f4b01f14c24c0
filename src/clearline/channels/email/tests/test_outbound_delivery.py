"""Outbound delivery of case messages that no retry could send: a subject typed with line breaks goes out on
one line, and a message the mail library refuses is marked failed instead of staying pending for ever."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core import mail
from django.test import override_settings

from clearline.cases import services as case_services
from clearline.cases.models import Case, DeliveryStatus, Message, Purpose
from clearline.cases.tasks import deliver_message
from clearline.channels.email import outbound

pytestmark = pytest.mark.django_db

BROKEN_SUBJECT = "Withdrawal pending\r\nsince Monday\nplease help"


def _open_case(agent, *, subject: str = BROKEN_SUBJECT) -> Case:
    return case_services.open_case(
        by=case_services.Author.of_staff(agent),
        customer_email="alice@customer.test",
        subject=subject,
        body="My withdrawal of 0.5 BTC has been pending for three days.",
        topic="withdrawal_delayed",
        method="email",
    )


def test_a_subject_with_line_breaks_is_sent_on_one_line(committed, organisation, agent, smtp_sink):
    """The case subject keeps the customer's line breaks; the mail's Subject header is one folded line."""
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_sink.port,
    ):
        with committed():
            case = _open_case(agent)
        assert "\n" in case.subject  # intake keeps it: the fix belongs to outbound
        with committed():
            reply = case_services.add_message(
                case, by=case_services.Author.of_staff(agent), body="It is on its way."
            )

    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT and reply.delivery_error == ""
    assert len(smtp_sink.received) == 2  # the acknowledgement and the agent's reply
    _sender, recipients, data = smtp_sink.received[1]
    assert recipients == ["alice@customer.test"]
    sent = email.message_from_bytes(data, policy=policy.compat32)
    assert sent["Subject"] == f"[{case.reference}] Withdrawal pending since Monday please help"
    [subject_line] = [line for line in data.split(b"\r\n") if line.lower().startswith(b"subject:")]
    assert subject_line == f"Subject: {sent['Subject']}".encode()  # one physical line, not folded
    assert b"since Monday\r\nplease" not in data


def test_a_message_the_mail_library_refuses_is_marked_failed_not_left_pending(
    committed, organisation, agent, monkeypatch
):
    """A ValueError while building or sending (Django's BadHeaderError is one) fails on every attempt: the
    delivery is recorded as failed with the error, not retried for ever and left pending."""
    with committed():
        case = _open_case(agent, subject="Withdrawal pending")
    acknowledgement = Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)
    assert acknowledgement.delivery_status == DeliveryStatus.SENT

    def refuse(self, *args, **kwargs):
        raise ValueError("Header values can't contain newlines")

    monkeypatch.setattr(outbound.SignedEmailMessage, "send", refuse)
    sent_before = len(mail.outbox)
    with committed():
        reply = case_services.add_message(case, by=case_services.Author.of_staff(agent), body="On its way.")

    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert "ValueError" in reply.delivery_error and "newlines" in reply.delivery_error
    assert reply.delivered_at is None and len(mail.outbox) == sent_before

    deliver_message.call_local(reply.pk)  # a later run (a retry queued earlier) does not try again
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.FAILED and len(mail.outbox) == sent_before
