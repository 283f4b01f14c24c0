"""CRY-02: addresses, transaction hashes and memos are validated per network, checksums included.

Known vectors come from the specifications (BIP-173/350, EIP-55, SEP-23) and from well-known mainnet
accounts; property tests encode random payloads with each format's own encoder and check that the valid value
is accepted and normalised, and that a one-character typo is refused.
"""

from __future__ import annotations

import binascii
from base64 import b32encode

import base58
import bech32m
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clearline.crypto.formats import (
    AddressFormat,
    FormatError,
    eip55,
    normalise_address,
    normalise_memo,
    normalise_tx_hash,
)

F = AddressFormat

VALID_ADDRESSES = [
    (F.BITCOIN, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    (F.BITCOIN, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (F.BITCOIN, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
    (
        F.BITCOIN,
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ),
    (F.LITECOIN, "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9"),
    (F.DOGECOIN, "DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L", "DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L"),
    (F.EVM, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
    (F.EVM, "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
    (F.SOLANA, "So11111111111111111111111111111111111111112", "So11111111111111111111111111111111111111112"),
    (F.TRON, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
    (F.XRP, "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"),
    (
        F.STELLAR,
        "GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ",
        "GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ",
    ),
]

INVALID_ADDRESSES = [
    (F.BITCOIN, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),  # checksum
    (
        F.BITCOIN,
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    ),  # v1 with a bech32 checksum
    (F.BITCOIN, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3T4"),  # mixed case
    (F.BITCOIN, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),  # another network's address
    (F.BITCOIN, "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
    (F.EVM, "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),  # EIP-55 case error
    (F.EVM, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"),  # 39 digits
    (F.EVM, "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),  # no 0x
    (F.SOLANA, "So1111111111111111111111111111111111111111O"),  # O is not Base58
    (F.SOLANA, "1111111111"),
    (F.TRON, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"),
    (F.XRP, "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTj"),
    (F.STELLAR, "GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGA"),
    (F.STELLAR, "SA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ"),  # a secret seed's prefix
    (F.BITCOIN, ""),
    (F.BITCOIN, "<script>alert(1)</script>"),
]


@pytest.mark.parametrize(("address_format", "value", "normalised"), VALID_ADDRESSES)
def test_known_addresses_are_accepted_and_normalised(address_format: F, value: str, normalised: str) -> None:
    """CRY-02: specification vectors and well-known mainnet accounts pass, normalised."""
    assert normalise_address(address_format, f"  {value} ") == normalised


@pytest.mark.parametrize(("address_format", "value"), INVALID_ADDRESSES)
def test_malformed_addresses_are_refused_with_the_expected_format(address_format: F, value: str) -> None:
    """CRY-02: a checksum, case, length or network mistake is refused with the format expected."""
    with pytest.raises(FormatError) as refused:
        normalise_address(address_format, value)
    assert refused.value.expected


def _stellar(version: int, payload: bytes) -> str:
    body = bytes([version]) + payload
    return b32encode(body + binascii.crc_hqx(body, 0).to_bytes(2, "little")).decode().rstrip("=")


ENCODERS = {
    "bitcoin p2pkh": (F.BITCOIN, 20, lambda raw: base58.b58encode_check(b"\x00" + raw).decode()),
    "bitcoin p2sh": (F.BITCOIN, 20, lambda raw: base58.b58encode_check(b"\x05" + raw).decode()),
    "bitcoin p2wpkh": (F.BITCOIN, 20, lambda raw: bech32m.encode("bc", 0, raw)),
    "bitcoin p2wsh": (F.BITCOIN, 32, lambda raw: bech32m.encode("bc", 0, raw)),
    "bitcoin taproot": (F.BITCOIN, 32, lambda raw: bech32m.encode("bc", 1, raw)),
    "litecoin p2pkh": (F.LITECOIN, 20, lambda raw: base58.b58encode_check(b"\x30" + raw).decode()),
    "litecoin segwit": (F.LITECOIN, 20, lambda raw: bech32m.encode("ltc", 0, raw)),
    "dogecoin": (F.DOGECOIN, 20, lambda raw: base58.b58encode_check(b"\x1e" + raw).decode()),
    "evm": (F.EVM, 20, lambda raw: eip55(raw.hex())),
    "tron": (F.TRON, 20, lambda raw: base58.b58encode_check(b"\x41" + raw).decode()),
    "xrp": (
        F.XRP,
        20,
        lambda raw: base58.b58encode_check(b"\x00" + raw, alphabet=base58.RIPPLE_ALPHABET).decode(),
    ),
    "stellar account": (F.STELLAR, 32, lambda raw: _stellar(6 << 3, raw)),
    "stellar muxed": (F.STELLAR, 40, lambda raw: _stellar(12 << 3, raw)),
}


@pytest.mark.parametrize("kind", sorted(ENCODERS))
@given(data=st.data())
def test_generated_addresses_round_trip_and_typos_are_caught(kind: str, data: st.DataObject) -> None:
    """CRY-02: property test: any encoded payload is accepted unchanged; a one-character typo is refused."""
    address_format, size, encode = ENCODERS[kind]
    address = encode(data.draw(st.binary(min_size=size, max_size=size)))
    assert normalise_address(address_format, address) == address
    if address_format is F.EVM:  # EIP-55 lives in the letters' case: a flipped case is always caught
        letters = [i for i, c in enumerate(address) if c in "abcdefABCDEF"]
        assume(letters)
        position = data.draw(st.sampled_from(letters))
        typo = address[:position] + address[position].swapcase() + address[position + 1 :]
        assume(typo[2:] not in (typo[2:].lower(), typo[2:].upper()))  # all one case means "no checksum"
    else:
        start = address.index("1") + 1 if address.startswith(("bc1", "ltc1")) else 1
        position = data.draw(st.integers(min_value=start, max_value=len(address) - 1))
        alphabet = _alphabet(address_format, address)
        replacement = data.draw(st.sampled_from([c for c in alphabet if c != address[position]]))
        typo = address[:position] + replacement + address[position + 1 :]
    with pytest.raises(FormatError):
        normalise_address(address_format, typo)


def _alphabet(address_format: F, address: str) -> str:
    if address_format is F.STELLAR:
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    if address_format is F.XRP:
        return base58.RIPPLE_ALPHABET.decode()
    if address.startswith(("bc1", "ltc1")):
        return "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    return base58.BITCOIN_ALPHABET.decode()


@given(raw=st.binary(min_size=64, max_size=64))
def test_solana_signatures_are_base58_of_64_bytes(raw: bytes) -> None:
    """CRY-02: Solana transaction signatures are Base58 encodings of 64 bytes."""
    signature = base58.b58encode(raw).decode()
    if len(signature) >= 86:  # signatures with many leading zero bytes are shorter; no real one is
        assert normalise_tx_hash(F.SOLANA, signature) == signature
    with pytest.raises(FormatError):
        normalise_tx_hash(F.SOLANA, signature + "0")


@given(raw=st.binary(min_size=32, max_size=32))
def test_hex_transaction_hashes_are_normalised_per_network(raw: bytes) -> None:
    """CRY-02: Bitcoin-family and Tron hashes are 64 hex, Ethereum-family 0x+64 hex, XRP upper case."""
    digits = raw.hex()
    assert normalise_tx_hash(F.BITCOIN, digits.upper()) == digits
    assert normalise_tx_hash(F.EVM, "0x" + digits.upper()) == "0x" + digits
    assert normalise_tx_hash(F.XRP, digits) == digits.upper()
    assert normalise_tx_hash(F.TRON, "0x" + digits) == digits
    for address_format, wrong in (
        (F.BITCOIN, digits[:-1]),
        (F.BITCOIN, "0x" + digits),
        (F.EVM, digits),
        (F.EVM, "0x" + digits + "0"),
        (F.STELLAR, digits[:-1] + "g"),
    ):
        with pytest.raises(FormatError):
            normalise_tx_hash(address_format, wrong)


def test_memos_and_tags_follow_each_network() -> None:
    """CRY-02: XRP destination tags are 32-bit numbers; Stellar memos are an id, a hash or 28 bytes of text."""
    assert normalise_memo(F.XRP, " 00042 ") == "42"
    assert normalise_memo(F.XRP, "4294967295") == "4294967295"
    assert normalise_memo(F.STELLAR, "18446744073709551615") == "18446744073709551615"
    assert normalise_memo(F.STELLAR, "A" * 64) == "a" * 64
    assert normalise_memo(F.STELLAR, "invoice 1234") == "invoice 1234"
    for address_format, wrong in (
        (F.XRP, "4294967296"),
        (F.XRP, "-1"),
        (F.XRP, "abc"),
        (F.STELLAR, "18446744073709551616"),
        (F.STELLAR, "x" * 29),
        (F.STELLAR, "ă" * 15),  # 30 bytes in UTF-8
        (F.BITCOIN, "123"),  # no memo on this network
        (F.EVM, "123"),
    ):
        with pytest.raises(FormatError):
            normalise_memo(address_format, wrong)
