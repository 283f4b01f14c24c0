"""The FAQ search port: SQLite FTS5 in the embedded shape, PostgreSQL full-text search in production.

Both index ``kb_articletext`` (title weighted above body) and answer the same question: the best texts in
one language for what a visitor typed. The FTS5 table is created by migration 0002, the stored PostgreSQL
vector and its GIN index by 0003.
"""

from __future__ import annotations

import re

from django.db import connection

from .models import ArticleText

# PostgreSQL text-search configurations per served language (Snowball stemmers shipped with PostgreSQL).
PG_CONFIGS = {"en": "english", "es": "spanish", "ro": "romanian"}
MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def _terms(query: str) -> list[str]:
    return [word for word in _WORD.findall(query.lower()) if len(word) > 1][:MAX_TERMS]


def search_articles(query: str, *, language: str, limit: int = 20) -> list[ArticleText]:
    """Published texts in ``language`` matching every word of ``query`` (prefixes on SQLite), best first."""
    terms = _terms(query)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        config = PG_CONFIGS.get(
            language, "simple"
        )  # the configuration the stored vector used (migration 0003)
        sql = (
            "SELECT t.id FROM kb_articletext t JOIN kb_article a ON a.id = t.article_id "
            "WHERE t.language = %s AND a.is_published "
            "AND t.search_vector @@ plainto_tsquery(%s::regconfig, %s) "
            "ORDER BY ts_rank(t.search_vector, plainto_tsquery(%s::regconfig, %s)) DESC, t.id LIMIT %s"
        )
        words = " ".join(terms)
        params: list[str | int] = [language, config, words, config, words, limit]
    else:
        match = " ".join(f'"{term}"*' for term in terms)
        sql = (
            "SELECT s.text_id FROM kb_search s JOIN kb_articletext t ON t.id = s.text_id "
            "JOIN kb_article a ON a.id = t.article_id "
            "WHERE kb_search MATCH %s AND s.language = %s AND a.is_published "
            "ORDER BY bm25(kb_search, 5.0, 1.0), s.text_id LIMIT %s"
        )
        params = [match, language, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    found = ArticleText.objects.select_related("article__category").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
