"""Texts to a customer known only by phone number: the case's messages by SMS from the support line."""

from __future__ import annotations

from clearline.cases.models import Message
from clearline.org.selectors import organisation_for_texts, public_website

from .models import Call, PhoneLine
from .provider import get_provider

SMS_MAX_CHARACTERS = 1600  # the carrier's limit for one (concatenated) message


def sending_line(message: Message) -> PhoneLine | None:
    """The number the customer called, else the first active support line."""
    call = Call.objects.filter(case_id=message.case_id, line__isnull=False).select_related("line").first()
    if call is not None and call.line is not None:
        return call.line
    return PhoneLine.objects.filter(is_active=True).order_by("pk").first()


def send_case_text(message: Message) -> None:
    """A public outbound entry (the acknowledgement with its reference, DFS-12; a reply; an update) as SMS.
    Too long for one message, it is cut and ends with the status page, where the customer reads the rest."""
    case = message.case
    line = sending_line(message)
    if line is None:
        raise OSError("No active support line to send the text from.")
    body = f"[{case.reference}] {message.body}"
    if len(body) > SMS_MAX_CHARACTERS:
        more = f"\u2026 {public_website(organisation_for_texts())}/track"
        body = body[: SMS_MAX_CHARACTERS - len(more)].rstrip() + more
    get_provider().send_sms(to=case.customer.phone, sender=line.number, body=body)
