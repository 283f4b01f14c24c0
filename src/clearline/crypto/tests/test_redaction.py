"""CRY-03: secrets customers paste never reach storage; ordinary crypto support text is left alone."""

from __future__ import annotations

import os
import secrets

import base58
from hypothesis import given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from clearline.crypto.redaction import (
    REDACTION_MARKERS,
    SecretKind,
    _may_hold_phrase,
    _phrase_runs,
    redact_secrets,
)

OFFICIAL = ["english", "spanish", "french", "italian", "portuguese", "czech", "korean"]

ORDINARY = [
    "My BTC withdrawal has been pending since Monday, txid 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b.",
    "Sent 0.5 ETH, tx hash 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060, not credited yet.",
    "Deposit address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq and legacy 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.",
    "My ETH address is 0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe, please whitelist it.",
    "Solana address 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV to TRON TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf.",
    "My xpub is xpub6CUGRUonZSQ4TWtTMmzXdrXDtypWKiKrhko4egpiMZbpiaQL2jkwSB1icqYh2cfDfVxdx4df189oLKnC5fSwqPfgyP3hooxujYzAu3fDVmz",
    "Call me on +1 212 555 0100, order 1234567890123, amount 1,234.56 USDC on 2026-03-01.",
    "I am really frustrated: the withdrawal of 2 BTC is on hold for three weeks and nobody answers my emails.",
    "Hola, envié 100 USDT por la red TRC20 y no aparecen en mi cuenta. ¿Pueden revisarlo, por favor?",
    "Bună ziua, am depus 0,05 BTC acum trei ore și nu apar în sold. Vă rog să verificați tranzacția.",
    "Please help me recover access: I lost my phone with the authenticator and the backup codes were on it.",
    "My memo/tag for XRP was 104857 and the destination rAHb5qDLHwVZ1eUdE7rsuVQ3kLDHuhnVKP.",
    "The quick answer you gave about staking rewards was wrong again, I want a real person to look at this.",
]


def test_checksum_valid_phrases_in_every_official_list_are_redacted_cry_03():
    """CRY-03: checksum valid phrases in every official list are redacted."""
    for language in OFFICIAL:
        for strength in (128, 160, 192, 224, 256):
            phrase = Mnemonic(language).generate(strength)
            numbered = "\n".join(f"{n}. {word}" for n, word in enumerate(phrase.split(), start=1))
            for text in (f"my words are {phrase} help", numbered, phrase.replace(" ", ", ")):
                result = redact_secrets(text)
                assert result.kinds == {SecretKind.MNEMONIC}, (language, text)
                assert REDACTION_MARKERS[SecretKind.MNEMONIC] in result.text
                assert " ".join(phrase.split()[4:7]) not in result.text


def test_phrase_with_a_mistyped_word_is_still_redacted_cry_03():
    """CRY-03: phrase with a mistyped word is still redacted."""
    words = Mnemonic("english").generate(128).split()
    words[-1] = "zoo" if words[-1] != "zoo" else "abandon"
    result = redact_secrets("Here you go: " + " ".join(words))
    assert result.text == "Here you go: " + REDACTION_MARKERS[SecretKind.MNEMONIC]


def test_private_keys_are_redacted_in_every_format_cry_03():
    """CRY-03: private keys are redacted in every format."""
    wif = base58.b58encode_check(b"\x80" + os.urandom(32) + b"\x01").decode()
    testnet_wif = base58.b58encode_check(b"\xef" + os.urandom(32)).decode()
    xprv = base58.b58encode_check(bytes.fromhex("0488ade4") + os.urandom(74)).decode()
    hex_key = secrets.token_hex(32)
    for text in (
        f"WIF {wif}",
        f"testnet {testnet_wif}",
        f"backup {xprv}",
        f"my private key is {hex_key}",
        f"mi clave privada: 0x{hex_key}",
        f"cheia privată {hex_key}",
    ):
        result = redact_secrets(text)
        assert result.kinds == {SecretKind.PRIVATE_KEY}, text
        assert REDACTION_MARKERS[SecretKind.PRIVATE_KEY] in result.text


def test_card_numbers_are_redacted_cry_03():
    """CRY-03: card numbers are redacted."""
    for number in ("4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "6011111111111117"):
        result = redact_secrets(f"card {number} exp 12/28")
        assert result.text == f"card {REDACTION_MARKERS[SecretKind.CARD_NUMBER]} exp 12/28"


def test_a_message_id_is_not_a_card_number_cry_03():
    """CRY-03: Python's make_msgid puts a random 64-bit number after a dot; one that passes Luhn is not a card
    (it made stored originals of bounces differ from what was received, a few times in a hundred)."""
    text = "Message-ID: <176451234567.12345.4111111111111111110@customer.test>"
    assert redact_secrets(text).text == text
    assert redact_secrets("card 4111111111111111.").kinds == {SecretKind.CARD_NUMBER}


def test_ordinary_support_text_has_no_false_redactions_cry_03():
    """CRY-03: ordinary support text has no false redactions."""
    for text in ORDINARY:
        assert redact_secrets(text).text == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_redaction_never_raises_and_is_idempotent_cry_03(text):
    """CRY-03: redaction never raises and is idempotent."""
    once = redact_secrets(text).text
    assert redact_secrets(once).text == once


@settings(max_examples=100, deadline=None)
@given(
    entropy=st.binary(min_size=16, max_size=32).filter(lambda b: len(b) % 4 == 0),
    language=st.sampled_from(OFFICIAL),
    before=st.sampled_from(ORDINARY),
    after=st.sampled_from(ORDINARY),
)
def test_any_generated_phrase_between_ordinary_sentences_is_removed_and_the_rest_kept_cry_03(
    entropy, language, before, after
):
    """CRY-03: any generated phrase between ordinary sentences is removed and the rest kept."""
    phrase = Mnemonic(language).to_mnemonic(entropy)
    result = redact_secrets(f"{before}\n{phrase}\n{after}")
    # Neighbouring prose words that happen to be list words ("this", "deposit address") may go with the
    # phrase; no three words of the phrase may stay together, and the text around it is kept.
    words = phrase.split()
    assert REDACTION_MARKERS[SecretKind.MNEMONIC] in result.text
    assert all(" ".join(words[n : n + 3]) not in result.text for n in range(len(words) - 2))
    assert result.text.startswith(before[:40]) and result.text.endswith(after[-40:])


_LIST_WORDS = [*Mnemonic("english").wordlist[:40], *Mnemonic("spanish").wordlist[:40], "ÁBACO", "Abandon"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*_LIST_WORDS, "bitcoin", "txid", "zzz"]),
            st.sampled_from([" ", ", ", "\n", " 3. ", " - ", "; ", "!! ", " 12) "]),
        ),
        max_size=40,
    )
)
def test_the_quick_pass_lets_every_phrase_through_to_the_full_scan_cry_03(tokens):
    """CRY-03: the cheap pass that spares most messages the full scan never hides a run the scan redacts."""
    text = "".join(word + gap for word, gap in tokens)
    if _phrase_runs(text):
        assert _may_hold_phrase(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=32, max_size=32))
def test_transaction_hashes_are_never_redacted_cry_03(digest):
    """CRY-03: transaction hashes are never redacted."""
    for text in (f"txid: {digest.hex()}", f"tx hash 0x{digest.hex()}", f"hash de transacción {digest.hex()}"):
        assert redact_secrets(text).text == text


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=10**14, max_value=10**15 - 1))
def test_luhn_valid_visa_numbers_are_redacted_cry_03(body):
    """CRY-03: luhn valid visa numbers are redacted."""
    digits = "4" + str(body)
    check = next(d for d in "0123456789" if _luhn(digits + d))
    assert redact_secrets(f"pay with {digits}{check}").kinds == {SecretKind.CARD_NUMBER}


def _luhn(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def test_a_phrase_whose_first_word_is_also_in_the_previous_sentences_list_is_redacted_cry_03():
    """CRY-03: "...look at this. effort abaisser..." - "effort" is English and French; the English run of
    the sentence must not keep it from the French phrase (found by the property test above)."""
    phrase = Mnemonic("french").to_mnemonic(b"N\xe0" + bytes(14))
    result = redact_secrets(f"{ORDINARY[-1]}\n{phrase} {ORDINARY[0]}")
    assert "abaisser" not in result.text and "effort" not in result.text
    assert result.text.startswith("The quick answer") and ORDINARY[0] in result.text
