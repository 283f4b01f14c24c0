"""Reads of the email channel: what the agent sees beside a timeline, the quarantine, stored originals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.cases.models import Case
from clearline.cases.selectors import get_case_for_staff
from clearline.core.errors import NotFound
from clearline.crypto.redaction import redact_secrets

from .models import BouncedAddress, EmailAttachment, InboundEmail, InboundStatus
from .parsing import html_part_of
from .trimming import visible_text


@dataclass(frozen=True)
class EmailOnTimeline:
    """An inbound email beside its timeline entry: the trimmed view first, the whole text one click away."""

    inbound_id: int
    from_address: str
    visible_text: str
    is_trimmed: bool
    thread_match: str
    attachments: list[EmailAttachment]


def emails_on_timeline(case: Case) -> dict[int, EmailOnTimeline]:
    """By timeline message id, for the case page (one query for the mails, one for their attachments)."""
    inbound = list(
        InboundEmail.objects.filter(case=case, case_message__isnull=False)
        .select_related("case_message")
        .prefetch_related("attachments")
    )
    views = {}
    for email in inbound:
        message = email.case_message
        assert message is not None
        visible = visible_text(message.body) if not email.automatic else message.body
        views[message.pk] = EmailOnTimeline(
            inbound_id=email.pk,
            from_address=email.from_address,
            visible_text=visible,
            is_trimmed=visible != message.body.strip(),
            thread_match=email.get_thread_match_display(),
            attachments=list(email.attachments.all()),
        )
    return views


def bounced_address(case: Case) -> BouncedAddress | None:
    """The customer's address if our mail to it has bounced: the agent should use another channel."""
    return BouncedAddress.objects.filter(address=case.customer.email.lower()).first()


def list_quarantined(*, staff: Staff, limit: int = 200) -> QuerySet[InboundEmail]:
    require(staff, Capability.MAIL_QUARANTINE)
    return InboundEmail.objects.filter(status=InboundStatus.QUARANTINED).order_by("-received_at")[:limit]


def get_inbound_for_staff(inbound_id: int, *, staff: Staff) -> InboundEmail:
    """A stored original: on a case, for whoever may see that case; quarantined, for quarantine managers."""
    inbound = InboundEmail.objects.select_related("case").filter(pk=inbound_id).first()
    if inbound is None:
        raise NotFound("No such email.")
    if inbound.case is not None:
        get_case_for_staff(inbound.case.reference, staff=staff)
    else:
        require(staff, Capability.MAIL_QUARANTINE)
    return inbound


def get_attachment_for_staff(attachment_id: int, *, staff: Staff) -> EmailAttachment:
    attachment = EmailAttachment.objects.filter(pk=attachment_id, refused=False).first()
    if attachment is None:
        raise NotFound("No such attachment.")
    get_inbound_for_staff(attachment.inbound_id, staff=staff)
    return attachment


def formatted_html(inbound: InboundEmail) -> str:
    """The HTML of a stored email for display: sanitised (nh3: no script, style, forms, remote images) and,
    like every text shown to staff, passed through secret redaction (CRY-03)."""
    with inbound.raw.open("rb") as file:
        html = html_part_of(file.read())
    return redact_secrets(html).text if html else ""
