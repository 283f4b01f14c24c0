"""The public FAQ (DFS-21): readable and searchable without an account, in the visitor's language."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from . import selectors, services
from .search import search_articles

MAX_QUERY = 200


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "kb/index.html", {"categories": selectors.faq_index(get_language() or "en")})


def category(request: HttpRequest, key: str) -> HttpResponse:
    language = get_language() or "en"
    found = selectors.category_articles(key, language, page=request.GET.get("page", 1))
    if found is None:
        raise Http404
    category, page = found
    return render(
        request, "kb/category.html", {"category": category, "name": category.name(language), "page": page}
    )


def article(request: HttpRequest, slug: str) -> HttpResponse:
    language = get_language() or "en"
    text = selectors.article_text(slug, language)
    if text is None:
        raise Http404
    return render(
        request,
        "kb/article.html",
        {
            "text": text,
            "category_name": text.article.category.name(language),
            "in_other_language": text.language != language,
            "thanked": request.GET.get("thanks") == "1",
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY]
    results = search_articles(query, language=get_language() or "en") if query.strip() else []
    return render(request, "kb/search.html", {"query": query, "results": results})


@require_POST
def helpful(request: HttpRequest, slug: str) -> HttpResponse:
    text = selectors.article_text(slug, get_language() or "en")
    if text is None:
        raise Http404
    services.record_helpful(text.pk, helpful=request.POST.get("helpful") == "yes")
    return redirect(f"{reverse('kb:article', args=[slug])}?thanks=1#helpful")
