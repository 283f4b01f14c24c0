"""Language of customer text, among the languages the desk serves (PRD-05)."""

from __future__ import annotations

from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

SERVED_LANGUAGES = {"en": Language.ENGLISH, "es": Language.SPANISH, "ro": Language.ROMANIAN}
DEFAULT_LANGUAGE = "en"
_CODES = {language: code for code, language in SERVED_LANGUAGES.items()}


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*SERVED_LANGUAGES.values())
        .with_minimum_relative_distance(0.1)
        # Low-accuracy mode uses trigram models only: ~11 MB instead of ~110 MB resident for three
        # languages, and support messages are long enough for it to be reliable.
        .with_low_accuracy_mode()
        .build()
    )


def detect_language(text: str, *, default: str = DEFAULT_LANGUAGE) -> str:
    """Best guess, or ``default`` when the text is too short or ambiguous to tell."""
    sample = text[:500]  # the newest words come first; more text cost more time and changed no answer
    if len(sample.strip()) < 3:
        return default
    language = _detector().detect_language_of(sample)
    return _CODES.get(language, default) if language is not None else default
