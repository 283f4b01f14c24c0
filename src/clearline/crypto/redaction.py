"""Find and mask secrets that customers paste: recovery phrases, private keys, card numbers (CRY-03).

Pure Python, no Django: every channel calls ``redact_secrets`` before text is stored, indexed, shown or
given to the assistant. Design choices:

* Recovery phrases: any run of 12 or more consecutive words from one BIP-39 wordlist (accents and case
  ignored; numbering, commas and line breaks allowed between words). The checksum is deliberately not
  required: a mistyped phrase is still a secret, and ordinary prose almost never strings twelve list words
  together (measured on the negative corpus in the tests). A valid phrase always forms such a run.
* Private keys: WIF and extended private keys (xprv, tprv, yprv, zprv ...) are redacted when their
  base58check checksum is valid. A bare 64-hex string is far more often a transaction hash in a support
  desk, so it is redacted only when the words just before it call it a key and not a hash.
* Card numbers: 13-19 digits (spaces or dashes allowed) that pass Luhn and start like a card (IIN).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import base58
from mnemonic import Mnemonic


class SecretKind(StrEnum):
    MNEMONIC = "mnemonic"
    PRIVATE_KEY = "private_key"
    CARD_NUMBER = "card_number"


REDACTION_MARKERS: dict[SecretKind, str] = {
    SecretKind.MNEMONIC: "[redacted: recovery phrase]",
    SecretKind.PRIVATE_KEY: "[redacted: private key]",
    SecretKind.CARD_NUMBER: "[redacted: card number]",
}


@dataclass(frozen=True)
class RedactionResult:
    text: str
    kinds: frozenset[SecretKind]

    @property
    def redacted(self) -> bool:
        return bool(self.kinds)


MIN_PHRASE_WORDS = 12
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u3099\u309a])+")  # letters, with combining marks (NFKD text)
# What may stand between two words of a pasted phrase: spaces, commas, numbering such as "1." or "2)".
_PHRASE_GAP = re.compile(r"[\s,;:.\-\u2013\u2014()\[\]\"'/|*•#]*(?:\d{1,2}[.):\-]?[\s,;]*)?")
_WIF = re.compile(r"(?<![1-9A-HJ-NP-Za-km-z])[59KLc][1-9A-HJ-NP-Za-km-z]{50,51}(?![1-9A-HJ-NP-Za-km-z])")
_EXTENDED_KEY = re.compile(
    r"(?<![1-9A-HJ-NP-Za-km-z])[xtyzuvYZUV]prv[1-9A-HJ-NP-Za-km-z]{100,112}(?![1-9A-HJ-NP-Za-km-z])"
)
_HEX64 = re.compile(r"(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])")
_KEY_CONTEXT = re.compile(
    r"priv(?:ate)?[\s_-]*key|privkey|secret[\s_-]*key|clave[\s_-]*privada|llave[\s_-]*privada|"
    r"chei(?:e|a)[\s_-]*privat|\bpk\b|\bkey\s*[:=]",
    re.IGNORECASE,
)
_HASH_CONTEXT = re.compile(r"\btx|hash|transac|tranzac|block|bloque|bloc\b", re.IGNORECASE)
_CARD = re.compile(r"(?<![0-9A-Za-z+.])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])")
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|35|6011|65|64[4-9]|62)")


def _normalise(word: str) -> str:
    if word.isascii():  # most words: nothing to decompose, and casefold is lower for ASCII
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _wordlists() -> dict[str, tuple[dict[str, int], tuple[str, ...]]]:
    """Per language: normalised word -> index, and the canonical list."""
    lists = {}
    for language in Mnemonic.list_languages():
        words = tuple(Mnemonic(language).wordlist)
        lists[language] = ({_normalise(w): i for i, w in enumerate(words)}, words)
    return lists


@cache
def _languages_of_word() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for language, (index, _) in _wordlists().items():
        for word in index:
            found.setdefault(word, set()).add(language)
    return {word: frozenset(langs) for word, langs in found.items()}


def _may_hold_phrase(text: str) -> bool:
    """Whether 12 list words stand in a row, whatever is between them and whichever lists they are from.
    Every phrase is such a row (gaps and lists only break rows further), and most messages hold none: the
    cheap pass spares them the full one."""
    languages_of = _languages_of_word()
    in_a_row = 0
    for word in _WORD.findall(text):
        if _normalise(word) in languages_of:
            in_a_row += 1
            if in_a_row == MIN_PHRASE_WORDS:
                return True
        else:
            in_a_row = 0
    return False


def _phrase_spans(text: str) -> list[tuple[int, int]]:
    return _phrase_runs(text) if _may_hold_phrase(text) else []


def _phrase_runs(text: str) -> list[tuple[int, int]]:
    languages_of = _languages_of_word()
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []  # (start, end, normalised word)
    run_languages: frozenset[str] = frozenset()

    def close_run() -> None:
        if len(run) >= MIN_PHRASE_WORDS:
            spans.extend(_secret_windows(run, run_languages))

    previous_end = 0
    for match in _WORD.finditer(text):
        word = _normalise(match.group())
        languages = languages_of.get(word, frozenset())
        gap_ok = bool(run) and _PHRASE_GAP.fullmatch(text, previous_end, match.start()) is not None
        common = run_languages & languages if gap_ok else frozenset()
        if languages and common:
            run.append((match.start(), match.end(), word))
            run_languages = common
        else:
            close_run()
            # A phrase may start with words the previous run claimed for another list ("quick effort
            # abaisser...": "effort" is English and French): carry over the tail that fits this word.
            tail: list[tuple[int, int, str]] = []
            tail_languages = languages
            for item in reversed(run if gap_ok else []):
                shared = languages_of[item[2]] & tail_languages
                if not shared:
                    break
                tail.insert(0, item)
                tail_languages = shared
            run = [*tail, (match.start(), match.end(), word)] if languages else []
            run_languages = tail_languages
        previous_end = match.end()
    close_run()
    return spans


def _secret_windows(run: list[tuple[int, int, str]], languages: frozenset[str]) -> list[tuple[int, int]]:
    """A run of 12+ list words is redacted whole, whether or not a checksum-valid phrase is found in it.

    Trimming the run to the valid window would be wrong one time in sixteen: a 12-word phrase carries a
    4-bit checksum, so a window shifted onto a neighbouring list word ("... look at this. abandon ...")
    can validate by chance and leave a word of the real phrase behind. Losing a neighbouring word of prose
    is the cheaper mistake.
    """
    if len(run) < MIN_PHRASE_WORDS:
        return []
    return [(run[0][0], run[-1][1])]


def _base58check_payload(value: str) -> bytes | None:
    try:
        return bytes(base58.b58decode_check(value))
    except ValueError:
        return None


def _key_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _WIF.finditer(text):
        payload = _base58check_payload(match.group())
        if payload and payload[0] in (0x80, 0xEF) and len(payload) in (33, 34):
            spans.append(match.span())
    for match in _EXTENDED_KEY.finditer(text):
        payload = _base58check_payload(match.group())
        if payload and len(payload) == 78:
            spans.append(match.span())
    for match in _HEX64.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        # The nearest mention wins: "tx hash ... for my private key question" is still a hash.
        key_words = [m.start() for m in _KEY_CONTEXT.finditer(before)]
        hash_words = [m.start() for m in _HASH_CONTEXT.finditer(before)]
        if key_words and (not hash_words or hash_words[-1] < key_words[-1]):
            spans.append(match.span())
    return spans


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) and _luhn_valid(digits):
            spans.append(match.span())
    return spans


def redact_secrets(text: str) -> RedactionResult:
    """Replace every secret span by its marker; everything else is kept as it was."""
    found: list[tuple[int, int, SecretKind]] = []
    for kind, spans in (
        (SecretKind.PRIVATE_KEY, _key_spans(text)),
        (SecretKind.MNEMONIC, _phrase_spans(text)),
        (SecretKind.CARD_NUMBER, _card_spans(text)),
    ):
        found.extend((start, end, kind) for start, end in spans)
    if not found:
        return RedactionResult(text, frozenset())
    found.sort()
    pieces, kinds, cursor = [], set(), 0
    for start, end, kind in found:
        if start < cursor:  # overlaps a span already replaced: the marker covers up to the later end
            cursor = max(cursor, end)
            continue
        pieces += [text[cursor:start], REDACTION_MARKERS[kind]]
        kinds.add(kind)
        cursor = end
    pieces.append(text[cursor:])
    return RedactionResult("".join(pieces), frozenset(kinds))
