"""The agent console: adapters over cases.services and cases.selectors (Django templates, htmx-enhanced)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from clearline.accounts import services as account_services
from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, has_capability, require
from clearline.accounts.selectors import get_staff_by_email
from clearline.cases import selectors, services
from clearline.cases.models import Case, Outcome, Visibility
from clearline.cases.services.macros import render_macro
from clearline.channels.email import selectors as email_selectors
from clearline.channels.voice import selectors as voice_selectors
from clearline.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from clearline.crypto.details import FIELD_LABELS
from clearline.feedback.models import Survey
from clearline.notices.models import NoticeCase
from clearline.sla import selectors as sla_selectors

from . import mfa

View = Callable[..., HttpResponseBase]


def _remote_addr(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def staff_required(view: View) -> View:
    """Signed in with a password *and* a verified TOTP code; every console page needs both."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect("console:login")
        if not request.user.is_verified():  # type: ignore[attr-defined]  # added by django-otp's middleware
            return redirect("console:mfa")
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error

    return wrapped


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        email = request.POST.get("email", "").strip()[:254]
        password = request.POST.get("password", "")
        if mfa.is_locked_out(email=email, remote_addr=_remote_addr(request)):
            messages.error(request, "Too many failed attempts. Try again in 15 minutes.")
            return render(request, "console/login.html", {"email": email}, status=429)
        user = authenticate(request, username=email, password=password)
        if user is None:
            mfa.note_failure(email=email, remote_addr=_remote_addr(request))
            known = get_staff_by_email(email)
            if known is not None:
                account_services.record_login(
                    known, succeeded=False, method="password", remote_addr=_remote_addr(request)
                )
            messages.error(request, "Email or password is not correct.")
            return render(request, "console/login.html", {"email": email}, status=401)
        login(request, user)
        return redirect("console:mfa")
    return render(request, "console/login.html", {})


@require_http_methods(["GET", "POST"])
def mfa_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("console:login")
    staff: Staff = request.user
    device = mfa.confirmed_device(staff)
    enrolling = device is None
    if enrolling:
        device = mfa.pending_device(staff)
    assert device is not None
    if request.method == "POST":
        if mfa.is_locked_out(email=staff.email, remote_addr=_remote_addr(request)):
            messages.error(request, "Too many failed attempts. Try again in 15 minutes.")
            return redirect("console:mfa")
        token = request.POST.get("token", "").replace(" ", "")
        if device.verify_token(token):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            mfa.clear_failures(email=staff.email)
            account_services.record_login(
                staff, succeeded=True, method="password+totp", remote_addr=_remote_addr(request)
            )
            return redirect("console:queue")
        mfa.note_failure(email=staff.email, remote_addr=_remote_addr(request))
        messages.error(request, "That code is not valid. Check your authenticator's clock and try again.")
    context: dict[str, Any] = {"enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = mfa.qr_svg(device)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "console/mfa.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("console:login")


@staff_required
def queue_view(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    try:
        page = selectors.list_queue(
            staff=staff,
            cursor=request.GET.get("cursor") or None,
            unassigned=request.GET.get("unassigned") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("console:queue")
    return render(request, "console/queue.html", {"page": page})


@staff_required
def breaches_view(request: HttpRequest) -> HttpResponse:
    """DFS-03, DFS-18: open cases past a deadline, and what the sweep recorded (breaches, prompts, alerts)."""
    staff: Staff = request.user  # type: ignore[assignment]
    require(staff, Capability.SLA_VIEW)
    context = {
        "overdue": sla_selectors.list_overdue_cases(),
        "events": sla_selectors.list_breaches()[:200],
        "alerts": sla_selectors.unread_alerts(staff.pk)[:50],
    }
    return render(request, "console/breaches.html", context)


@staff_required
def case_view(request: HttpRequest, reference: str) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    case = selectors.get_case_for_staff(reference, staff=staff)
    timeline = selectors.list_timeline(case, include_internal=True)
    viewers = _note_viewer(case.reference, staff)
    emails = email_selectors.emails_on_timeline(case)
    for message in timeline:
        message.email = emails.get(message.pk)  # type: ignore[attr-defined]
    context = {
        "case": case,
        "timeline": timeline,
        "bounced": email_selectors.bounced_address(case),
        "seen_up_to": timeline[-1].pk if timeline else 0,
        "draft": request.session.pop(f"draft:{case.reference}", "") or _macro_draft(request, case, staff),
        "macros": selectors.list_macros(language=case.language),
        "other_viewers": viewers,
        "history": selectors.list_classification_history(case),
        "topics": selectors.list_active_topics(),
        "outcomes": Outcome.choices,
        "can_reply": has_capability(staff, Capability.CASE_REPLY),
        "can_resolve": has_capability(staff, Capability.CASE_RESOLVE),
        "can_reclassify": has_capability(staff, Capability.CASE_RECLASSIFY),
        "can_assign": has_capability(staff, Capability.CASE_ASSIGN),
        "clocks": sla_selectors.describe_clocks(case),
        "details": _details(case),
        "notice_links": NoticeCase.objects.filter(case=case).select_related("notice"),
        "survey": Survey.objects.filter(case=case).first(),
        "calls": voice_selectors.calls_on_case(case),
    }
    return render(request, "console/case.html", context)


VIEWING_SECONDS = 120


def _macro_draft(request: HttpRequest, case: Case, staff: Staff) -> str:
    """``?macro=<id>``: the reply box starts from that macro, filled in for this case (PRD-04)."""
    macro_id = request.GET.get("macro", "")
    if not macro_id.isdigit() or not has_capability(staff, Capability.CASE_REPLY):
        return ""
    return render_macro(selectors.get_macro(int(macro_id)), case, by=staff)


def _note_viewer(reference: str, staff: Staff) -> list[str]:
    """PRD-04 collision warning: who else opened this case in the last two minutes (shared cache)."""
    key, now = f"console:viewing:{reference}", time.time()
    viewers = {email: at for email, at in cache.get(key, {}).items() if now - at < VIEWING_SECONDS}
    others = sorted(email for email in viewers if email != staff.email)
    viewers[staff.email] = now
    cache.set(key, viewers, VIEWING_SECONDS)
    return others


def _details(case: Case) -> list[tuple[str, str, str]]:
    """The structured intake (CRY-02) as label, value and the explorer link configured for its network."""
    links = case.details.get("explorer_links", {})
    return [
        (str(FIELD_LABELS.get(key, key)), str(value), str(links.get(key, "")))
        for key, value in case.details.items()
        if key != "explorer_links"
    ]


def _case_action(action: Callable[[HttpRequest, Staff, Any], str]) -> View:
    """POST-only case actions: run one service, report its refusal as a message, return to the case."""

    @staff_required
    @require_POST
    @wraps(action)
    def wrapped(request: HttpRequest, reference: str) -> HttpResponse:
        staff: Staff = request.user  # type: ignore[assignment]
        try:
            case = selectors.get_case_for_staff(reference, staff=staff)
            messages.success(request, action(request, staff, case))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("console:case", reference=reference)

    return wrapped


@_case_action
def reply_view(request: HttpRequest, staff: Staff, case: Any) -> str:
    internal = request.POST.get("visibility") == Visibility.INTERNAL
    body = request.POST.get("body", "")
    seen = request.POST.get("seen_up_to", "")
    try:
        services.add_message(
            case,
            by=services.Author.of_staff(staff),
            body=body,
            visibility=Visibility.INTERNAL if internal else Visibility.PUBLIC,
            waiting_on_customer=request.POST.get("waiting_on_customer") == "1",
            seen_up_to=int(seen) if seen.isdigit() else None,
        )
    except Conflict:
        request.session[f"draft:{case.reference}"] = body  # kept for the form, not lost
        raise
    return "Internal note added." if internal else "Reply sent."


@_case_action
def reclassify_view(request: HttpRequest, staff: Staff, case: Any) -> str:
    services.reclassify_case(
        case,
        by=staff,
        reason=request.POST.get("reason", ""),
        kind=request.POST.get("kind") or None,
        topic=request.POST.get("topic") or None,
    )
    return "Classification changed."


@_case_action
def assign_view(request: HttpRequest, staff: Staff, case: Any) -> str:
    assignee = staff if request.POST.get("assignee") == "me" else None
    services.assign_case(case, by=staff, assignee=assignee)
    return "Assigned to you." if assignee else "Unassigned."


@_case_action
def resolve_view(request: HttpRequest, staff: Staff, case: Any) -> str:
    services.resolve_case(
        case,
        by=staff,
        outcome=request.POST.get("outcome", ""),
        rationale=request.POST.get("rationale", ""),
        explanation=request.POST.get("explanation", ""),
    )
    return "Case resolved."


@_case_action
def reopen_view(request: HttpRequest, staff: Staff, case: Any) -> str:
    services.reopen_case(case, by=staff, reason=request.POST.get("reason", ""))
    return "Case reopened."


@_case_action
def merge_view(request: HttpRequest, staff: Staff, case: Any) -> str:
    target = selectors.get_case_for_staff(request.POST.get("into", "").strip().upper(), staff=staff)
    services.merge_case(case, into=target, by=staff, reason=request.POST.get("reason", ""))
    return f"Merged into {target.reference}; the customer was told."
