"""DFS-23: the daily reconciliation of inbound contacts against cases finds every orphan, or none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from clearline.audit.models import AuditEvent
from clearline.cases import services as case_services
from clearline.channels.email import services as email_services
from clearline.channels.email.models import InboundEmail
from clearline.compliance.models import ContactReconciliation
from clearline.compliance.reconciliation import reconcile_inbound_contacts

pytestmark = pytest.mark.django_db


def _mail(n: int, sender: str = "alice@customer.test") -> bytes:
    return (
        f"From: {sender}\r\nTo: support@example.com\r\nSubject: Deposit {n}\r\n"
        f"Message-ID: <r{n}@customer.test>\r\n\r\n"
        "My deposit has not been credited after two hours, please check it for me.\r\n"
    ).encode()


def test_every_inbound_email_on_a_case_or_in_quarantine_reconciles_with_zero_orphans_dfs_23(organisation):
    """DFS-23: filed and quarantined contacts both count as accounted for."""
    email_services.ingest_email(_mail(1), source="pipe")
    email_services.ingest_email(b"Subject: nobody\r\n\r\nno sender\r\n", source="pipe")

    result = reconcile_inbound_contacts(timezone.localdate())

    assert (result.contacts, result.on_cases, result.quarantined, result.orphans) == (2, 1, 1, [])
    assert AuditEvent.objects.filter(action="contacts.reconciled").count() == 1
    call_command("compliance", "reconcile", "--day", timezone.localdate().isoformat())


def test_a_stuck_message_and_an_email_case_without_its_original_are_orphans_and_alert_dfs_23(
    organisation, agent
):
    """DFS-23 / DFS-25: a stored message never filed, and an email case with no stored original."""
    stuck = email_services.record_inbound_email(_mail(2), source="imap")
    InboundEmail.objects.filter(pk=stuck.pk).update(received_at=timezone.now() - timedelta(hours=2))
    typed_in = case_services.open_case(
        by=case_services.Author.of_staff(agent),
        customer_email="bob@customer.test",
        subject="Forwarded by a colleague",
        body="The customer says his withdrawal is stuck since yesterday.",
        topic="withdrawal_delayed",
        method="email",
    )
    day = timezone.localdate(stuck.received_at - timedelta(hours=2))

    results = [reconcile_inbound_contacts(d) for d in {day, timezone.localdate()}]

    orphans = [orphan for result in results for orphan in result.orphans]
    assert {(o["record"], o["reason"]) for o in orphans} == {
        ("email", "not processed"),
        ("case", "email case without its stored original"),
    }
    assert typed_in.reference in {o.get("reference") for o in orphans}
    assert AuditEvent.objects.filter(action="contacts.orphans_found").exists()
    with pytest.raises(CommandError, match="belong to no case"):
        call_command("compliance", "reconcile", "--day", timezone.localdate().isoformat())
    assert ContactReconciliation.objects.count() == len(results)
