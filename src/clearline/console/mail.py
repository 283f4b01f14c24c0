"""Email in the console: the quarantine (admins), stored originals and attachments as downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clearline.accounts.models import Staff
from clearline.channels.email import selectors, services
from clearline.channels.email.downloads import attachment_response, original_response
from clearline.channels.email.models import InboundStatus
from clearline.core.errors import DomainError, PermissionDenied

from .views import staff_required


def _staff(request: HttpRequest) -> Staff:
    staff: Staff = request.user  # type: ignore[assignment]
    return staff


@staff_required
def quarantine_view(request: HttpRequest) -> HttpResponse:
    quarantined = selectors.list_quarantined(staff=_staff(request))
    return render(request, "console/mail_quarantine.html", {"quarantined": quarantined})


@staff_required
@require_POST
def release_view(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound = selectors.get_inbound_for_staff(inbound_id, staff=_staff(request))
    try:
        done = services.release_from_quarantine(inbound, by=_staff(request))
    except PermissionDenied:  # a 403 like every page, not a message on a page they may not see
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("console:mail_quarantine")
    if done.case is not None:
        messages.success(request, f"Filed on {done.case.reference}.")
    elif done.status == InboundStatus.RECEIVED:
        messages.warning(request, "Released; filing it failed this time and is retried within minutes.")
    else:
        messages.error(request, f"Quarantined again: {done.reason}")
    return redirect("console:mail_quarantine")


@staff_required
def original_view(request: HttpRequest, inbound_id: int) -> HttpResponseBase:
    return original_response(selectors.get_inbound_for_staff(inbound_id, staff=_staff(request)))


@staff_required
def attachment_view(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    return attachment_response(selectors.get_attachment_for_staff(attachment_id, staff=_staff(request)))


@staff_required
def formatted_view(request: HttpRequest, inbound_id: int) -> HttpResponse:
    """The sanitised HTML on a page of its own, under a policy that loads nothing and runs nothing."""
    inbound = selectors.get_inbound_for_staff(inbound_id, staff=_staff(request))
    response = render(
        request,
        "console/mail_formatted.html",
        {"inbound": inbound, "html": selectors.formatted_html(inbound)},
    )
    # default-src does not cover where a form posts, the base URL or who may frame the page: said here too,
    # so the page stays inert even if the sanitiser's allow-list ever grows.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return response
