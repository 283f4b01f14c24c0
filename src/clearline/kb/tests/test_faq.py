"""The public FAQ (DFS-21): no login, per-language texts with revisions and review dates, full-text search
on SQLite FTS5 and PostgreSQL through one port, sanitised Markdown, "was this helpful"."""

from __future__ import annotations

import pytest
from django.test import Client

from clearline.accounts.models import Role
from clearline.audit.models import AuditEvent
from clearline.core.errors import PermissionDenied
from clearline.kb import services
from clearline.kb.models import Article, ArticleRevision, ArticleText, Category
from clearline.kb.search import search_articles


def test_the_faq_is_readable_without_logging_in_DFS_21(db, organisation, faq):
    """Proves DFS-21."""
    visitor = Client()
    index = visitor.get("/faq/")
    assert index.status_code == 200 and "How to recognise a scam" in index.content.decode()
    article = visitor.get("/faq/lost-2fa/")
    html = article.content.decode()
    assert article.status_code == 200
    assert "I lost access to my two-factor authentication" in html
    assert "Last reviewed" in html and "<time datetime=" in html


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "2fa", "lost-2fa"),
        ("en", "withdrawal pending", "withdrawal-pending"),
        ("es", "estafa", "recognise-scams"),
        ("es", "depósito", "deposit-not-credited"),
        ("ro", "retragerea", "withdrawal-pending"),
        ("ro", "reclamație", "make-a-complaint"),
    ],
)
def test_search_finds_articles_in_the_visitors_language_DFS_21(db, faq, language, query, expected):
    """DFS-21: runs on SQLite FTS5 in the embedded suite and on PostgreSQL full-text search in production."""
    results = search_articles(query, language=language)
    assert results and results[0].article.slug == expected
    assert {text.language for text in results} == {language}


def test_search_ignores_operators_and_empty_queries_DFS_21(db, faq):
    """Proves DFS-21."""
    assert search_articles('" OR 1=1 -- NEAR(*)', language="en") == []
    assert search_articles("   ", language="en") == []
    assert Client().get("/faq/search/?q=%22%29%28*").status_code == 200


def test_an_unpublished_article_is_neither_shown_nor_found_DFS_21(db, faq):
    """Proves DFS-21."""
    Article.objects.filter(slug="lost-2fa").update(is_published=False)
    assert Client().get("/faq/lost-2fa/").status_code == 404
    assert all(text.article.slug != "lost-2fa" for text in search_articles("2fa", language="en"))


def test_markdown_is_sanitised_and_edits_keep_revisions(db, make_staff):
    editor = make_staff(Role.SUPERVISOR)
    category = Category.objects.create(key="misc", names={"en": "Misc"})
    article = services.create_article(slug="fees", category=category)
    services.save_article_text(article, language="en", title="Fees", body_markdown="Old text.", by=editor)
    text = services.save_article_text(
        article,
        language="en",
        title="Fees",
        body_markdown='New <script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="x()">',
        by=editor,
        note="clarified",
    )
    assert "<script" not in text.body_html and "<img" not in text.body_html  # raw HTML is shown as text
    assert "&lt;script&gt;" in text.body_html
    assert 'href="javascript:' not in text.body_html
    assert text.revision == 2
    assert list(ArticleRevision.objects.filter(text=text).values_list("revision", "note")) == [
        (1, ""),
        (2, "clarified"),
    ]
    assert AuditEvent.objects.filter(stream="kb:fees", action="kb.article_saved").count() == 2


def test_only_supervisors_and_admins_edit_the_faq(db, agent):
    article = services.create_article(slug="x", category=Category.objects.create(key="c", names={}))
    with pytest.raises(PermissionDenied):
        services.save_article_text(article, language="en", title="T", body_markdown="B", by=agent)


def test_was_this_helpful_counts_votes(db, organisation, faq):
    visitor = Client()
    response = visitor.post("/faq/lost-2fa/helpful", {"helpful": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("/faq/lost-2fa/?thanks=1#helpful")
    visitor.post("/faq/lost-2fa/helpful", {"helpful": "no"}, HTTP_ACCEPT_LANGUAGE="es")
    english = ArticleText.objects.get(article__slug="lost-2fa", language="en")
    spanish = ArticleText.objects.get(article__slug="lost-2fa", language="es")
    assert (english.helpful_yes, english.helpful_no, spanish.helpful_no) == (1, 0, 1)
    assert "Thank you for your feedback." in visitor.get(response["Location"]).content.decode()


def test_a_missing_translation_falls_back_to_english_and_says_so(db, organisation, faq):
    ArticleText.objects.filter(article__slug="lost-2fa", language="ro").delete()
    html = Client().get("/faq/lost-2fa/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "I lost access to my two-factor authentication" in html and '<article lang="en">' in html
    assert "Acest articol nu este încă disponibil în limba dvs." in html


def test_large_categories_are_paged_and_edits_show_at_once_on_the_cached_index_DFS_21(
    db, organisation, faq, supervisor
):
    """DFS-21: a category of 60 articles shows 50 per page; the cached index reflects an edit immediately."""
    category = Category.objects.create(key="many", names={"en": "Many"}, position=99)
    for n in range(60):
        article = services.create_article(slug=f"many-{n:02d}", category=category, position=n)
        services.save_article_text(
            article, language="en", title=f"Question {n:02d}", body_markdown="Answer.", by=None
        )
    visitor = Client()
    first = visitor.get("/faq/c/many/").content.decode()
    assert "Question 49" in first and "Question 50" not in first and 'rel="next"' in first
    second = visitor.get("/faq/c/many/?page=2").content.decode()
    assert "Question 59" in second and 'rel="prev"' in second
    assert visitor.get("/faq/c/many/?page=999").status_code == 200  # the last page, not an error
    assert "All 60 articles" in visitor.get("/").content.decode()
    article = Article.objects.get(slug="many-00")
    services.save_article_text(
        article, language="en", title="Renamed question", body_markdown="New.", by=supervisor
    )
    assert "Renamed question" in visitor.get("/faq/").content.decode()
    services.set_published(article, published=False, by=supervisor)
    assert "Renamed question" not in visitor.get("/").content.decode()
