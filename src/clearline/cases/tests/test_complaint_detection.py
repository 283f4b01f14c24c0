"""DFS-02: dissatisfaction is detected in English, Spanish and Romanian, with negations and third parties."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clearline.cases.complaint_detection import _SCANNERS, _fired_rules, _normalise, detect_dissatisfaction


def test_explicit_anger_and_escalation_are_complaints_dfs_02():
    """DFS-02: explicit anger and escalation are complaints."""
    signal = detect_dissatisfaction("This is unacceptable, I will report you to the DFS.", language="en")
    assert signal.is_complaint and signal.matched == ("en.dissatisfaction", "en.escalation")


def test_plain_questions_are_requests_dfs_02():
    """DFS-02: plain questions are requests."""
    for text, language in [("Hi, where is my withdrawal? Thanks.", "en"),
                           ("Hola, ¿cuándo se acreditará mi depósito?", "es"),
                           ("Bună ziua, când va fi procesată retragerea?", "ro")]:  # fmt: skip
        assert not detect_dissatisfaction(text, language=language).is_complaint


def test_negated_complaint_words_do_not_count_dfs_02():
    """DFS-02: negated complaint words do not count."""
    for text, language in [("No complaints, thanks for the quick help!", "en"), ("Sin quejas, todo bien.", "es"),
                           ("Nu mă plâng, doar întreb.", "ro")]:  # fmt: skip
        assert not detect_dissatisfaction(text, language=language).is_complaint


def test_reporting_a_third_party_scammer_is_not_a_complaint_about_the_firm_dfs_02():
    """DFS-02: reporting a third party scammer is not a complaint about the firm."""
    text = "How do I file a complaint about a scammer who contacted me on Telegram pretending to be you?"
    assert not detect_dissatisfaction(text, language="en").is_complaint
    blamed = "A scammer emptied my account because your 2FA is useless. This is unacceptable."
    assert detect_dissatisfaction(blamed, language="en").is_complaint


def test_matching_ignores_diacritics_and_case_dfs_02():
    """DFS-02: matching ignores diacritics and case."""
    for text in ("Este o bătaie de joc", "ESTE O BATAIE DE JOC", "este o bataie de joc"):
        signal = detect_dissatisfaction(text, language="ro")
        assert signal.is_complaint and signal.matched == ("ro.dissatisfaction",)


def test_unknown_language_tries_every_rule_set_dfs_02():
    """DFS-02: unknown language tries every rule set."""
    signal = detect_dissatisfaction("Es inaceptable, llevo dos semanas esperando.")
    assert signal.is_complaint and signal.language == "es"


@given(st.text(max_size=500), st.sampled_from(["en", "es", "ro", None, "de"]))
def test_any_text_is_handled_dfs_02(text, language):
    """DFS-02: any text is handled."""
    signal = detect_dissatisfaction(text, language=language)
    assert isinstance(signal.is_complaint, bool)


DATA = Path(__file__).parent / "data"


def _scores(corpus: str, language: str | None = None) -> tuple[float, float, int]:
    rows = [json.loads(line) for line in (DATA / corpus).read_text().splitlines() if line.strip()]
    rows = [row for row in rows if language is None or row["language"] == language]
    predicted = [detect_dissatisfaction(row["text"], language=row["language"]).is_complaint for row in rows]
    actual = [row["label"] == "complaint" for row in rows]
    true_positive = sum(p and a for p, a in zip(predicted, actual, strict=True))
    precision = true_positive / max(1, sum(predicted))
    recall = true_positive / max(1, sum(actual))
    return precision, recall, len(rows)


def test_labelled_corpus_precision_and_recall_per_language_dfs_02():
    """DFS-02: 181 labelled messages (about 60 per language); the rules were tuned on them, so the holdout below is
    the honest figure."""
    assert _scores("complaint_corpus.jsonl")[2] >= 150
    for language in ("en", "es", "ro", None):
        precision, recall, count = _scores("complaint_corpus.jsonl", language)
        assert count >= 49 and precision >= 0.95 and recall >= 0.95, (language, precision, recall)


def test_holdout_corpus_written_after_tuning_dfs_02():
    """46 further messages never used for tuning: the honest figure (precision 1.0, recall 0.76 when written)."""
    precision, recall, count = _scores("complaint_corpus_holdout.jsonl")
    assert count >= 45 and precision >= 0.9 and recall >= 0.7, (precision, recall)


def test_one_pass_over_a_languages_joined_rules_fires_exactly_the_rules_tried_one_by_one_dfs_02():
    """DFS-02: the joined pattern only skips messages that no rule matches; every corpus message, in each
    language's rule set, fires the same rules as trying each rule alone."""
    texts = [
        json.loads(line)["text"]
        for corpus in ("complaint_corpus.jsonl", "complaint_corpus_holdout.jsonl")
        for line in (DATA / corpus).read_text().splitlines()
        if line.strip()
    ]
    for language in ("en", "es", "ro"):
        scanner = _SCANNERS[language]
        assert scanner.any_rule is not None
        for text in texts:
            cleaned = _normalise(text)
            assert _fired_rules(scanner, cleaned) == [r for r in scanner.rules if r[1].search(cleaned)]
