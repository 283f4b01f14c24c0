"""Reading the FAQ for the public pages: one query per page whatever the number of articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils import timezone

from clearline.cases.language import SERVED_LANGUAGES
from clearline.cases.models import Case, CaseKind, Topic
from clearline.org.selectors import local_period, organisation_for_texts

from .models import Article, ArticleText, Category

ARTICLES_PER_CATEGORY_ON_INDEX = 6
CATEGORY_PAGE_SIZE = 50
INDEX_CACHE_SECONDS = 600


@dataclass(frozen=True)
class CategorySummary:
    category: Category
    name: str
    articles: list[ArticleText]
    total: int


def _published(language: str) -> QuerySet[ArticleText]:
    return ArticleText.objects.filter(language=language, article__is_published=True)


def faq_index(language: str) -> list[CategorySummary]:
    """Each category with its first few articles in ``language`` (an index page, not every article).

    The front page and the FAQ index show it on every visit and it changes only when staff edit the FAQ, so
    it is cached per language until the next edit (``forget_faq_pages``) or ``INDEX_CACHE_SECONDS``.
    """
    key = f"kb:index:{language}:{_faq_version()}"
    summaries: list[CategorySummary] | None = cache.get(key)
    if summaries is None:
        summaries = _faq_index(language)
        cache.set(key, summaries, INDEX_CACHE_SECONDS)
    return summaries


def _faq_index(language: str) -> list[CategorySummary]:
    totals = dict(_published(language).values_list("article__category").annotate(n=Count("pk")).order_by())
    summaries = []
    for category in Category.objects.order_by("position", "key"):
        if not totals.get(category.pk):
            continue
        first = list(
            _published(language)
            .filter(article__category=category)
            .select_related("article")
            .order_by("article__position", "article__slug")[:ARTICLES_PER_CATEGORY_ON_INDEX]
        )
        summaries.append(CategorySummary(category, category.name(language), first, totals[category.pk]))
    return summaries


def _faq_version() -> int:
    version = cache.get_or_set("kb:version", 1, None)
    return int(version or 1)


def forget_faq_pages() -> None:
    """Called by every FAQ edit: cached index pages of every language are stale from now on."""
    try:
        cache.incr("kb:version")
    except ValueError:
        cache.set("kb:version", 2, None)


def category_articles(
    key: str, language: str, *, page: int | str = 1
) -> tuple[Category, Page[ArticleText]] | None:
    """One page of a category's articles in ``language``, in the editors' order."""
    category = Category.objects.filter(key=key).first()
    if category is None:
        return None
    texts = (
        _published(language)
        .filter(article__category=category)
        .select_related("article")
        .order_by("article__position", "article__slug")
    )
    return category, Paginator(texts, CATEGORY_PAGE_SIZE).get_page(page)


def article_text(slug: str, language: str) -> ArticleText | None:
    """The text in ``language``, else the English one (the page says so), else nothing."""
    texts = {
        text.language: text
        for text in ArticleText.objects.select_related("article__category").filter(
            article__slug=slug, article__is_published=True, language__in={language, "en"}
        )
    }
    return texts.get(language) or texts.get("en")


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    label: str
    complaints: int
    articles: list[str]  # slugs of published articles about the topic
    missing_languages: list[str]  # served languages with no published article text for the topic


def complaint_topic_coverage(start: datetime, end: datetime, *, top: int = 10) -> list[TopicCoverage]:
    """DFS-21: the period's most complained-about topics against the FAQ articles that answer them."""
    counts = (
        Case.objects.filter(kind=CaseKind.COMPLAINT, received_at__gte=start, received_at__lt=end)
        .values("topic")
        .annotate(complaints=Count("pk"))
        .order_by("-complaints", "topic")[:top]
    )
    labels = {topic.key: topic.label("en") for topic in Topic.objects.all()}
    articles = list(Article.objects.filter(is_published=True).prefetch_related("texts"))
    report = []
    for row in counts:
        about = [article for article in articles if row["topic"] in (article.topics or [])]
        languages = {text.language for article in about for text in article.texts.all()}
        report.append(
            TopicCoverage(
                topic=row["topic"],
                label=labels.get(row["topic"], row["topic"]),
                complaints=row["complaints"],
                articles=[article.slug for article in about],
                missing_languages=[language for language in SERVED_LANGUAGES if language not in languages],
            )
        )
    return report


def last_quarter_coverage() -> tuple[date, date, list[TopicCoverage]]:
    """The coverage report for the last complete quarter in the firm's time zone (console and API)."""
    zone = ZoneInfo(organisation_for_texts().timezone)
    start, end = previous_quarter(timezone.localdate(timezone=zone))
    rows = complaint_topic_coverage(*local_period(start, end))
    return start, end, rows


def previous_quarter(today: date) -> tuple[date, date]:
    """First day of the last complete calendar quarter, and the first day after it."""
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = date(this_quarter.year - (this_quarter.month == 1), (this_quarter.month - 4) % 12 + 1, 1)
    return start, this_quarter
