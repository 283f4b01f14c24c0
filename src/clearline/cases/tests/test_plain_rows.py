"""The plain inserts and selects intake uses (``core.rows``) store and read exactly what the ORM would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearline.accounts.models import Customer
from clearline.audit.models import AuditEvent
from clearline.cases.models import Case, ClassificationChange, Message
from clearline.cases.services import Author, open_case
from clearline.cases.services.intake import CUSTOMER_BY_EMAIL
from clearline.channels.email.models import EmailAttachment, InboundEmail, OutboundEmail
from clearline.channels.voice.models import VoiceWebhook
from clearline.core.rows import (
    GuardedUpdate,
    GuardFailed,
    _stored_as_held,
    fetch_rows,
    insert_chain,
    insert_rows,
    insert_unless_conflict,
    row_and_parents,
    row_by_key,
    update_by_key,
)

WRITTEN_PLAINLY: list[type[Model]] = [
    Case,
    Message,
    ClassificationChange,
    AuditEvent,
    Customer,
    InboundEmail,
    EmailAttachment,
    OutboundEmail,
    VoiceWebhook,
]


def _fields(obj: Model) -> dict[str, object]:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def test_no_save_signal_receivers_exist_for_the_models_written_with_plain_inserts():
    """Plain inserts send no save signals and call no save(): a receiver or override added later would be
    skipped silently, so this fails first."""
    for model in WRITTEN_PLAINLY:
        assert "save" not in model.__dict__, f"{model.__name__} overrides save()"
        for signal in (pre_save, post_save):
            assert not signal.has_listeners(model), f"{signal} has a receiver for {model.__name__}"


@pytest.mark.parametrize("model", WRITTEN_PLAINLY, ids=lambda model: model.__name__)
def test_values_stored_as_held_are_exactly_what_django_would_store(model, db):
    """The insert skips a field's conversions only where Django's would return the value unchanged."""
    samples = {str: ["", "CL-7KQ2M9XA", "café ✓"], bool: [True, False], type(None): [None]}
    skipped = 0
    for field in model._meta.local_concrete_fields:
        for value_type in _stored_as_held(field):
            for value in samples[value_type]:
                obj = model()
                setattr(obj, field.attname, value)
                assert field.get_db_prep_save(field.pre_save(obj, True), connection) is value, field
                skipped += 1
    assert skipped  # every model here has text fields


def test_a_case_opened_through_plain_inserts_reads_back_identical_through_the_orm_dfs_12(agent):
    """DFS-12: the case, its two messages, its classification row and its audit event are stored whole."""
    case = open_case(
        by=Author.of_staff(agent),
        customer_email="Plain.Rows@Customer.test",
        subject="Deposit missing",
        body="My 0.1 BTC deposit is not credited after 6 confirmations. This is unacceptable, I complain.",
        topic="deposit_not_credited",
        method="email",
    )
    stored = Case.objects.get(pk=case.pk)
    assert _fields(stored) == _fields(case)
    assert stored.received_at.tzinfo is not None and stored.first_response_due_at is not None
    messages = list(Message.objects.filter(case=stored).order_by("pk"))
    assert [m.purpose for m in messages] == ["customer_message", "acknowledgement"]
    assert messages[0].complaint_rules and stored.kind == "complaint"
    assert _fields(messages[0]) == _fields(case.opening_message)  # lists (JSON) and times included
    change = ClassificationChange.objects.get(case=stored)
    assert change.reason == "dissatisfaction detected" and change.changed_by == agent
    event = AuditEvent.objects.get(stream=f"case:{case.reference}")
    assert event.seq == 1 and event.data["topic"] == "deposit_not_credited"
    assert stored.customer.email == "plain.rows@customer.test"


def test_insert_rows_sets_keys_in_order_and_refuses_rows_that_already_have_one(db):
    customers = [Customer(email=f"row{n}@customer.test") for n in range(3)]
    insert_rows(customers)
    assert [c.pk for c in customers] == sorted(c.pk for c in customers)
    assert all(not c._state.adding for c in customers)
    by_key = {c.pk: c.email for c in Customer.objects.filter(pk__in=[c.pk for c in customers])}
    assert by_key == {c.pk: c.email for c in customers}
    assert all(c.created_at is not None for c in customers)  # auto_now_add applied as save() applies it
    with pytest.raises(ValueError, match="unsaved"):
        insert_rows([customers[0]])


def test_row_by_key_reads_what_the_orm_reads_and_refuses_a_missing_key(db):
    customer = Customer(email="by.key@customer.test", name="Ana Pérez", phone="+12125550199")
    insert_rows([customer])
    read = row_by_key(Customer, customer.pk)
    assert _fields(read) == _fields(Customer.objects.get(pk=customer.pk))
    assert not read._state.adding
    with pytest.raises(Customer.DoesNotExist):
        row_by_key(Customer, customer.pk + 1000)


def test_row_and_parents_reads_in_one_select_what_select_related_reads(agent, django_assert_num_queries):
    """The delivery of every acknowledgement and reply reads its message, case and customer this way."""
    case = _open(agent, "parents@customer.test")
    Customer.objects.filter(pk=case.customer_id).update(name="Ana Pérez")
    acknowledgement = Message.objects.get(case=case, purpose="acknowledgement")
    with django_assert_num_queries(1):
        read = row_and_parents(Message, acknowledgement.pk, ("case", "customer"))
        customer = read.case.customer
    orm = Message.objects.select_related("case__customer").get(pk=acknowledgement.pk)
    assert _fields(read) == _fields(orm)
    assert _fields(read.case) == _fields(orm.case)
    assert _fields(customer) == _fields(orm.case.customer) and customer.name == "Ana Pérez"
    assert not read._state.adding and not read.case._state.adding
    with pytest.raises(Message.DoesNotExist):
        row_and_parents(Message, acknowledgement.pk + 1000, ("case", "customer"))
    with pytest.raises(ValueError, match="required foreign key"):
        row_and_parents(Case, case.pk, ("assignee",))  # may be empty: not joined


def test_update_by_key_stores_what_update_stores(agent):
    case = _open(agent, "update@customer.test")
    first, second = Message.objects.filter(case=case).order_by("pk")
    when = timezone.now() - timedelta(minutes=3)
    values = {"delivery_status": "sent", "delivered_at": when, "delivery_error": "über 4xx"}
    assert update_by_key(Message, first.pk, **values) == 1
    Message.objects.filter(pk=second.pk).update(**values)
    plain, orm = Message.objects.get(pk=first.pk), Message.objects.get(pk=second.pk)
    assert [getattr(plain, name) for name in values] == [getattr(orm, name) for name in values]
    assert plain.delivered_at == when
    assert update_by_key(Message, second.pk + 1000, **values) == 0
    # A guard (the filing of an inbound email) and a row given for a foreign key, as update() takes them.
    assert update_by_key(Message, first.pk, only_if={"delivery_status": "pending"}, delivery_error="") == 0
    assert update_by_key(Message, first.pk, only_if={"delivery_status": "sent"}, case=case) == 1
    assert Message.objects.get(pk=first.pk).case_id == case.pk


def test_insert_unless_conflict_writes_nothing_for_an_address_already_known_in_any_case(db):
    first = Customer(email="twice@customer.test")
    assert insert_unless_conflict(first) is True
    again = Customer(email="TWICE@customer.test".lower())
    assert insert_unless_conflict(again) is False
    assert again.pk is None
    assert Customer.objects.filter(email__iexact="twice@customer.test").count() == 1
    # Callers known by phone only have no address: the partial unique index lets them all in.
    assert insert_unless_conflict(Customer(email="", phone="+12125550100")) is True
    assert insert_unless_conflict(Customer(email="", phone="+12125550101")) is True


def test_fetch_rows_converts_values_as_the_orm_does(db):
    customer = Customer.objects.create(email="fetch@customer.test", name="Ana", segment="institutional")
    Customer.objects.filter(pk=customer.pk).update(created_at=timezone.now() - timedelta(days=3))
    (fetched,) = fetch_rows(Customer, CUSTOMER_BY_EMAIL, ["fetch@customer.test"])
    assert _fields(fetched) == _fields(Customer.objects.get(pk=customer.pk))
    assert fetched.created_at.tzinfo is not None and not fetched._state.adding
    assert fetched._state.db == connection.alias
    assert fetch_rows(Customer, CUSTOMER_BY_EMAIL, ["nobody@customer.test"]) == []


def _open(agent, email: str = "ref@customer.test") -> Case:
    return open_case(
        by=Author.of_staff(agent),
        customer_email=email,
        subject="Withdrawal pending",
        body="My withdrawal has been pending since yesterday.",
        topic="withdrawal_delayed",
        method="email",
    )


def test_a_reference_already_taken_is_replaced_and_the_acknowledgement_names_the_new_one_dfs_12(
    agent, monkeypatch
):
    """DFS-12: a reference collision never fails an intake; the acknowledgement quotes the stored one."""
    taken = _open(agent).reference
    fresh = iter([taken, "CL-FRESH234"])
    monkeypatch.setattr("clearline.cases.services.intake.new_reference", lambda: next(fresh))

    case = _open(agent, "second@customer.test")

    assert case.reference == "CL-FRESH234" and Case.objects.filter(reference=taken).count() == 1
    acknowledgement = Message.objects.get(case=case, purpose="acknowledgement")
    assert "CL-FRESH234" in acknowledgement.body and taken not in acknowledgement.body


def test_inside_a_callers_transaction_the_case_is_written_without_a_savepoint(agent):
    """A case opened in a caller's transaction (an email filed with a note on its refused attachment): the
    case's writes join it, no savepoint."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        _open(agent)
    statements = [query["sql"].upper() for query in queries.captured_queries]
    assert not [sql for sql in statements if "SAVEPOINT" in sql]


def test_a_new_case_is_written_in_one_statement_on_postgresql_and_reads_back_whole_dfs_12(agent):
    """DFS-12: customer, case, messages, classification and audit event in one statement there, atomic
    without a transaction; one INSERT per table elsewhere. The case reads back whole."""
    _open(agent, "warm@customer.test")  # topics and templates are then remembered, as in a running server
    with CaptureQueriesContext(connection) as queries:
        case = _open(agent, "alice@customer.test")
    writes = [query["sql"].upper() for query in queries.captured_queries if "SELECT" not in query["sql"][:7]]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].startswith("WITH") and writes[0].count("INSERT INTO") == 6
    else:
        assert len(writes) == 5 and all(sql.startswith("INSERT") for sql in writes)  # messages in one
    stored = Case.objects.get(pk=case.pk)
    assert stored.customer.email == "alice@customer.test"
    assert list(stored.messages.order_by("id").values_list("purpose", flat=True)) == [
        "customer_message",
        "acknowledgement",
    ]
    assert ClassificationChange.objects.filter(case=stored).count() == 1
    assert AuditEvent.objects.filter(stream=f"case:{case.reference}", seq=1, action="case.opened").exists()


def test_a_customer_created_meanwhile_by_another_intake_is_the_one_the_case_gets(agent, monkeypatch):
    """Two first intakes of one address at once: the second's insert meets the first's customer, reads it
    and files its case there, with nothing half-written."""
    earlier = Customer.objects.create(email="alice@customer.test", segment="individual")
    monkeypatch.setattr("clearline.cases.services.intake._known_customer", lambda fields: None)

    case = _open(agent, "alice@customer.test")

    assert case.customer_id == earlier.pk and Customer.objects.count() == 1
    assert Case.objects.get(pk=case.pk).messages.count() == 2


def test_a_chain_skips_what_follows_a_skipped_row_and_fails_whole_on_a_later_conflict(agent):
    """insert_chain: a conflict on a leading row skips the rest; a conflict further on fails the chain."""
    taken = _open(agent)
    customer = Customer(email="new@customer.test", segment="individual")
    clash = Case(reference=taken.reference, topic=taken.topic, method="email", customer=customer)
    clash.received_at = timezone.now()
    note = Message(case=clash, direction="internal", author_type="system", body="never stored")
    assert insert_chain([customer, clash, note], may_conflict=2) == 1
    assert customer.pk is not None and clash.pk is None and note.pk is None
    assert not Message.objects.filter(body="never stored").exists()

    other = Case(reference="CL-OTHER234", topic=taken.topic, method="email", customer=customer)
    other.received_at = timezone.now()
    second_acknowledgement = Message(
        case=taken, direction="outbound", author_type="system", purpose="acknowledgement", body="again"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_chain([other, second_acknowledgement], may_conflict=1)
    assert not Case.objects.filter(reference="CL-OTHER234").exists()


def test_a_guarded_update_files_its_row_with_the_chain_once_and_a_second_attempt_writes_nothing(agent):
    """insert_chain(then=...): the stored email takes the keys of the rows written with it while it is still
    unfiled; once filed, GuardFailed and nothing of the chain is written (two workers filing one email).
    On PostgreSQL all of it is one statement."""
    case = _open(agent)
    inbound = InboundEmail.objects.create(
        message_key="k" * 64,
        raw="email/raw/x.eml",
        raw_sha256="0" * 64,
        raw_size=1,
        source="pipe",
        received_at=timezone.now(),
    )

    def chain(body: str) -> tuple[list[Model], GuardedUpdate]:
        note = Message(
            case=case, direction="internal", author_type="system", body=body, created_at=timezone.now()
        )
        attachment = EmailAttachment(inbound=inbound, filename="a.txt", content_type="text/plain", size=1)
        filed = {"status": "filed", "case": case, "case_message": note, "subject": body}
        return [note, attachment], GuardedUpdate(InboundEmail, inbound.pk, {"status": "received"}, filed)

    rows, then = chain("filed once")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert insert_chain(rows, then=then) == 2
    stored = InboundEmail.objects.get(pk=inbound.pk)
    assert (stored.status, stored.case_id, stored.case_message_id) == ("filed", case.pk, rows[0].pk)
    assert stored.subject == "filed once" and list(stored.attachments.all()) == [rows[1]]
    writes = [query["sql"].upper() for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].startswith("WITH") and "FOR UPDATE" in writes[0]
    else:
        assert [sql.split()[0] for sql in writes] == ["INSERT", "INSERT", "UPDATE"]

    rows, then = chain("never stored")
    with pytest.raises(GuardFailed), transaction.atomic():
        insert_chain(rows, then=then)
    assert not Message.objects.filter(body="never stored").exists()
    assert EmailAttachment.objects.filter(inbound=inbound).count() == 1
    assert InboundEmail.objects.get(pk=inbound.pk).subject == "filed once"
