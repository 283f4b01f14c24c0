"""Reading the FAQ for the public pages: one query per page whatever the number of articles."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import ArticleText, Category

ARTICLES_PER_CATEGORY_ON_INDEX = 6


@dataclass(frozen=True)
class CategorySummary:
    category: Category
    name: str
    articles: list[ArticleText]
    total: int


def _published(language: str) -> QuerySet[ArticleText]:
    return ArticleText.objects.filter(language=language, article__is_published=True)


def faq_index(language: str) -> list[CategorySummary]:
    """Each category with its first few articles in ``language`` (an index page, not every article)."""
    summaries = []
    for category in Category.objects.order_by("position", "key"):
        texts = _published(language).filter(article__category=category)
        first = list(
            texts.select_related("article").order_by("article__position", "article__slug")[
                :ARTICLES_PER_CATEGORY_ON_INDEX
            ]
        )
        if first:
            summaries.append(CategorySummary(category, category.name(language), first, texts.count()))
    return summaries


def category_articles(key: str, language: str) -> tuple[Category, list[ArticleText]] | None:
    category = Category.objects.filter(key=key).first()
    if category is None:
        return None
    texts = (
        _published(language)
        .filter(article__category=category)
        .select_related("article")
        .order_by("article__position", "article__slug")
    )
    return category, list(texts[:500])


def article_text(slug: str, language: str) -> ArticleText | None:
    """The text in ``language``, else the English one (the page says so), else nothing."""
    texts = {
        text.language: text
        for text in ArticleText.objects.select_related("article__category").filter(
            article__slug=slug, article__is_published=True, language__in={language, "en"}
        )
    }
    return texts.get(language) or texts.get("en")
