"""Web intake: a request or complaint through a form that adapts to the topic (CRY-02, CRY-03, CRY-06).

Two steps that work without JavaScript: choose the topic, then the form with that topic's structured fields.
Every submission goes through ``open_case`` like any other channel; errors come back next to their field in
the visitor's language, and the visitor keeps what they typed.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearline.cases.models import Case, Method, Topic
from clearline.cases.selectors import case_of_customer
from clearline.cases.services import Author, open_case
from clearline.cases.services.acknowledgement import format_moment
from clearline.core.errors import DomainError
from clearline.crypto.details import FIELD_LABELS, FORM_FIELDS
from clearline.crypto.models import Network
from clearline.notices.models import NoticeCase
from clearline.notices.selectors import intake_notices_for
from clearline.org.selectors import organisation_for_texts

SUBMISSIONS_PER_WINDOW = 5
WINDOW_SECONDS = 600
SESSION_KEY = "submitted_case"
TEXT_LIMITS = {"name": 200, "email": 254, "subject": 300, "body": 20_000, "related_reference": 20}


def _limit_key(request: HttpRequest) -> str:
    return f"web-intake:{request.META.get('REMOTE_ADDR', '')}"


def _over_limit(request: HttpRequest) -> bool:
    """Cases opened from one address in the window; a visitor correcting a typo is not counted."""
    return int(cache.get(_limit_key(request), 0)) >= SUBMISSIONS_PER_WINDOW


def _count_submission(request: HttpRequest) -> None:
    cache.add(_limit_key(request), 0, WINDOW_SECONDS)
    cache.incr(_limit_key(request))


def new_case(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    topics = list(Topic.objects.filter(is_active=True))
    topic = next((row for row in topics if row.key == request.GET.get("topic")), None)
    if topic is None:
        choices = [(row.key, row.label(language)) for row in topics]
        return render(request, "web/new_case_topic.html", {"topics": choices})
    if request.method != "POST":
        return _form(request, topic, values={"kind": request.GET.get("kind", "request")})
    if _over_limit(request):
        return render(request, "web/new_case_topic.html", {"limited": True}, status=429)
    values = {key: request.POST.get(key, "")[:limit] for key, limit in TEXT_LIMITS.items()}
    values["kind"] = "complaint" if request.POST.get("kind") == "complaint" else "request"
    details = {field: request.POST.get(field, "")[:200] for field in FORM_FIELDS.get(topic.intake_form, ())}
    earlier = _own_earlier_case(values)
    try:
        case = open_case(
            by=Author.web_visitor(),
            customer_email=values["email"],
            customer_name=values["name"],
            subject=values["subject"] or topic.label(language),
            body=_body_with_unmatched_reference(values, linked=earlier is not None),
            topic=topic.key,
            method=Method.WEB_FORM,
            kind=values["kind"],
            language=language,
            details=details,
            related_reference=earlier,
        )
    except DomainError as problem:
        return _form(request, topic, values={**values, **details}, error=problem, status=400)
    _count_submission(request)
    request.session[SESSION_KEY] = case.pk
    return redirect("web:case_submitted")


def _own_earlier_case(values: dict[str, str]) -> str | None:
    """CRY-06: link the earlier case only when it is the same customer's; never reveal a reference exists."""
    reference = values["related_reference"].strip().upper()
    if not reference or "@" not in values["email"]:
        return None
    earlier = case_of_customer(reference, values["email"])
    return earlier.reference if earlier else None


def _body_with_unmatched_reference(values: dict[str, str], *, linked: bool) -> str:
    """A reference we do not link is kept as text for the agent, so the visitor's words are not lost."""
    reference = values["related_reference"].strip().upper()
    if reference and not linked:
        label = _("Earlier reference given")
        return f"{values['body']}\n\n({label}: {reference})"
    return values["body"]


def _form(
    request: HttpRequest,
    topic: Topic,
    *,
    values: dict[str, str],
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    language = get_language() or "en"
    fields = FORM_FIELDS.get(topic.intake_form, ())
    error_field = (error.field or "").removeprefix("details.").removeprefix("customer.") if error else ""
    return render(
        request,
        "web/new_case.html",
        {
            "topic": topic,
            "topic_label": topic.label(language),
            "values": values,
            "detail_fields": [(field, FIELD_LABELS[field], values.get(field, "")) for field in fields],
            "networks": Network.objects.filter(is_active=True) if "network" in fields else [],
            "error": str(error) if error else "",
            "error_field": error_field,
            "change_topic": reverse("web:new_case"),
            "notices": [notice.intake_notice(language) for notice in intake_notices_for(topic.key)],
        },
        status=status,
    )


def case_submitted(request: HttpRequest) -> HttpResponse:
    case_id = request.session.get(SESSION_KEY)
    case = Case.objects.select_related("topic").filter(pk=case_id).first() if case_id else None
    if case is None:
        return redirect("web:new_case")
    language = get_language() or "en"
    zone = organisation_for_texts().timezone
    first_message = case.messages.order_by("created_at", "id").first()
    context: dict[str, Any] = {
        "case": case,
        "estimated_response": format_moment(case.first_response_due_at, language=language, zone=zone),
        "estimated_resolution": format_moment(
            case.resolution_due_at, language=language, zone=zone, with_time=False
        ),
        "redacted": bool(first_message and first_message.redacted_kinds),
        "notices": [
            link.notice.intake_notice(language) or link.notice.title(language)
            for link in NoticeCase.objects.filter(case=case).select_related("notice")
        ],
    }
    return render(request, "web/new_case_sent.html", context)
