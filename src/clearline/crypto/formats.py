"""Address, transaction-hash and memo formats per network family (CRY-02). Pure Python, no Django.

Each check returns the value normalised (the form explorers and our own records use) or raises
``FormatError`` naming what was expected; the hint texts are marked for translation and translated where they
are shown. Checksums are verified, not just shapes: a typo in an address is caught at intake, not after a
customer has waited a week for the wrong transfer to be traced.
"""

from __future__ import annotations

import binascii
import re
import string
from base64 import b32decode, b32encode
from dataclasses import dataclass
from enum import StrEnum

import base58
import bech32m
from Crypto.Hash import keccak


def _(message: str) -> str:
    """Marks a text for translation (xgettext's ``_`` keyword); the caller translates it when showing it."""
    return message


class FormatError(ValueError):
    """The value does not have the network's format; ``expected`` is the (untranslated) format hint."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class AddressFormat(StrEnum):
    BITCOIN = "bitcoin"
    LITECOIN = "litecoin"
    DOGECOIN = "dogecoin"
    EVM = "evm"
    SOLANA = "solana"
    TRON = "tron"
    XRP = "xrp"
    STELLAR = "stellar"


@dataclass(frozen=True)
class _BitcoinFamily:
    base58_versions: tuple[int, ...]  # P2PKH and P2SH version bytes
    segwit_hrp: str | None


_BITCOIN_FAMILY = {
    AddressFormat.BITCOIN: _BitcoinFamily((0x00, 0x05), "bc"),
    AddressFormat.LITECOIN: _BitcoinFamily((0x30, 0x32, 0x05), "ltc"),
    AddressFormat.DOGECOIN: _BitcoinFamily((0x1E, 0x16), None),
}

ADDRESS_HINTS = {
    AddressFormat.BITCOIN: _("a Bitcoin address starting with 1 or 3 (Base58Check) or bc1 (bech32/bech32m)"),
    AddressFormat.LITECOIN: _(
        "a Litecoin address starting with L, M or 3 (Base58Check) or ltc1 (bech32/bech32m)"
    ),
    AddressFormat.DOGECOIN: _("a Dogecoin address starting with D, A or 9 (Base58Check)"),
    AddressFormat.EVM: _(
        "0x followed by 40 hexadecimal characters, with a valid EIP-55 checksum if mixed case"
    ),
    AddressFormat.SOLANA: _("a Solana address: 32 to 44 Base58 characters"),
    AddressFormat.TRON: _("a Tron address: 34 characters starting with T (Base58Check)"),
    AddressFormat.XRP: _("an XRP Ledger address: 25 to 35 characters starting with r"),
    AddressFormat.STELLAR: _("a Stellar address: 56 characters starting with G (or 69 starting with M)"),
}

_HEX64 = _("64 hexadecimal characters")
TX_HASH_HINTS = {
    AddressFormat.BITCOIN: _HEX64,
    AddressFormat.LITECOIN: _HEX64,
    AddressFormat.DOGECOIN: _HEX64,
    AddressFormat.EVM: _("0x followed by 64 hexadecimal characters"),
    AddressFormat.SOLANA: _("a Solana transaction signature: 86 to 88 Base58 characters"),
    AddressFormat.TRON: _HEX64,
    AddressFormat.XRP: _HEX64,
    AddressFormat.STELLAR: _HEX64,
}

MEMO_HINTS = {
    AddressFormat.XRP: _("a destination tag: a whole number from 0 to 4294967295"),
    AddressFormat.STELLAR: _("a memo: a number, 64 hexadecimal characters, or text of at most 28 bytes"),
}
NO_MEMO_HINT = _("no memo or tag: this network does not use one")

_HEX_DIGITS = frozenset(string.hexdigits)


def _is_hex(value: str, length: int) -> bool:
    return len(value) == length and set(value) <= _HEX_DIGITS


def normalise_address(address_format: AddressFormat, value: str) -> str:
    address = value.strip()
    hint = ADDRESS_HINTS[address_format]
    if not address or len(address) > 100:
        raise FormatError(hint)
    try:
        checker = _ADDRESS_CHECKS[address_format]
    except KeyError:
        return _bitcoin_family_address(_BITCOIN_FAMILY[address_format], address, hint)
    return checker(address, hint)


def _bitcoin_family_address(family: _BitcoinFamily, address: str, hint: str) -> str:
    hrp = family.segwit_hrp
    if hrp and address.lower().startswith(f"{hrp}1"):
        if address not in (address.lower(), address.upper()):  # BIP-173 forbids mixed case
            raise FormatError(hint)
        try:
            bech32m.decode(hrp, address.lower())
        except (bech32m.DecodeError, ValueError) as error:
            raise FormatError(hint) from error
        return address.lower()
    payload = _base58check(address, hint)
    if len(payload) != 21 or payload[0] not in family.base58_versions:
        raise FormatError(hint)
    return address


def _base58check(value: str, hint: str, alphabet: bytes = base58.BITCOIN_ALPHABET) -> bytes:
    try:
        return base58.b58decode_check(value, alphabet=alphabet)
    except ValueError as error:
        raise FormatError(hint) from error


def eip55(address_hex: str) -> str:
    """The EIP-55 mixed-case checksum form of a 40-hex-digit address (without 0x)."""
    lower = address_hex.lower()
    digest = keccak.new(digest_bits=256, data=lower.encode("ascii")).hexdigest()
    return "0x" + "".join(
        c.upper() if int(d, 16) >= 8 else c for c, d in zip(lower, digest[:40], strict=True)
    )


def _evm_address(address: str, hint: str) -> str:
    if not address.startswith(("0x", "0X")) or not _is_hex(address[2:], 40):
        raise FormatError(hint)
    digits = address[2:]
    checksummed = eip55(digits)
    mixed_case = digits not in (digits.lower(), digits.upper())
    if mixed_case and checksummed[2:] != digits:
        raise FormatError(hint)
    return checksummed


def _solana_address(address: str, hint: str) -> str:
    try:
        decoded = base58.b58decode(address)
    except ValueError as error:
        raise FormatError(hint) from error
    if not 32 <= len(address) <= 44 or len(decoded) != 32:
        raise FormatError(hint)
    return address


def _tron_address(address: str, hint: str) -> str:
    payload = _base58check(address, hint)
    if len(payload) != 21 or payload[0] != 0x41:
        raise FormatError(hint)
    return address


def _xrp_address(address: str, hint: str) -> str:
    if not address.startswith("r"):
        raise FormatError(hint)
    payload = _base58check(address, hint, alphabet=base58.RIPPLE_ALPHABET)
    if len(payload) != 21 or payload[0] != 0x00:
        raise FormatError(hint)
    return address


_STELLAR_KINDS = {"G": (6 << 3, 32), "M": (12 << 3, 40)}  # StrKey version byte and payload size


def _stellar_address(address: str, hint: str) -> str:
    upper = address.upper()
    kind = _STELLAR_KINDS.get(upper[:1])
    if kind is None or len(upper) not in (56, 69):
        raise FormatError(hint)
    version, size = kind
    try:
        raw = b32decode(upper + "=" * (-len(upper) % 8))
    except (binascii.Error, ValueError) as error:
        raise FormatError(hint) from error
    body, checksum = raw[:-2], raw[-2:]
    if (
        len(body) != 1 + size
        or body[0] != version
        or binascii.crc_hqx(body, 0).to_bytes(2, "little") != checksum
        or b32encode(raw).decode().rstrip("=") != upper  # unused trailing bits must be zero (canonical)
    ):
        raise FormatError(hint)
    return upper


_ADDRESS_CHECKS = {
    AddressFormat.EVM: _evm_address,
    AddressFormat.SOLANA: _solana_address,
    AddressFormat.TRON: _tron_address,
    AddressFormat.XRP: _xrp_address,
    AddressFormat.STELLAR: _stellar_address,
}


def normalise_tx_hash(address_format: AddressFormat, value: str) -> str:
    tx_hash = value.strip()
    hint = TX_HASH_HINTS[address_format]
    if address_format is AddressFormat.SOLANA:
        try:
            decoded = base58.b58decode(tx_hash)
        except ValueError as error:
            raise FormatError(hint) from error
        if not 86 <= len(tx_hash) <= 88 or len(decoded) != 64:
            raise FormatError(hint)
        return tx_hash
    if address_format is AddressFormat.EVM:
        if not tx_hash.startswith(("0x", "0X")) or not _is_hex(tx_hash[2:], 64):
            raise FormatError(hint)
        return "0x" + tx_hash[2:].lower()
    digits = (
        tx_hash[2:] if tx_hash.startswith(("0x", "0X")) and address_format is AddressFormat.TRON else tx_hash
    )
    if not _is_hex(digits, 64):
        raise FormatError(hint)
    return digits.upper() if address_format is AddressFormat.XRP else digits.lower()


_MAX_XRP_TAG = 2**32 - 1
_MAX_STELLAR_ID = 2**64 - 1


def normalise_memo(address_format: AddressFormat, value: str) -> str:
    memo = value.strip()
    hint = MEMO_HINTS.get(address_format, NO_MEMO_HINT)
    if address_format is AddressFormat.XRP:
        if not re.fullmatch(r"[0-9]{1,10}", memo) or int(memo) > _MAX_XRP_TAG:
            raise FormatError(hint)
        return str(int(memo))
    if address_format is AddressFormat.STELLAR:
        if re.fullmatch(r"[0-9]{1,20}", memo):
            if int(memo) > _MAX_STELLAR_ID:
                raise FormatError(hint)
            return str(int(memo))
        if _is_hex(memo, 64):
            return memo.lower()
        if not memo or len(memo.encode("utf-8")) > 28:
            raise FormatError(hint)
        return memo
    raise FormatError(hint)


def uses_memo(address_format: AddressFormat) -> bool:
    return address_format in MEMO_HINTS
