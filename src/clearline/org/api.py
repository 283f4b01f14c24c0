"""What the firm's other systems print about it: the contact block for transaction receipts (NYCRR-10)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router

from clearline.accounts.api_auth import staff_token
from clearline.cases.templates_text import render_message_template

from .selectors import organisation_for_texts

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
