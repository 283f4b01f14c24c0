"""CRY-02: structured intake per topic, stored normalised with explorer links; errors in the customer's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from clearline.cases.services import Author, open_case
from clearline.core.errors import DomainError
from clearline.crypto.details import clean_details
from clearline.crypto.models import Network

pytestmark = pytest.mark.django_db

TX = "0x" + "ab" * 32
TO = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


def test_transaction_topic_details_are_stored_normalised_with_explorer_links(agent) -> None:
    """CRY-02: a deposit case on Ethereum stores the checksummed address, lower-case hash and explorer links."""
    case = open_case(
        by=Author.of_staff(agent),
        customer_email="ana@example.test",
        subject="Deposit missing",
        body="My USDC deposit has not arrived.",
        topic="deposit_not_credited",
        method="web_form",
        details={
            "network": "ethereum",
            "asset": "usdc",
            "tx_hash": TX.upper().replace("0X", "0x"),
            "to_address": TO.lower(),
            "amount": "1,250.50",
            "occurred_at": "2026-11-20T14:05",
        },
    )
    case.refresh_from_db()
    assert case.details == {
        "network": "ethereum",
        "asset": "USDC",
        "tx_hash": TX,
        "to_address": TO,
        "amount": "1250.5",
        "occurred_at": "2026-11-20T14:05",
        "explorer_links": {
            "tx_hash": f"https://etherscan.io/tx/{TX}",
            "to_address": f"https://etherscan.io/address/{TO}",
        },
    }


@pytest.mark.parametrize(
    ("language", "fragment"),
    [
        ("en", "Transaction hash: expected 0x followed by 64 hexadecimal characters."),
        ("es", "Hash de la transacción: se esperaba 0x seguido de 64 caracteres hexadecimales."),
        ("ro", "Hash-ul tranzacției: se aștepta 0x urmat de 64 de caractere hexazecimale."),
    ],
)
def test_invalid_hash_is_refused_naming_field_and_format_in_the_customers_language(
    language: str, fragment: str
) -> None:
    """CRY-02: the error names the field and the expected format, translated."""
    with translation.override(language), pytest.raises(DomainError) as refused:
        clean_details("transaction", {"network": "ethereum", "tx_hash": "abc123"})
    assert str(refused.value) == fragment
    assert refused.value.field == "details.tx_hash"


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"network": "dogecoin-classic"}, "details.network"),
        ({"tx_hash": "ab" * 32}, "details.network"),  # a hash means nothing without its network
        ({"network": "bitcoin", "asset": "ETH"}, "details.asset"),
        ({"network": "bitcoin", "from_address": TO}, "details.from_address"),
        ({"network": "xrp", "memo": "tag 12"}, "details.memo"),
        ({"network": "ethereum", "memo": "12"}, "details.memo"),
        ({"network": "ethereum", "amount": "-3"}, "details.amount"),
        ({"network": "ethereum", "amount": "NaN"}, "details.amount"),
        ({"network": "ethereum", "occurred_at": "yesterday"}, "details.occurred_at"),
        ({"network": "ethereum", "occurred_at": "2999-01-01T00:00:00+00:00"}, "details.occurred_at"),
        ({"network": "ethereum", "seed": "x"}, "details.seed"),
        ({"network": "ethereum", "to_address": ["list"]}, "details.to_address"),
        ({"network": "ethereum", "to_address": "0x" + "1" * 500}, "details.to_address"),
    ],
)
def test_bad_details_are_refused_with_the_field(details: dict[str, object], field: str) -> None:
    """CRY-02: wrong network, asset, address, memo, amount, time or unknown fields are refused by field."""
    with pytest.raises(DomainError) as refused:
        clean_details("transaction", details)
    assert refused.value.field == field


def test_account_topics_ask_for_account_id_and_last_sign_in() -> None:
    """CRY-02: account topics take the account id and the last successful sign-in, nothing else."""
    assert clean_details(
        "account", {"account_id": " U-1234 ", "last_login_at": "2026-11-01T08:00:00-05:00"}
    ) == {
        "account_id": "U-1234",
        "last_login_at": "2026-11-01T13:00+00:00",
    }
    with pytest.raises(DomainError):
        clean_details("account", {"network": "bitcoin"})
    assert clean_details("", {}) == {}


def test_explorer_links_follow_the_networks_configuration() -> None:
    """CRY-02: explorer links are configuration per network; none configured, none stored."""
    Network.objects.filter(key="bitcoin").update(
        explorer_tx_url="https://explorer.example/tx/{value}", explorer_address_url=""
    )
    cleaned = clean_details(
        "transaction",
        {"network": "bitcoin", "tx_hash": "AB" * 32, "to_address": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
    )
    assert cleaned["explorer_links"] == {"tx_hash": "https://explorer.example/tx/" + "ab" * 32}
    Network.objects.filter(key="bitcoin").update(is_active=False)
    with pytest.raises(DomainError):
        clean_details("transaction", {"network": "bitcoin"})


def test_secrets_in_free_text_details_are_redacted() -> None:
    """CRY-03: text fields of the structured intake pass the same redaction as messages."""
    key = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"  # the WIF example key from the Bitcoin wiki
    cleaned = clean_details("account", {"account_id": f"my key {key}"})
    assert key not in cleaned["account_id"]
