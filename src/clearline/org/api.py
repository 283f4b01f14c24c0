"""What the firm's other systems print about it: the contact block for transaction receipts (NYCRR-10)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from clearline.accounts.api_auth import staff_token
from clearline.accounts.models import Staff
from clearline.accounts.selectors import get_staff_by_email
from clearline.accounts.services import set_routing_profile
from clearline.cases.models import Topic
from clearline.cases.templates_text import render_message_template
from clearline.core.errors import DomainError, NotFound

from .selectors import organisation_for_texts
from .services import set_automatic_assignment

router = Router(tags=["organisation"], auth=[staff_token])


@router.get(
    "/org/receipt-contact",
    response=dict[str, Any],
    summary="The questions-and-complaints block for transaction receipts, per language (NYCRR-10)",
)
def receipt_contact(request: HttpRequest, language: Literal["en", "es", "ro"] = "en") -> dict[str, Any]:
    rendered = render_message_template(
        "transaction_receipt_contact", language=language, context={"org": organisation_for_texts()}
    )
    return {"language": rendered.language, "title": rendered.subject, "text": rendered.body.strip()}


class AssignmentIn(Schema):
    assign_automatically: bool


@router.put("/org/assignment", response=dict[str, bool], summary="Round-robin assignment on or off (PRD-04)")
def automatic_assignment(request: HttpRequest, payload: AssignmentIn) -> dict[str, bool]:
    staff: Staff = request.auth  # type: ignore[attr-defined]
    organisation = set_automatic_assignment(enabled=payload.assign_automatically, by=staff)
    return {"assign_automatically": organisation.assign_automatically}


class RoutingProfileIn(Schema):
    languages: list[Literal["en", "es", "ro"]] = []
    skills: list[str] = []


@router.put("/staff/{email}/routing", response=dict[str, list[str]], summary="Languages and topics (PRD-04)")
def routing_profile(request: HttpRequest, email: str, payload: RoutingProfileIn) -> dict[str, list[str]]:
    """Which new cases automatic assignment gives this person: empty lists mean any language, any topic."""
    staff = get_staff_by_email(email)
    if staff is None:
        raise NotFound("No such staff member.")
    unknown = set(payload.skills) - set(
        Topic.objects.filter(key__in=payload.skills).values_list("key", flat=True)
    )
    if unknown:
        raise DomainError(f"Unknown topic keys: {', '.join(sorted(unknown))}.", field="skills")
    by: Staff = request.auth  # type: ignore[attr-defined]
    changed = set_routing_profile(staff, languages=list(payload.languages), skills=payload.skills, by=by)
    return {"languages": changed.languages, "skills": changed.skills}
