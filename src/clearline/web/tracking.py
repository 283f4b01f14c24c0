"""Tracking a case without an account (DFS-19, PRD-03): ask for a link, open it once, read and reply."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearline.cases.models import Case, CaseStatus, Message, Visibility
from clearline.cases.services import Author, add_message
from clearline.cases.services.acknowledgement import format_moment
from clearline.cases.services.tracking import redeem_tracking_link, request_tracking_link
from clearline.core.errors import DomainError
from clearline.org.selectors import organisation_for_texts

LOOKUPS_PER_WINDOW = 10
WINDOW_SECONDS = 600
SESSION_KEY = "tracked_case"


def _over_limit(request: HttpRequest) -> bool:
    key = f"track-lookups:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, WINDOW_SECONDS)
    return cache.incr(key) > LOOKUPS_PER_WINDOW


def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/track.html", {"reference": request.GET.get("reference", "")[:20]})
    if _over_limit(request):
        return render(request, "web/track.html", {"limited": True}, status=429)
    reference = request.POST.get("reference", "")[:40]
    email = request.POST.get("email", "")[:254]
    if not reference.strip() or "@" not in email:
        error = _("Enter your case reference and the email address you used.")
        return render(request, "web/track.html", {"error": error, "reference": reference}, status=400)
    request_tracking_link(reference, email)
    return render(request, "web/track_sent.html")


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    case_id = redeem_tracking_link(token[:100])
    if case_id is None:
        return render(request, "web/track.html", {"expired": True}, status=410)
    request.session.cycle_key()
    request.session[SESSION_KEY] = case_id
    request.session.set_expiry(3600)
    return redirect("web:tracked_case")


def tracked_case(request: HttpRequest) -> HttpResponse:
    case_id = request.session.get(SESSION_KEY)
    case = Case.objects.select_related("topic", "customer").filter(pk=case_id).first() if case_id else None
    if case is None:
        return redirect("web:track")
    error = ""
    if request.method == "POST":
        try:
            add_message(case, by=Author.of_customer(case.customer), body=request.POST.get("body", ""))
            return redirect("web:tracked_case")
        except DomainError as problem:
            error = str(problem)
    language = get_language() or "en"
    zone = organisation_for_texts().timezone
    timeline = Message.objects.filter(case=case, visibility=Visibility.PUBLIC).order_by("created_at", "id")
    return render(
        request,
        "web/track_case.html",
        {
            "case": case,
            "status": _status_label(case.status),
            "topic": case.topic.label(language),
            "timeline": timeline,
            "received": format_moment(case.received_at, language=language, zone=zone),
            "estimated_response": ""
            if case.first_human_response_at
            else format_moment(case.first_response_due_at, language=language, zone=zone),
            "estimated_resolution": format_moment(
                case.resolution_due_at, language=language, zone=zone, with_time=False
            ),
            "error": error,
        },
    )


def _status_label(status: str) -> str:
    return {
        CaseStatus.NEW: _("Received"),
        CaseStatus.OPEN: _("Being worked on"),
        CaseStatus.WAITING_ON_CUSTOMER: _("Waiting for your reply"),
        CaseStatus.RESOLVED: _("Resolved"),
    }.get(CaseStatus(status), status)
