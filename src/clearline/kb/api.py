"""The FAQ editor over the JSON API (PRD-06): what the console's editor does, for integrators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from clearline.accounts.api_auth import staff_allowed, staff_token
from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, has_capability, require
from clearline.core.errors import DomainError, NotFound

from . import services
from .models import Article, Category
from .selectors import last_quarter_coverage

router = Router(tags=["faq"], auth=[staff_token])


class ArticleIn(Schema):
    slug: str
    category: str
    topics: list[str] = []


class TextIn(Schema):
    title: str
    body_markdown: str
    note: str = ""


class PublishIn(Schema):
    published: bool


def _article(slug: str) -> Article:
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise NotFound("No such article.")
    return article


def _out(article: Article) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "category": article.category.key,
        "topics": article.topics,
        "is_published": article.is_published,
        "texts": {
            text.language: {
                "title": text.title,
                "revision": text.revision,
                "last_reviewed_at": text.last_reviewed_at,
            }
            for text in article.texts.all()
        },
    }


@router.get(
    "/kb/articles", response=list[dict[str, Any]], summary="Every FAQ article with its texts (DFS-21)"
)
def list_articles(request: HttpRequest) -> list[dict[str, Any]]:
    staff_allowed(request, Capability.KB_EDIT)
    return [
        _out(a) for a in Article.objects.select_related("category").prefetch_related("texts").order_by("slug")
    ]


@router.post("/kb/articles", response={201: dict[str, Any]}, summary="Create an article")
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[dict[str, Any]]:
    staff = staff_allowed(request, Capability.KB_EDIT)
    category = Category.objects.filter(key=payload.category).first()
    if category is None:
        raise DomainError("No such category.", field="category")
    article = services.create_article(slug=payload.slug, category=category, topics=payload.topics, by=staff)
    return Status(201, _out(article))


@router.put(
    "/kb/articles/{slug}/texts/{language}", response=dict[str, Any], summary="Write one language's text"
)
def save_text(request: HttpRequest, slug: str, language: str, payload: TextIn) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.KB_EDIT)
    article = _article(slug)
    services.save_article_text(
        article,
        language=language,
        title=payload.title,
        body_markdown=payload.body_markdown,
        note=payload.note,
        by=staff,
    )
    return _out(_article(slug))


@router.post("/kb/articles/{slug}/publish", response=dict[str, Any], summary="Publish or withdraw an article")
def publish(request: HttpRequest, slug: str, payload: PublishIn) -> dict[str, Any]:
    staff = staff_allowed(request, Capability.KB_EDIT)
    services.set_published(_article(slug), published=payload.published, by=staff)
    return _out(_article(slug))


@router.get(
    "/kb/coverage", response=list[dict[str, Any]], summary="Last quarter's complaint topics vs the FAQ"
)
def coverage(request: HttpRequest) -> list[dict[str, Any]]:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    if not has_capability(staff, Capability.AUDIT_VIEW):
        require(staff, Capability.KB_EDIT)
    _start, _end, rows = last_quarter_coverage()
    return [row.__dict__ for row in rows]
