"""The case engine: intake, acknowledgement, clocks, classification, resolution, amendments."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from mnemonic import Mnemonic

from clearline.accounts.models import Customer, Role
from clearline.audit.models import AuditEvent
from clearline.cases import services
from clearline.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    ClassificationChange,
    DeliveryStatus,
    Message,
    Purpose,
    Resolution,
    TimestampAmendment,
    Visibility,
)
from clearline.cases.services.intake import CUSTOMER_BY_EMAIL, customer_with_email
from clearline.core.errors import DomainError, PermissionDenied
from clearline.core.references import REFERENCE_PATTERN

pytestmark = pytest.mark.django_db
NEW_YORK = dt.timezone(dt.timedelta(hours=-5))


def open_sample(agent, **overrides):
    fields = {
        "customer_email": "Bob@Customer.test",
        "subject": "Withdrawal pending",
        "body": "My BTC withdrawal has been pending since yesterday. Can you check the status please?",
        "topic": "withdrawal_delayed",
        "method": "web_form",
        "customer_segment": "individual",
    }
    fields.update(overrides)
    return services.open_case(by=services.Author.of_staff(agent), **fields)


def test_open_case_stores_case_message_and_acknowledges_at_once_dfs_12(
    agent, django_capture_on_commit_callbacks
):
    """DFS-12: open case stores case message and acknowledges at once."""
    # given a request arriving on a Saturday night (any hour)
    with time_machine.travel(dt.datetime(2026, 3, 7, 23, 59, tzinfo=NEW_YORK), tick=False):
        # when it is opened
        with django_capture_on_commit_callbacks(execute=True):
            case = open_sample(agent)
    # then it has a reference, is acknowledged in the same instant and the acknowledgement is delivered
    assert REFERENCE_PATTERN.fullmatch(case.reference)
    assert case.acknowledged_at == case.received_at
    assert case.kind == CaseKind.REQUEST and case.status == CaseStatus.NEW and case.language == "en"
    assert case.customer.email == "bob@customer.test" and case.customer_segment == "individual"
    inbound, acknowledgement = Message.objects.filter(case=case).order_by("id")
    assert (inbound.direction, inbound.author_type, inbound.purpose) == (
        "inbound",
        "customer",
        "customer_message",
    )
    assert (acknowledgement.author_type, acknowledgement.purpose) == ("system", Purpose.ACKNOWLEDGEMENT)
    assert case.reference in acknowledgement.body and case.reference in acknowledgement.subject
    assert "will never ask for your seed phrase" in acknowledgement.body
    assert Message.objects.get(pk=acknowledgement.pk).delivery_status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["bob@customer.test"] and case.reference in sent.subject
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"


def test_open_case_computes_deadlines_in_business_time_from_the_policy_dfs_03_prd_02(agent):
    """DFS-03, PRD-02: the default policy's targets counted on New York support hours (09:00-17:00)."""
    # Monday 05:00 in New York, before opening; clocks go forward on Sunday 8 March.
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        case = open_sample(agent, topic="withdrawal_delayed")  # 1, 5 and 10 business days
    assert case.service_policy.name == "Default"
    assert case.first_response_due_at == dt.datetime(2026, 3, 2, 22, 0, tzinfo=dt.UTC)  # Monday 17:00 EST
    assert case.update_due_at == dt.datetime(2026, 3, 6, 22, 0, tzinfo=dt.UTC)  # Friday 17:00 EST
    assert case.resolution_due_at == dt.datetime(2026, 3, 13, 21, 0, tzinfo=dt.UTC)  # Friday 17:00 EDT
    assert case.next_due_at == case.first_response_due_at


def test_acknowledgement_is_in_the_case_language_dfs_12_prd_05(agent):
    """DFS-12, PRD-05: a Spanish message gets a Spanish acknowledgement (language detected, not given)."""
    case = open_sample(
        agent,
        subject="Retiro pendiente",
        language=None,
        body="Hola, mi retiro de USDT sigue pendiente desde ayer. ¿Pueden revisarlo, por favor?",
    )
    acknowledgement = Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)
    assert case.language == "es"
    assert acknowledgement.subject == f"[{case.reference}] Hemos recibido su solicitud"
    assert "nunca le pedirá su frase semilla" in acknowledgement.body


def test_dissatisfaction_makes_a_complaint_and_is_recorded_dfs_02(agent):
    """DFS-02: dissatisfaction makes a complaint and is recorded."""
    case = open_sample(
        agent,
        body="This is unacceptable. Three weeks and my withdrawal is still on hold. "
        "I will report you to the DFS.",
    )
    assert case.kind == CaseKind.COMPLAINT
    change = ClassificationChange.objects.get(case=case)
    assert (change.to_kind, change.is_automatic, change.reason) == (
        "complaint",
        True,
        "dissatisfaction detected",
    )
    assert Message.objects.get(case=case, purpose=Purpose.CUSTOMER_MESSAGE).complaint_rules


def test_regulator_referral_is_always_a_complaint_dfs_05(agent):
    """DFS-05: regulator referral is always a complaint."""
    case = open_sample(agent, method="regulator_dfs", kind="request", body="Referral of a customer enquiry.")
    assert case.kind == CaseKind.COMPLAINT and case.method == "regulator_dfs"


def test_unknown_topic_or_method_is_refused_with_the_field_dfs_05(agent):
    """DFS-05: unknown topic or method is refused with the field."""
    with pytest.raises(DomainError) as bad_topic:
        open_sample(agent, topic="moon_prices")
    with pytest.raises(DomainError) as bad_method:
        open_sample(agent, method="carrier_pigeon")
    assert (bad_topic.value.field, bad_method.value.field) == ("topic", "method")
    assert Case.objects.count() == 0


def test_secrets_are_redacted_before_storage_cry_03(agent):
    """CRY-03: secrets are redacted before storage."""
    phrase = Mnemonic("english").generate(strength=128)
    case = open_sample(agent, body=f"Please help, my wallet words are {phrase} and nothing shows up.")
    stored = Message.objects.get(case=case, purpose=Purpose.CUSTOMER_MESSAGE)
    assert phrase not in stored.body and phrase.split()[3] + " " + phrase.split()[4] not in stored.body
    assert stored.redacted_kinds == ["mnemonic"]
    event = AuditEvent.objects.get(stream=f"case:{case.reference}", action="case.opened")
    assert event.data["redacted"] == ["mnemonic"] and phrase not in str(event.data)


def test_open_case_writes_one_audit_event_in_the_case_stream_dfs_33(agent):
    """DFS-33: open case writes one audit event in the case stream."""
    case = open_sample(agent)
    events = list(AuditEvent.objects.filter(stream=f"case:{case.reference}").order_by("seq"))
    assert [(e.seq, e.action) for e in events] == [(1, "case.opened")]
    assert events[0].actor_type == "staff" and events[0].actor_id == str(agent.pk)


def test_only_a_human_reply_stops_the_first_response_clock_prd_02(agent):
    """PRD-02: only a human reply stops the first response clock."""
    case = open_sample(agent)
    services.add_message(case, by=services.Author.system(), body="Automatic status update.")
    case.refresh_from_db()
    assert case.first_human_response_at is None and case.next_due_at == case.first_response_due_at
    services.add_message(
        case,
        by=services.Author.of_staff(agent),
        body="Internal: checking the node.",
        visibility=Visibility.INTERNAL,
    )
    case.refresh_from_db()
    assert case.first_human_response_at is None
    reply = services.add_message(case, by=services.Author.of_staff(agent), body="We are on it.")
    case.refresh_from_db()
    assert case.first_human_response_at == reply.created_at
    assert case.last_customer_update_at == reply.created_at
    assert case.next_due_at == case.update_due_at < case.resolution_due_at and case.status == CaseStatus.OPEN


def test_customer_reply_to_waiting_case_reopens_work_and_detects_dissatisfaction_dfs_02(agent):
    """DFS-02: customer reply to waiting case reopens work and detects dissatisfaction."""
    case = open_sample(agent)
    services.add_message(
        case, by=services.Author.of_staff(agent), body="Please send a screenshot.", waiting_on_customer=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_ON_CUSTOMER
    services.add_message(
        case,
        by=services.Author.of_customer(case.customer),
        body="This is ridiculous, I already sent it twice. Terrible service.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.kind == CaseKind.COMPLAINT


def test_internal_note_is_not_delivered_and_customers_cannot_write_one(agent, customer):
    case = open_sample(agent, customer_email=customer.email)
    note = services.add_message(
        case, by=services.Author.of_staff(agent), body="VIP", visibility=Visibility.INTERNAL
    )
    assert note.delivery_status == DeliveryStatus.NOT_APPLICABLE and note.purpose == Purpose.NOTE
    with pytest.raises(DomainError):
        services.add_message(
            case, by=services.Author.of_customer(customer), body="hi", visibility=Visibility.INTERNAL
        )


def test_adverse_outcome_needs_a_sent_explanation_dfs_20(agent):
    """DFS-20: adverse outcome needs a sent explanation."""
    case = open_sample(agent)
    with pytest.raises(DomainError) as refused:
        services.resolve_case(
            case, by=agent, outcome="not_resolved", rationale="Chain reorg; funds not recoverable"
        )
    assert refused.value.field == "explanation"
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW and not Resolution.objects.filter(case=case).exists()

    resolved = services.resolve_case(
        case,
        by=agent,
        outcome="not_resolved",
        rationale="Sent to wrong network",
        explanation="The deposit was sent on a network we do not support, so ...",
    )
    explanation = resolved.explanation_message
    assert explanation is not None and explanation.purpose == Purpose.EXPLANATION
    assert (
        explanation.visibility == Visibility.PUBLIC
        and explanation.delivery_status != DeliveryStatus.NOT_APPLICABLE
    )
    assert resolved.status == CaseStatus.RESOLVED and resolved.outcome == "not_resolved"
    assert resolved.next_due_at is None
    assert AuditEvent.objects.filter(stream=f"case:{case.reference}", action="case.resolved").count() == 1


def test_resolving_requires_an_outcome_and_rationale_dfs_03(agent):
    """DFS-03: resolving requires an outcome and rationale."""
    case = open_sample(agent)
    with pytest.raises(DomainError) as no_rationale:
        services.resolve_case(case, by=agent, outcome="resolved", rationale=" ")
    with pytest.raises(DomainError) as bad_outcome:
        services.resolve_case(case, by=agent, outcome="granted", rationale="done")
    assert (no_rationale.value.field, bad_outcome.value.field) == ("rationale", "outcome")


def test_reopen_keeps_receipt_and_earlier_resolution_dfs_23(agent):
    """DFS-23: reopen keeps receipt and earlier resolution."""
    case = open_sample(agent)
    received = case.received_at
    services.resolve_case(case, by=agent, outcome="resolved", rationale="Released")
    services.reopen_case(case, by=agent, reason="Customer says funds not arrived")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.received_at == received and case.reopened_count == 1
    assert case.resolved_at is None and case.outcome == ""
    first = Resolution.objects.get(case=case)
    assert first.reopened_at is not None and first.reopen_reason == "Customer says funds not arrived"


def test_customer_writing_after_resolution_reopens_the_case(agent):
    case = open_sample(agent)
    services.resolve_case(case, by=agent, outcome="resolved", rationale="Released")
    services.add_message(
        case, by=services.Author.of_customer(case.customer), body="Still not in my wallet, unacceptable!"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.kind == CaseKind.COMPLAINT and case.reopened_count == 1


def test_reclassification_is_audited_with_actor_and_reason_dfs_02(agent):
    """DFS-02: reclassification is audited with actor and reason."""
    case = open_sample(agent)
    services.reclassify_case(
        case, by=agent, topic="transaction_failed", kind="complaint", reason="Customer is upset"
    )
    case.refresh_from_db()
    assert (case.kind, case.topic_id) == ("complaint", "transaction_failed")
    event = AuditEvent.objects.get(stream=f"case:{case.reference}", action="case.reclassified")
    assert event.actor_id == str(agent.pk)
    assert event.data == {
        "kind": ["request", "complaint"],
        "topic": ["withdrawal_delayed", "transaction_failed"],
        "reason": "Customer is upset",
        "automatic": False,
    }
    with pytest.raises(DomainError) as no_reason:
        services.reclassify_case(case, by=agent, topic="fees", reason="")
    assert no_reason.value.field == "reason"


def test_downgrading_a_complaint_needs_a_supervisor_dfs_02(agent, supervisor):
    """DFS-02: downgrading a complaint needs a supervisor."""
    case = open_sample(agent, kind="complaint")
    with pytest.raises(PermissionDenied):
        services.reclassify_case(case, by=agent, kind="request", reason="Not a complaint")
    case.refresh_from_db()
    assert case.kind == CaseKind.COMPLAINT
    assert not AuditEvent.objects.filter(stream=f"case:{case.reference}", action="case.reclassified").exists()
    services.reclassify_case(case, by=supervisor, kind="request", reason="Customer only asked for status")
    case.refresh_from_db()
    assert case.kind == CaseKind.REQUEST


def test_assignment_needs_a_current_hcsr_training_record_dfs_06(agent, make_staff):
    """DFS-06: assignment needs a current hcsr training record."""
    untrained = make_staff(Role.AGENT, trained=False)
    supervisor = make_staff(Role.SUPERVISOR)
    case = open_sample(agent)
    with pytest.raises(DomainError) as refused:
        services.assign_case(case, by=supervisor, assignee=untrained)
    assert refused.value.code == "untrained"
    case.refresh_from_db()
    assert case.assignee is None
    services.assign_case(case, by=supervisor, assignee=agent)
    case.refresh_from_db()
    assert case.assignee == agent and case.status == CaseStatus.OPEN


def test_expired_training_gets_no_assignment_dfs_06(agent, make_staff):
    """DFS-06: expired training gets no assignment."""
    from clearline.accounts.services import record_training

    lapsed = make_staff(Role.AGENT, trained=False)
    record_training(lapsed, course="HCSR", completed_on=dt.date(2024, 1, 1), expires_on=dt.date(2025, 1, 1))
    case = open_sample(agent)
    with pytest.raises(DomainError):
        services.assign_case(case, by=make_staff(Role.SUPERVISOR), assignee=lapsed)


def test_agents_assign_only_themselves(agent, make_staff):
    other = make_staff(Role.AGENT)
    case = open_sample(agent)
    with pytest.raises(DomainError):
        services.assign_case(case, by=agent, assignee=other)
    services.assign_case(case, by=agent, assignee=agent)


def test_read_only_roles_cannot_change_cases_dfs_33(agent, make_staff):
    """DFS-33: read only roles cannot change cases."""
    case = open_sample(agent)
    for role in (Role.EXAMINER, Role.COMPLIANCE):
        staff = make_staff(role, trained=False)
        with pytest.raises(PermissionDenied):
            services.add_message(case, by=services.Author.of_staff(staff), body="hello")
        with pytest.raises(PermissionDenied):
            services.resolve_case(case, by=staff, outcome="resolved", rationale="x")
    assert Message.objects.filter(case=case).count() == 2


def test_timestamps_change_only_through_audited_amendments_dfs_23(agent, supervisor):
    """DFS-23: timestamps change only through audited amendments."""
    case = open_sample(agent)
    corrected = case.received_at - dt.timedelta(hours=2)
    with pytest.raises(PermissionDenied):
        services.amend_case_timestamp(
            case, by=agent, field="received_at", value=corrected, reason="Mail server lag"
        )
    amendment = services.amend_case_timestamp(
        case, by=supervisor, field="received_at", value=corrected, reason="Mail server lag"
    )
    case.refresh_from_db()
    assert case.received_at == corrected and amendment.old_value == corrected + dt.timedelta(hours=2)
    assert TimestampAmendment.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(
        stream=f"case:{case.reference}", action="case.timestamp_amended"
    ).exists()
    with pytest.raises(DomainError):
        services.amend_case_timestamp(case, by=supervisor, field="resolved_at", value=corrected, reason="x")


def test_escalating_an_earlier_request_links_it_cry_06(agent):
    """CRY-06: escalating an earlier request links it."""
    earlier = open_sample(agent)
    complaint = open_sample(
        agent,
        kind="complaint",
        related_reference=earlier.reference,
        body="I am not happy with how my earlier request was handled.",
    )
    assert complaint.related_case == earlier and complaint.reference != earlier.reference
    assert complaint.acknowledged_at is not None
    with pytest.raises(DomainError) as unknown:
        open_sample(agent, related_reference="CL-ZZZZZZZZ")
    assert unknown.value.field == "related_reference"


def test_every_case_carries_the_customer_segment_dfs_01(agent):
    """DFS-01: the segment is snapshotted on the case so the DFS pack can keep individual customers only."""
    retail = open_sample(agent, customer_email="retail@customer.test", customer_segment="individual")
    desk = open_sample(agent, customer_email="treasury@fund.test", customer_segment="institutional")
    unknown = open_sample(agent, customer_email="who@customer.test", customer_segment=None)
    assert [c.customer_segment for c in (retail, desk, unknown)] == ["individual", "institutional", "unknown"]
    with pytest.raises(DomainError) as bad:
        open_sample(agent, customer_email="x@customer.test", customer_segment="vip")
    assert bad.value.field == "customer.segment"


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        ("en", "will never ask for your seed phrase (recovery words), private keys, passwords or 2FA codes"),
        (
            "es",
            "nunca le pedirá su frase semilla (palabras de recuperación), claves privadas, contraseñas ni "
            "códigos 2FA",
        ),
        (
            "ro",
            "nu vă va cere niciodată fraza seed (cuvintele de recuperare), cheile private, parolele sau "
            "codurile 2FA",
        ),
    ],
)
def test_every_acknowledgement_language_carries_the_scam_safety_block_cry_04(agent, language, warning):
    """CRY-04: the "we will never ask for..." block, in each served language, with the reference."""
    case = open_sample(agent, language=language)
    acknowledgement = Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)
    assert warning in " ".join(acknowledgement.body.split()) and case.reference in acknowledgement.body
    assert (
        "send funds" in acknowledgement.body
        or "fondos" in acknowledgement.body
        or "fonduri" in acknowledgement.body
    )


def test_finding_a_customer_by_email_uses_the_unique_index_not_a_scan():
    """The unique index is partial (email <> ''); a lookup that omits the condition scans every customer
    (40 ms at 100,000 customers on PostgreSQL, for each new customer at intake)."""
    Customer.objects.bulk_create(
        Customer(email=f"c{n}@customer.test", segment="individual") for n in range(300)
    )
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE accounts_customer")
        cursor.execute(f"{explain} {CUSTOMER_BY_EMAIL}", ["nobody@customer.test"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "customer_email_ci_unique" in plan, plan
    assert customer_with_email("C7@customer.test".lower()).email == "c7@customer.test"
    assert customer_with_email("nobody@customer.test") is None
