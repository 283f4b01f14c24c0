"""The FAQ editor for staff (DFS-21): articles per language in Markdown, sanitised on save, with revisions,
publishing, and the report of last quarter's complaint topics against the articles that answer them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, has_capability, require
from clearline.cases.language import SERVED_LANGUAGES
from clearline.cases.selectors import list_active_topics
from clearline.core.errors import DomainError
from clearline.kb import services
from clearline.kb.models import Article, ArticleText, Category
from clearline.kb.selectors import last_quarter_coverage

from .views import staff_required


def _editor(request: HttpRequest) -> Staff:
    staff: Staff = request.user  # type: ignore[assignment]
    require(staff, Capability.KB_EDIT)
    return staff


@staff_required
def articles_view(request: HttpRequest) -> HttpResponse:
    staff = _editor(request)
    if request.method == "POST":
        category = Category.objects.filter(key=request.POST.get("category", "")).first()
        try:
            if category is None:
                raise DomainError("Choose a category.", field="category")
            article = services.create_article(
                slug=request.POST.get("slug", "").strip(),
                category=category,
                topics=request.POST.getlist("topics"),
                by=staff,
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("console:faq")
        return redirect("console:faq_text", slug=article.slug, language="en")
    articles = (
        Article.objects.select_related("category").prefetch_related("texts").order_by("category", "position")
    )
    context = {
        "articles": [{"article": a, "texts": {t.language: t for t in a.texts.all()}} for a in articles],
        "languages": SERVED_LANGUAGES,
        "categories": Category.objects.order_by("position"),
        "topics": list_active_topics(),
    }
    return render(request, "console/faq.html", context)


@staff_required
def text_view(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    staff = _editor(request)
    article = Article.objects.filter(slug=slug).first()
    if article is None or language not in SERVED_LANGUAGES:
        raise Http404("No such article or language.")
    text = ArticleText.objects.filter(article=article, language=language).first()
    if request.method == "POST":
        if "published" in request.POST:
            services.set_published(article, published=request.POST["published"] == "1", by=staff)
            messages.success(request, "Published." if request.POST["published"] == "1" else "Withdrawn.")
            return redirect("console:faq_text", slug=slug, language=language)
        try:
            services.save_article_text(
                article,
                language=language,
                title=request.POST.get("title", ""),
                body_markdown=request.POST.get("body", ""),
                note=request.POST.get("note", ""),
                by=staff,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Saved as a new revision; the review date is today.")
            return redirect("console:faq_text", slug=slug, language=language)
    context = {
        "article": article,
        "language": language,
        "languages": SERVED_LANGUAGES,
        "text": text,
        "title": request.POST.get("title", text.title if text else ""),
        "body": request.POST.get("body", text.body_markdown if text else ""),
        "revisions": text.revisions.select_related("edited_by").order_by("-revision")[:20] if text else [],
    }
    return render(request, "console/faq_text.html", context)


@staff_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    """Last quarter's top complaint topics and whether the FAQ answers them, in every served language."""
    staff: Staff = request.user  # type: ignore[assignment]
    if not has_capability(staff, Capability.AUDIT_VIEW):  # supervisors, compliance and examiners read it
        require(staff, Capability.KB_EDIT)
    start, end, rows = last_quarter_coverage()
    return render(request, "console/faq_coverage.html", {"rows": rows, "start": start, "end": end})
