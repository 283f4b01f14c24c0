"""API authentication: staff bearer tokens, or a customer's help-centre session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from . import services
from .models import Customer, Staff
from .permissions import Capability, require

CUSTOMER_SESSION_KEY = "clearline_customer_id"


class StaffToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return services.authenticate_api_token(token)


class CustomerSession(APIKeyCookie):
    """A customer signed in to the help centre (session cookie, CSRF-checked on writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        customer_id = request.session.get(CUSTOMER_SESSION_KEY) if hasattr(request, "session") else None
        if not customer_id:
            return None
        return Customer.objects.filter(pk=customer_id).first()


staff_token = StaffToken()
customer_session = CustomerSession()


def staff_allowed(request: HttpRequest, capability: Capability) -> Staff:
    """The staff member behind a staff-token request, if their role has ``capability`` (else 403)."""
    staff: Staff = request.auth  # type: ignore[attr-defined]
    require(staff, capability)
    return staff
