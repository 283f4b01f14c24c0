"""Texts kept per language code (labels, titles, notices): one fallback rule for all of them."""

from __future__ import annotations

from collections.abc import Mapping


def in_language(texts: Mapping[str, str], language: str, *, default: str = "") -> str:
    """The text in ``language``, else the English one every per-language text must have, else ``default``."""
    return str(texts.get(language) or texts.get("en") or default)
