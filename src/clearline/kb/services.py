"""Editing the FAQ: every save renders Markdown to sanitised HTML, keeps a revision and writes the audit."""

from __future__ import annotations

import html
import re

import nh3
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.cases.language import SERVED_LANGUAGES
from clearline.cases.models import Topic
from clearline.core.cache import forget_now_and_after_commit
from clearline.core.errors import DomainError

from .models import Article, ArticleRevision, ArticleText, Category
from .selectors import forget_faq_pages

MAX_TITLE = 200
MAX_SLUG = 100
MAX_BODY = 50_000
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(source: str) -> str:
    """Markdown without raw HTML, then nh3 as a second fence: only safe tags, links get rel=noopener."""
    return nh3.clean(_markdown.render(source), link_rel="noopener noreferrer")


def plain_text(body_html: str) -> str:
    return " ".join(html.unescape(strip_tags(body_html)).split())


@transaction.atomic
def save_article_text(
    article: Article,
    *,
    language: str,
    title: str,
    body_markdown: str,
    by: Staff | None,
    note: str = "",
) -> ArticleText:
    """Create or change one language's text; the previous one stays as a revision. Saving is a review."""
    if by is not None:
        require(by, Capability.KB_EDIT)
    if language not in SERVED_LANGUAGES:
        raise DomainError(f"Language must be one of {', '.join(SERVED_LANGUAGES)}.", field="language")
    title, body_markdown = title.strip(), body_markdown.strip()
    if not title or len(title) > MAX_TITLE:
        raise DomainError(f"A title of 1 to {MAX_TITLE} characters is required.", field="title")
    if not body_markdown or len(body_markdown) > MAX_BODY:
        raise DomainError(f"A body of 1 to {MAX_BODY} characters is required.", field="body")
    now = timezone.now()
    body_html = render_markdown(body_markdown)
    text = ArticleText.objects.select_for_update().filter(article=article, language=language).first()
    if text is None:
        text = ArticleText(article=article, language=language, revision=0)
    text.title, text.body_markdown, text.body_html = title, body_markdown, body_html
    text.search_text = plain_text(body_html)
    text.revision += 1
    text.last_reviewed_at = text.updated_at = now
    text.save()
    ArticleRevision.objects.create(
        text=text,
        revision=text.revision,
        title=title,
        body_markdown=body_markdown,
        note=note[:300],
        edited_by=by,
        edited_at=now,
    )
    audit.record(
        actor=audit.Actor.of_staff(by) if by else audit.Actor.system(),
        action="kb.article_saved",
        target=article,
        stream=f"kb:{article.slug}",
        data={"language": language, "revision": text.revision, "note": note[:300]},
    )
    forget_now_and_after_commit(forget_faq_pages)
    return text


def create_article(
    *,
    slug: str,
    category: Category,
    topics: list[str] | None = None,
    position: int = 0,
    by: Staff | None = None,
) -> Article:
    if by is not None:
        require(by, Capability.KB_EDIT)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or len(slug) > MAX_SLUG:
        raise DomainError("The address must be lower-case words joined by hyphens.", field="slug")
    if Article.objects.filter(slug=slug).exists():
        raise DomainError("An article with this address exists.", field="slug")
    known = set(Topic.objects.filter(key__in=topics or []).values_list("key", flat=True))
    if set(topics or []) - known:
        raise DomainError("Unknown topic.", field="topics")
    return Article.objects.create(slug=slug, category=category, topics=topics or [], position=position)


def set_published(article: Article, *, published: bool, by: Staff) -> None:
    """Publishing or withdrawing an article is recorded like an edit."""
    require(by, Capability.KB_EDIT)
    Article.objects.filter(pk=article.pk).update(is_published=published)
    forget_now_and_after_commit(forget_faq_pages)
    audit.record(
        actor=audit.Actor.of_staff(by),
        action="kb.article_published" if published else "kb.article_withdrawn",
        target=article,
        stream=f"kb:{article.slug}",
        data={},
    )


def record_helpful(text_id: int, *, helpful: bool) -> None:
    """ "Was this helpful?": a counter per text, no personal data."""
    field = "helpful_yes" if helpful else "helpful_no"
    ArticleText.objects.filter(pk=text_id).update(**{field: F(field) + 1})
