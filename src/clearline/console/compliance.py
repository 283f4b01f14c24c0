"""The compliance screen: the DFS quarterly pack in every format, freezing it, the frozen versions, and the
daily reconciliation of inbound contacts (DFS-23, 27 to 30)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, has_capability, require
from clearline.compliance.downloads import pack_response
from clearline.compliance.models import FrozenPack
from clearline.compliance.reconciliation import recent_reconciliations
from clearline.compliance.services import freeze_pack
from clearline.core.errors import DomainError, NotFound

from .views import staff_required


def _staff(request: HttpRequest) -> Staff:
    staff: Staff = request.user  # type: ignore[assignment]
    require(staff, Capability.REPORT_VIEW)
    return staff


def _recent_quarters(count: int = 5) -> list[str]:
    """The current quarter first, then the ones before it."""
    today = timezone.localdate()
    year, number = today.year, (today.month - 1) // 3 + 1
    labels = []
    for _ in range(count):
        labels.append(f"{year}Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return labels


@staff_required
def compliance_view(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    context = {
        "quarters": _recent_quarters(),
        "formats": ("json", "csv", "xlsx", "pdf"),
        "frozen": FrozenPack.objects.select_related("signed_off_by").order_by("-quarter", "-version"),
        "reconciliations": recent_reconciliations(),
        "can_sign_off": has_capability(staff, Capability.REPORT_SIGN_OFF),
    }
    return render(request, "console/compliance.html", context)


@staff_required
def pack_view(request: HttpRequest, quarter: str, fmt: str) -> HttpResponseBase:
    _staff(request)
    try:
        return pack_response(quarter, fmt)
    except NotFound:
        raise
    except DomainError as error:  # a malformed quarter
        return HttpResponse(error.message, status=error.status_code, content_type="text/plain; charset=utf-8")


@staff_required
@require_POST
def freeze_view(request: HttpRequest) -> HttpResponse:
    try:
        frozen = freeze_pack(request.POST.get("quarter", ""), by=_staff(request))
        messages.success(
            request, f"Froze {frozen.quarter} as version {frozen.version} ({frozen.file_sha256})."
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("console:compliance")
