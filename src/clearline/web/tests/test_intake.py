"""Web intake: a form that adapts to the topic and validates per network (CRY-02), redacts pasted secrets and
says why (CRY-03), escalates an earlier request into a complaint by reference (CRY-06), and survives hostile
input without a 500 (rate limit, oversized fields, markup)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from mnemonic import Mnemonic

from clearline.cases.models import Case, CaseKind, Message, Method
from clearline.cases.services import Author, open_case

pytestmark = pytest.mark.django_db

DEPOSIT = "/contact/new/?topic=deposit_not_credited"
TX = "0x" + "7f" * 32


def _post(client: Client, url: str = DEPOSIT, **fields: str):
    data = {
        "kind": "request",
        "email": "maria@example.test",
        "name": "María",
        "body": "My deposit is missing.",
    }
    return client.post(url, {**data, **fields})


def test_topic_step_lists_topics_and_transaction_form_asks_for_crypto_fields_CRY_02(organisation) -> None:
    """CRY-02: choosing a transaction topic shows network, asset, hash, amount, addresses, memo and time."""
    client = Client()
    topics = client.get("/contact/new/").content.decode()
    assert 'value="deposit_not_credited"' in topics and 'value="account_access"' in topics
    form = client.get(DEPOSIT).content.decode()
    for field in (
        "network",
        "asset",
        "tx_hash",
        "amount",
        "from_address",
        "to_address",
        "memo",
        "occurred_at",
    ):
        assert f'name="{field}"' in form
    assert '<option value="ethereum">Ethereum (ETH, USDC, USDT, DAI)</option>' in form
    account = client.get("/contact/new/?topic=account_access").content.decode()
    assert (
        'name="account_id"' in account
        and 'name="last_login_at"' in account
        and 'name="tx_hash"' not in account
    )
    other = client.get("/contact/new/?topic=fees").content.decode()
    assert 'name="network"' not in other


def test_web_form_opens_an_acknowledged_case_with_normalised_details_CRY_02(
    organisation, django_capture_on_commit_callbacks
) -> None:
    """CRY-02, DFS-12: a valid submission opens a web_form case with normalised details and a reference."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client, network="ethereum", asset="usdc", tx_hash=TX.upper().replace("0X", "0x"), amount="25"
        )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.method == Method.WEB_FORM and case.kind == CaseKind.REQUEST
    assert case.details["tx_hash"] == TX and case.details["asset"] == "USDC"
    assert case.details["explorer_links"]["tx_hash"] == f"https://etherscan.io/tx/{TX}"
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "A person will reply by" in page
    assert case.acknowledged_at is not None
    assert [m.to for m in mail.outbox] == [["maria@example.test"]]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Sending address: expected a Bitcoin address starting with 1 or 3 (Base58Check) or bc1"),
        ("es", "Dirección de envío: se esperaba una dirección de Bitcoin que empiece por 1 o 3"),
        ("ro", "Adresa de trimitere: se aștepta o adresă Bitcoin care începe cu 1 sau 3"),
    ],
)
def test_invalid_address_is_shown_next_to_its_field_in_the_visitors_language_CRY_02(
    organisation, language: str, message: str
) -> None:
    """CRY-02: the error names the field and the expected format in the visitor's language; input is kept."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = _post(
        client,
        network="bitcoin",
        from_address="0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        body="Mi depósito no llegó",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert (
        'id="f-from_address" name="from_address" value="0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"' in page
    )
    assert 'aria-invalid="true" aria-describedby="intake-error"' in page
    assert Case.objects.count() == 0


def test_pasted_recovery_phrase_is_removed_and_the_visitor_told_why_CRY_03(organisation) -> None:
    """CRY-03: a seed phrase pasted in the form never reaches storage; the confirmation says why."""
    phrase = Mnemonic("english").generate(strength=128)
    client = Client()
    response = _post(client, network="ethereum", body=f"Please help, my words are {phrase} thanks")
    page = client.get(response["Location"]).content.decode()
    assert "We removed it before saving your message" in page
    stored = Message.objects.filter(case__isnull=False).values_list("body", flat=True)
    assert all(phrase not in body for body in stored)


def test_complaint_against_an_earlier_reference_links_it_and_is_acknowledged_CRY_06(
    organisation, django_capture_on_commit_callbacks
) -> None:
    """CRY-06: a visitor escalates an earlier request into a complaint by its reference, from the web form."""
    earlier = open_case(
        by=Author.system(),
        customer_email="maria@example.test",
        subject="Withdrawal",
        body="Where is my withdrawal?",
        topic="withdrawal_delayed",
        method="email",
    )
    mail.outbox.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            url="/contact/new/?topic=withdrawal_delayed",
            kind="complaint",
            related_reference=earlier.reference.lower(),
            email="Maria@Example.test",
            network="",
        )
    assert response.status_code == 302
    complaint = Case.objects.exclude(pk=earlier.pk).get()
    assert complaint.kind == CaseKind.COMPLAINT and complaint.related_case == earlier
    assert earlier.reference in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1 and complaint.reference in mail.outbox[0].subject + mail.outbox[0].body


def test_someone_elses_reference_is_not_linked_and_not_revealed_CRY_06(organisation) -> None:
    """CRY-06: a reference of another customer is kept as text on the new case, never linked or confirmed."""
    foreign = open_case(
        by=Author.system(),
        customer_email="other@example.test",
        subject="Fees",
        body="Fee question",
        topic="fees",
        method="email",
    )
    client = Client()
    response = _post(
        client, url="/contact/new/?topic=fees", kind="complaint", related_reference=foreign.reference
    )
    assert response.status_code == 302
    complaint = Case.objects.exclude(pk=foreign.pk).get()
    assert complaint.related_case is None
    assert f"(Earlier reference given: {foreign.reference})" in complaint.messages.first().body


def test_hostile_input_gets_messages_never_a_500_and_no_markup_is_stored(organisation) -> None:
    """CRY-02: script tags, oversized fields, bad hashes and a missing email get a 400 with a message."""
    client = Client()
    cases = [
        {"email": "not-an-email"},
        {"network": "ethereum", "tx_hash": "<script>alert(1)</script>"},
        {"network": "solana", "amount": "1e999999"},
        {"network": "x" * 5000},
        {"body": ""},
    ]
    for fields in cases:
        response = _post(client, **fields)
        assert response.status_code == 400, fields
        assert b'role="alert"' in response.content
        assert b"<script>alert(1)</script>" not in response.content
    response = _post(client, network="ethereum", body="<script>alert('x')</script>" + "a" * 50_000)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    assert len(Case.objects.get().messages.first().body) <= 20_000


def test_a_flood_from_one_address_is_rate_limited(organisation) -> None:
    """A hundred submissions a minute from one address: after five in ten minutes, 429 with a message."""
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [_post(client, network="ethereum").status_code for _ in range(8)]
    assert statuses == [302] * 5 + [429] * 3
    assert Case.objects.count() == 5
    assert Client(REMOTE_ADDR="203.0.113.10").get(DEPOSIT).status_code == 200
