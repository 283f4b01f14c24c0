"""What the email channel keeps: every inbound message raw, our outbound Message-IDs, bounced addresses."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    IMAP = "imap", "IMAP mailbox"
    PIPE = "pipe", "MTA pipe (clearline ingest-email)"
    SMTP = "smtp", "Built-in SMTP receiver"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", "Stored, not yet processed"
    FILED = "filed", "On a case"
    QUARANTINED = "quarantined", "Quarantined"


class QuarantineReason(models.TextChoices):
    UNPARSEABLE = "unparseable", "The message could not be parsed"
    NO_SENDER = "no_sender", "No valid sender address"
    MAIL_LOOP = "mail_loop", "Sent by this desk's own address (a mail loop)"
    AUTOMATIC_NO_CASE = "automatic_no_case", "Automatic message (auto-reply or bounce) for no known case"
    REJECTED = "rejected", "Refused by case intake"


class ThreadMatch(models.TextChoices):
    NEW = "new", "Opened a new case"
    IN_REPLY_TO = "in_reply_to", "In-Reply-To"
    REFERENCES = "references", "References"
    TOKEN = "token", "Per-case reply address"
    SUBJECT = "subject", "Reference in the subject"


class InboundEmail(models.Model):
    """One received message, stored raw before anything else happens (DFS-25, NYCRR-06).

    ``message_key`` (the SHA-256 of the Message-ID, or of the bytes when there is none) makes every intake
    path idempotent: the same message from IMAP and from the MTA, or a retry after a crash, is one row.
    """

    message_key = models.CharField(max_length=64, unique=True)
    message_id = models.TextField(blank=True)
    raw = models.FileField(upload_to="email/raw/%Y/%m/%d/", max_length=200)
    raw_sha256 = models.CharField(max_length=64, help_text="Of the bytes as received.")
    raw_size = models.PositiveIntegerField()
    source = models.CharField(max_length=8, choices=Source.choices)
    envelope_sender = models.CharField(max_length=254, blank=True)
    envelope_recipients = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=12, choices=InboundStatus.choices, default=InboundStatus.RECEIVED)
    reason_code = models.CharField(max_length=20, choices=QuarantineReason.choices, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True, help_text="Redacted, as on the case.")
    automatic = models.CharField(max_length=12, blank=True, help_text='"auto_reply", "bounce" or "".')
    thread_match = models.CharField(max_length=12, choices=ThreadMatch.choices, blank=True)
    language = models.CharField(max_length=8, blank=True)
    raw_redacted = models.JSONField(
        default=list, blank=True, help_text="Secret kinds removed from the stored original (CRY-03)."
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="inbound_emails"
    )
    case_message = models.OneToOneField(
        "cases.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="inbound_email"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_email_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.message_key[:12]} ({self.status})"


class EmailAttachment(models.Model):
    inbound = models.ForeignKey(InboundEmail, on_delete=models.PROTECT, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    inline = models.BooleanField(default=False)
    file = models.FileField(upload_to="email/attachments/%Y/%m/", max_length=200, blank=True)
    refused = models.BooleanField(default=False)
    refusal_reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.filename


class OutboundEmail(models.Model):
    """Our Message-ID for every mail we sent about a case: replies to it thread by In-Reply-To (PRD-01)."""

    message_key = models.CharField(max_length=64, unique=True)
    message_id = models.TextField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="outbound_emails")
    case_message = models.OneToOneField(
        "cases.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="outbound_email"
    )
    to_address = models.CharField(max_length=254)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.message_id


class BouncedAddress(models.Model):
    """An address our mail did not reach: shown on its cases so the agent uses another channel."""

    address = models.CharField(max_length=254, unique=True)
    bounce_count = models.PositiveIntegerField(default=0)
    last_status = models.CharField(max_length=20, blank=True)
    last_diagnostic = models.CharField(max_length=500, blank=True)
    first_bounced_at = models.DateTimeField()
    last_bounced_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.address


class Mailbox(models.Model):
    """A support mailbox Clearline drains by IMAP (business configuration, so it is data)."""

    name = models.CharField(max_length=100, unique=True)
    host = models.CharField(max_length=200)
    port = models.PositiveIntegerField(default=993)
    use_tls = models.BooleanField(default=True, help_text="IMAPS; off only for a server on loopback.")
    username = models.CharField(max_length=200)
    password = models.CharField(max_length=200)
    folder = models.CharField(max_length=200, default="INBOX")
    delete_after_storing = models.BooleanField(
        default=True,
        help_text="Off: messages stay, marked seen and tagged; read ones are fetched from the day before "
        "the mailbox was connected, unread ones whatever their age.",
    )
    poll_interval_seconds = models.PositiveIntegerField(default=60)
    is_active = models.BooleanField(default=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    connected_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class DkimKey(models.Model):
    """The private key that signs mail from one domain; its public half is published in DNS."""

    domain = models.CharField(max_length=253, unique=True)
    selector = models.CharField(max_length=63)
    private_key = models.TextField(help_text="PEM; never shown after creation.")
    public_key_record = models.TextField(help_text="The TXT record to publish at <selector>._domainkey.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.selector}._domainkey.{self.domain}"
