"""Inbound mail, from any of the three intake paths (IMAP, MTA pipe, SMTP receiver), to a case.

Two steps, so nothing is lost: ``record_inbound_email`` stores the original bytes and commits (only then may
a server delete its copy or an SMTP peer hear 250), and ``process_inbound_email`` turns a stored message into
a new case, a message on an existing one, a note (auto-replies, bounces) or a quarantine entry with its
reason. Both are idempotent: by Message-ID for the first, by the row's status for the second.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from clearline.accounts.models import Staff
from clearline.accounts.permissions import Capability, require
from clearline.audit import services as audit
from clearline.cases import rules as case_rules
from clearline.cases.language import detect_language
from clearline.cases.models import Case, Message, Visibility
from clearline.cases.selectors import get_case
from clearline.cases.services import Author, WrittenWith, add_message, open_case
from clearline.core.errors import DomainError, NotFound
from clearline.core.references import REFERENCE_PATTERN
from clearline.core.rows import (
    GuardedUpdate,
    GuardFailed,
    insert_rows,
    insert_unless_conflict,
    row_and_parents,
    row_by_key,
    update_guarded,
)
from clearline.crypto.redaction import redact_secrets

from . import parsing
from .models import (
    BouncedAddress,
    EmailAttachment,
    InboundEmail,
    InboundStatus,
    OutboundEmail,
    QuarantineReason,
    ThreadMatch,
)
from .outbound import reference_from_reply_address, sending_address
from .trimming import visible_text

logger = logging.getLogger(__name__)

EMAIL_TOPIC = "other"  # an email names no topic; the agent reclassifies (audited) when it is clear
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 100  # kept as files with rows; the rest stay in the stored original, named in a note
MAX_PROCESSING_ATTEMPTS = 3
STALE_AFTER = timedelta(seconds=60)  # a stored message not processed by then is picked up by the sweep
_UNFOLDED = policy.default.clone(max_line_length=None)  # headers as they came, ours on one line


def record_inbound_email(
    raw: bytes, *, source: str, envelope_sender: str = "", envelope_recipients: tuple[str, ...] = ()
) -> InboundEmail:
    """Store the original (DFS-25, NYCRR-06) and commit; the same Message-ID again returns the first row."""
    return _record(
        raw, source=source, envelope_sender=envelope_sender, envelope_recipients=envelope_recipients
    )[0]


def _record(
    raw: bytes, *, source: str, envelope_sender: str, envelope_recipients: tuple[str, ...]
) -> tuple[InboundEmail, bool]:
    """The stored row, and whether it was stored now (False: a message with that Message-ID came before)."""
    message_id = parsing.message_id_of(raw)
    key = parsing.message_key(message_id, raw)
    now = timezone.now()
    digest = hashlib.sha256(raw).hexdigest()
    name = default_storage.save(f"email/raw/{now:%Y/%m/%d}/{digest}.eml", ContentFile(raw))
    inbound = InboundEmail(
        message_key=key,
        message_id=message_id,
        raw=name,
        raw_sha256=digest,
        raw_size=len(raw),
        source=source,
        # What an SMTP client said, not the message: a NUL in it must not make every retry fail.
        envelope_sender=envelope_sender.replace("\x00", "")[:254],
        envelope_recipients=[recipient.replace("\x00", "") for recipient in envelope_recipients[:50]],
        received_at=now,
    )
    # One INSERT that skips a known Message-ID instead of failing: no lookup first, and no savepoint when a
    # caller's transaction is open. A message seen before (a re-poll, another path) keeps its first row.
    try:
        stored = insert_unless_conflict(inbound)
    except BaseException:  # the sender is told to retry; the bytes it will send again are not kept twice
        default_storage.delete(name)
        raise
    if stored:
        return inbound, True
    default_storage.delete(name)
    return InboundEmail.objects.get(message_key=key), False


def ingest_email(
    raw: bytes, *, source: str, envelope_sender: str = "", envelope_recipients: tuple[str, ...] = ()
) -> InboundEmail:
    """Store, then process at once (``clearline ingest-email`` and tests); returns the processed row."""
    inbound, stored_now = _record(
        raw, source=source, envelope_sender=envelope_sender, envelope_recipients=envelope_recipients
    )
    if stored_now:  # the bytes in hand are the stored original: not read back from the row and the file
        return _process(inbound, raw)
    return process_inbound_email(inbound.pk)


def process_inbound_email(inbound_id: int) -> InboundEmail:
    """File one stored message; a second call (a retry, the sweep) finds it done and changes nothing."""
    inbound = row_by_key(InboundEmail, inbound_id)
    if inbound.status != InboundStatus.RECEIVED:
        return inbound
    with inbound.raw.open("rb") as file:
        raw = file.read()
    return _process(inbound, raw)


def _process(inbound: InboundEmail, raw: bytes) -> InboundEmail:
    inbound_id = inbound.pk
    try:
        parsed = parsing.parse_email(raw)
    except parsing.NoSender as error:
        return _quarantine(inbound_id, QuarantineReason.NO_SENDER, str(error))
    except Exception as error:
        return _quarantine(inbound_id, QuarantineReason.UNPARSEABLE, f"{type(error).__name__}: {error}")
    try:
        return _file(inbound, parsed, raw)
    except Exception as error:
        attempts = InboundEmail.objects.filter(pk=inbound_id).values_list("attempts", flat=True).first() or 0
        InboundEmail.objects.filter(pk=inbound_id).update(attempts=attempts + 1)
        if attempts + 1 >= MAX_PROCESSING_ATTEMPTS:  # never dropped, never retried forever: an admin looks
            logger.exception("email %s quarantined after %s attempts", inbound_id, attempts + 1)
            return _quarantine(
                inbound_id, QuarantineReason.UNPARSEABLE, f"{type(error).__name__}: {error}", parsed
            )
        raise


def process_stale_inbound_email(*, older_than: timedelta = STALE_AFTER, limit: int = 500) -> int:
    """The sweep: messages stored but never processed (a worker killed mid-batch) are processed now."""
    cutoff = timezone.now() - older_than
    pending = list(
        InboundEmail.objects.filter(status=InboundStatus.RECEIVED, received_at__lte=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    for inbound_id in pending:
        try:
            process_inbound_email(inbound_id)
        except Exception:  # one bad message must not stop the others; its attempts are counted
            logger.exception("processing stored email %s failed", inbound_id)
    return len(pending)


def release_from_quarantine(inbound: InboundEmail, *, by: Staff) -> InboundEmail:
    """An admin sends a quarantined message through the pipeline again (after a fix, or to file it)."""
    require(by, Capability.MAIL_QUARANTINE)
    with transaction.atomic():
        updated = InboundEmail.objects.filter(pk=inbound.pk, status=InboundStatus.QUARANTINED).update(
            status=InboundStatus.RECEIVED, reason_code="", reason="", attempts=0, processed_at=None
        )
        if not updated:
            raise DomainError("Only a quarantined message can be released.", code="invalid_state")
        audit.record(
            actor=Author.of_staff(by).actor(),
            action="email.released",
            target=inbound,
            data={"message_id": inbound.message_id, "reason_code": inbound.reason_code},
        )
    try:
        return process_inbound_email(inbound.pk)
    except Exception:  # released all the same: the sweep files it (or quarantines it) on its next pass
        logger.exception("email %s released; filing it failed this time", inbound.pk)
        return InboundEmail.objects.get(pk=inbound.pk)


def agent_view(message: Message) -> str:
    """What the agent reads first: a customer email without the quoted history and the signature."""
    return visible_text(message.body)


@dataclass(frozen=True)
class _Thread:
    case: Case | None
    match: ThreadMatch
    answered: Case | None = None  # the case a person's email answered, when they are not its customer


def find_thread(parsed: parsing.ParsedEmail) -> _Thread:
    """PRD-01: In-Reply-To, then References newest first, then the per-case reply address, then the
    reference in the subject. A person's mail joins a case only from that case's customer: a message from
    anyone else (a forwarded thread, a typed reference) opens a case of its own, so nobody can add words
    to another customer's case. Machines' mail (bounces, auto-replies) only becomes an internal note."""
    replied_to = _message_keys(parsed.in_reply_to)
    referenced = _message_keys(tuple(reversed(parsed.references)))
    known = _case_ids_of_keys(replied_to + referenced)  # one query for both headers
    for keys, match in ((replied_to, ThreadMatch.IN_REPLY_TO), (referenced, ThreadMatch.REFERENCES)):
        case = _first_known_case(keys, known)
        if case is not None:
            return _from_customer(case, match, parsed)
    reference = reference_from_reply_address(parsed.recipients)
    case = _case_with_reference(reference) if reference else None
    if case is not None:
        return _from_customer(case, ThreadMatch.TOKEN, parsed)
    for reference in REFERENCE_PATTERN.findall(parsed.subject.upper()):
        case = _case_with_reference(reference)
        if case is not None and case.customer.email.lower() == parsed.from_address:
            return _Thread(case, ThreadMatch.SUBJECT)
    return _Thread(None, ThreadMatch.NEW)


def _case_with_reference(reference: str) -> Case | None:
    try:
        return get_case(reference)
    except NotFound:
        return None


def _from_customer(case: Case, match: ThreadMatch, parsed: parsing.ParsedEmail) -> _Thread:
    if case.merged_into_id is not None:  # a merged duplicate: the conversation continues on the other case
        case = row_and_parents(Case, case.merged_into_id, ("customer",))
    if parsed.automatic or case.customer.email.lower() == parsed.from_address:
        return _Thread(case, match)
    return _Thread(None, ThreadMatch.NEW, answered=case)  # their own case, linked to the one they answered


def _message_keys(message_ids: tuple[str, ...]) -> list[str]:
    return [parsing.message_key(message_id, b"") for message_id in message_ids[:50]]


_CASES_OF_KEYS = """
SELECT 0, message_key, case_id FROM channels_email_outboundemail WHERE message_key IN ({keys})
UNION ALL
SELECT 1, message_key, case_id FROM channels_email_inboundemail
WHERE message_key IN ({keys}) AND case_id IS NOT NULL
"""


def _case_ids_of_keys(keys: list[str]) -> dict[str, int]:
    """The case of each message key we know: ours sent first, else the customer's filed. One query where
    the ORM took two per header, at every message that answers something."""
    if not keys:
        return {}
    placeholders = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(_CASES_OF_KEYS.format(keys=placeholders), [*keys, *keys])
        rows = sorted(cursor.fetchall())  # ours (0) before theirs (1)
    found: dict[str, int] = {}
    for _theirs, key, case_id in rows:
        found.setdefault(key, case_id)
    return found


def _case_by_message_ids(message_ids: tuple[str, ...]) -> Case | None:
    """The case of the first of these ids we know (ours sent, or the customer's filed), in the given order."""
    keys = _message_keys(message_ids)
    return _first_known_case(keys, _case_ids_of_keys(keys))


def _first_known_case(keys: list[str], known: dict[str, int]) -> Case | None:
    case_id = next((known[key] for key in keys if key in known), None)
    return None if case_id is None else row_and_parents(Case, case_id, ("customer",))


def _file(inbound: InboundEmail, parsed: parsing.ParsedEmail, raw: bytes) -> InboundEmail:
    inbound_id = inbound.pk
    if _is_own_address(parsed.from_address):
        return _quarantine(
            inbound_id, QuarantineReason.MAIL_LOOP, f"Sent from {parsed.from_address}.", parsed
        )
    thread = find_thread(parsed)
    if parsed.automatic == "bounce" and parsed.bounce is not None:
        bounced_case = _case_by_message_ids(parsed.bounce.original_message_ids)
        thread = _Thread(bounced_case, ThreadMatch.IN_REPLY_TO) if bounced_case else thread
    if parsed.automatic and thread.case is None:
        return _quarantine(
            inbound_id,
            QuarantineReason.AUTOMATIC_NO_CASE,
            f"An automatic message ({parsed.automatic}) that answers none of our cases.",
            parsed,
        )
    attachments, refused, secrets_in_attachments = _attachment_rows(inbound, parsed.attachments)
    secrets_elsewhere = secrets_in_attachments or _secret_past_the_cut(parsed)
    filing = _Filing(inbound, parsed, thread, raw, secrets_elsewhere)
    try:
        if thread.case is None and not parsed.automatic and not refused:
            # The email is filed with its new case in open_case's write: one statement on PostgreSQL.
            _new_case(
                inbound,
                parsed,
                thread,
                written_with=lambda _case, message: (attachments, filing.update(message)),
            )
        else:
            with transaction.atomic():
                message = _timeline_entry(inbound, parsed, thread)
                insert_rows(attachments)  # one plain INSERT (core.rows), as the message's other rows
                if refused:
                    _note(
                        message.case,
                        f"The email's attachments {', '.join(refused)} were refused: program files, files "
                        f"above 20 MB and more than {MAX_ATTACHMENTS} attachments are not accepted (all are "
                        "in the stored original).",
                    )
                # The guard: an UPDATE that only a still-unfiled row passes. A second worker filing the same
                # message waits here for the first to commit, then matches nothing and rolls its case back.
                update_guarded(filing.update(message))
    except GuardFailed:  # another worker filed it first; this attempt wrote nothing
        filing.discard_files(attachments)
        return InboundEmail.objects.get(pk=inbound_id)
    except DomainError as error:  # refused before anything was written (open_case validates first)
        filing.discard_files(attachments)
        return _quarantine(inbound_id, QuarantineReason.REJECTED, error.message, parsed)
    if filing.replaced_original:  # the original with the secret goes once its redacted copy is on record
        transaction.on_commit(partial(default_storage.delete, filing.replaced_original))
    for field, value in filing.values.items():
        setattr(inbound, field, value)
    return inbound


class _Filing:
    """What filing changes on the stored email: its case and message, what was read off it, and the stored
    original replaced by a redacted copy when a secret was pasted (CRY-03). That copy is written once,
    however often the case's rows are built (open_case builds them again after a conflict)."""

    def __init__(
        self,
        inbound: InboundEmail,
        parsed: parsing.ParsedEmail,
        thread: _Thread,
        raw: bytes,
        secrets_elsewhere: bool,
    ) -> None:
        self.inbound, self.parsed, self.thread, self.raw = inbound, parsed, thread, raw
        self.secrets_elsewhere = secrets_elsewhere  # in attachments, or in the text the case cannot hold
        self.redacted: list[str] | None = None
        self.replaced_original = ""
        self.values: dict[str, Any] = {}

    def update(self, message: Message) -> GuardedUpdate:
        """The guarded change of the stored email for this message, on its case."""
        if self.redacted is None:
            self.redacted = []
            if message.redacted_kinds or self.secrets_elsewhere:
                self.replaced_original = self.inbound.raw.name
                self.redacted = _redact_stored_original(self.inbound, self.raw)
        case = message.case
        self.values = {
            "status": InboundStatus.FILED,
            "raw": self.inbound.raw.name,
            "case": case,
            "case_message": message,
            "thread_match": self.thread.match,
            "automatic": self.parsed.automatic,
            "from_address": self.parsed.from_address,
            "subject": message.subject or case.subject,
            "language": _language(message, self.thread),
            "raw_redacted": self.redacted,
            "processed_at": timezone.now(),
        }
        return GuardedUpdate(
            InboundEmail, self.inbound.pk, only_if={"status": InboundStatus.RECEIVED}, values=self.values
        )

    def discard_files(self, attachments: list[EmailAttachment]) -> None:
        """An attempt that wrote no rows: the files it stored beside them (attachments, a redacted copy)."""
        names = [row.file.name for row in attachments if row.file]
        names += [self.inbound.raw.name] if self.replaced_original else []
        for name in names:
            default_storage.delete(name)


def _language(message: Message, thread: _Thread) -> str:
    """A new case's language was detected at intake; a reply's is detected on its own words (lingua)."""
    if thread.case is None or message.direction != "inbound":
        return message.case.language
    return detect_language(visible_text(message.body), default=message.case.language)


def _timeline_entry(inbound: InboundEmail, parsed: parsing.ParsedEmail, thread: _Thread) -> Message:
    """The email's entry: a new case's first message, the customer's message on their case, or a note for a
    machine's mail."""
    if thread.case is None:
        case = _new_case(inbound, parsed, thread, written_with=None)
        assert case.opening_message is not None
        return case.opening_message
    if parsed.automatic:
        return _automatic_note(thread.case, parsed)
    return add_message(
        thread.case,
        by=Author.of_customer(thread.case.customer),
        body=_body_text(parsed),
        channel="email",
        subject=parsed.subject,
    )


def _new_case(
    inbound: InboundEmail, parsed: parsing.ParsedEmail, thread: _Thread, *, written_with: WrittenWith | None
) -> Case:
    return open_case(
        by=Author.web_visitor(),
        customer_email=parsed.from_address,
        customer_name=redact_secrets(parsed.from_name).text,  # a display name is text the sender typed
        subject=parsed.subject or "(no subject)",
        body=_body_text(parsed),
        topic=EMAIL_TOPIC,
        method="email",
        received_at=inbound.received_at,
        related_reference=thread.answered.reference if thread.answered else None,
        written_with=written_with,
    )


def _body_text(parsed: parsing.ParsedEmail) -> str:
    text = parsed.text.strip()
    if not text:
        names = ", ".join(attachment.filename for attachment in parsed.attachments)
        return f"(no text; attachments: {names})" if names else "(no text)"
    if len(text) > case_rules.MAX_BODY_LENGTH:
        # Redacted before the cut: a phrase across it would lose a word, fall short of twelve and be kept.
        marker = "\n[... shortened here; the whole message is in the stored original]"
        return redact_secrets(text).text[: case_rules.MAX_BODY_LENGTH - len(marker)] + marker
    return text


def _secret_past_the_cut(parsed: parsing.ParsedEmail) -> bool:
    """A secret in a text too long for the case (only the stored original holds it all)."""
    text = parsed.text.strip()
    return len(text) > case_rules.MAX_BODY_LENGTH and bool(redact_secrets(text).kinds)


def _automatic_note(case: Case, parsed: parsing.ParsedEmail) -> Message:
    """Auto-replies and bounces are internal notes: they never reopen a case nor get an acknowledgement."""
    if parsed.automatic == "bounce" and parsed.bounce is not None:
        bounce = parsed.bounce
        detail = f" (status {bounce.status}: {bounce.diagnostic})" if bounce.status else ""
        recipients = _bounced_recipients(bounce)
        _flag_bounced(recipients, bounce)
        if recipients:
            body = (
                f"Our email to {', '.join(recipients)} could not be delivered{detail}. Use another channel."
            )
        else:
            body = (
                f"A delivery failure notice from {parsed.from_address or 'an unknown sender'}{detail} names "
                "no email we sent, so no address was flagged as undeliverable."
            )
    else:
        excerpt = visible_text(parsed.text)[:1000]
        body = f"Automatic reply from {parsed.from_address or 'the customer'}:\n\n{excerpt}"
    return _note(case, body)


def _note(case: Case, body: str) -> Message:
    return add_message(case, by=Author.system(), body=body, visibility=Visibility.INTERNAL, channel="email")


def _bounced_recipients(bounce: parsing.Bounce) -> tuple[str, ...]:
    """Who our returned email went to, and only that: anyone can send a message that looks like a bounce, so
    an address is flagged only when the notice names one of our sent Message-IDs, and only that email's
    recipient (when the notice lists failed recipients, one of them)."""
    keys = _message_keys(bounce.original_message_ids)
    sent_to = {
        address.lower()
        for address in OutboundEmail.objects.filter(message_key__in=keys).values_list("to_address", flat=True)
    }
    named = {address.lower() for address in bounce.recipients}
    return tuple(sorted(sent_to & named if named else sent_to))


def _flag_bounced(recipients: tuple[str, ...], bounce: parsing.Bounce) -> None:
    now = timezone.now()
    for address in recipients:
        BouncedAddress.objects.get_or_create(
            address=address.lower(), defaults={"first_bounced_at": now, "last_bounced_at": now}
        )
        BouncedAddress.objects.filter(address=address.lower()).update(
            bounce_count=F("bounce_count") + 1,
            last_status=bounce.status,
            last_diagnostic=bounce.diagnostic,
            last_bounced_at=now,
        )


def _is_own_address(address: str) -> bool:
    local, domain = sending_address().split("@", 1)
    sender_local, _, sender_domain = address.partition("@")
    return sender_domain == domain and sender_local.split("+", 1)[0] == local


def _attachment_rows(
    inbound: InboundEmail, attachments: tuple[parsing.Attachment, ...]
) -> tuple[list[EmailAttachment], list[str], bool]:
    """Stored beside the raw original; program files and oversized ones are refused and named. Text files
    and attached messages pass secret redaction. Returns the unsaved rows (written with the filing), the
    refused names and whether a secret was found."""
    refused: list[str] = []
    rows = []
    secrets_found = False
    if len(attachments) > MAX_ATTACHMENTS:  # 20,000 one-byte files took 11 s, each synced to disk
        refused.append(f"{len(attachments) - MAX_ATTACHMENTS} more beyond the first {MAX_ATTACHMENTS}")
    for original in attachments[:MAX_ATTACHMENTS]:
        attachment, had_secret = _redacted_attachment(original)
        secrets_found = secrets_found or had_secret
        digest = hashlib.sha256(attachment.payload).hexdigest()
        row = EmailAttachment(
            inbound=inbound,
            filename=redact_secrets(attachment.filename).text[:200],  # shown to agents, as the body is
            content_type=attachment.content_type[:100],
            size=len(attachment.payload),
            sha256=digest,
            inline=attachment.inline,
        )
        if attachment.is_dangerous or len(attachment.payload) > MAX_ATTACHMENT_BYTES:
            row.refused = True
            row.refusal_reason = "program file" if attachment.is_dangerous else "larger than 20 MB"
            refused.append(attachment.filename)
        else:
            row.file.save(f"{digest}.bin", ContentFile(attachment.payload), save=False)
        rows.append(row)
    return rows, refused, secrets_found


def _redact_stored_original(inbound: InboundEmail, raw: bytes, *, only_if_found: bool = False) -> list[str]:
    """CRY-03 over DFS-25: a pasted secret must not survive in the archive either. The stored original is
    replaced by the same message with its text parts redacted; the digest of the bytes received stays. The
    caller deletes the old file once the row names the new one. ``only_if_found``: nothing is written when
    no secret is found (filing knows already that there is one; quarantine looks)."""
    message, kinds = _redacted_message(raw)
    if only_if_found and not kinds:
        return []
    message["X-Clearline-Redacted"] = ", ".join(sorted(kinds))
    message["X-Clearline-Original-SHA256"] = inbound.raw_sha256
    inbound.raw.save(
        f"{inbound.raw_sha256}-redacted.eml", ContentFile(message.as_bytes(policy=_UNFOLDED)), save=False
    )
    return sorted(kinds)


def _redact_quarantined_original(inbound: InboundEmail) -> bool:
    """CRY-03: quarantined mail is kept, for an admin and the examiners' export, without the secrets a
    customer pasted, like filed mail. One that cannot be read as a message at all is kept as received."""
    if inbound.raw_redacted:  # quarantined before, after a release
        return False
    try:
        with inbound.raw.open("rb") as file:
            inbound.raw_redacted = _redact_stored_original(inbound, file.read(), only_if_found=True)
    except Exception:
        logger.warning("email %s: quarantined without a secret scan; it could not be read", inbound.pk)
        return False
    return bool(inbound.raw_redacted)


def _redacted_message(raw: bytes) -> tuple[EmailMessage, set[str]]:
    """The message with every text part (attached messages' too) and the subject passed through redaction."""
    parsing.refuse_costly_headers(raw)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    kinds: set[str] = set()
    for part in message.walk():  # walks into attached messages as well
        if part.is_multipart() or not parsing.is_text_file(
            part.get_content_type(), part.get_filename() or ""
        ):
            continue
        text = parsing.decode_text(part)
        result = redact_secrets(text)
        if part.get_content_subtype() == "html":  # tags between the words hide a phrase from the raw scan
            as_text = redact_secrets(parsing.html_to_text(text))
            if as_text.kinds - result.kinds:  # shown as its redacted text: the layout goes, the secret too
                result = replace(as_text, text=parsing.preformatted(as_text.text))
        if result.kinds:
            kinds |= {kind.value for kind in result.kinds}
            _replace_text(part, result.text)
    subject = redact_secrets(str(message.get("subject", "")))
    if subject.kinds:
        kinds |= {kind.value for kind in subject.kinds}
        del message["subject"]
        message["Subject"] = " ".join(subject.text.split())  # decoded, it may hold a line break
    return message, kinds


def _redacted_attachment(attachment: parsing.Attachment) -> tuple[parsing.Attachment, bool]:
    """Text files and attached messages pass secret redaction like the body (CRY-03): text by its type or,
    sent as application/octet-stream, by its name; UTF-16 (Windows Notepad's "Unicode") by its BOM."""
    if parsing.is_text_file(attachment.content_type, attachment.filename):
        encoding = "utf-16" if attachment.payload[:2] in parsing.UTF16_BOMS else "utf-8"
        result = redact_secrets(attachment.payload.decode(encoding, "replace"))
        if result.kinds:
            return replace(attachment, payload=result.text.encode(encoding)), True
    elif attachment.content_type == "message/rfc822":
        message, kinds = _redacted_message(attachment.payload)
        if kinds:
            return replace(attachment, payload=message.as_bytes(policy=_UNFOLDED)), True
    return attachment, False


def _replace_text(part: EmailMessage, text: str) -> None:
    filename = part.get_filename()
    filename = " ".join(filename.split()) if filename else filename  # a header value cannot break a line
    disposition = part.get_content_disposition()
    if part.get_content_maintype() != "text":  # a text file sent as application/octet-stream stays one
        maintype, subtype = part.get_content_type().split("/", 1)
        part.set_content(text.encode("utf-8"), maintype, subtype, disposition=disposition, filename=filename)
        return
    part.set_content(
        text,
        subtype=part.get_content_subtype(),
        charset="utf-8",
        cte="quoted-printable",
        disposition=disposition,
        filename=filename,
    )


def _quarantine(
    inbound_id: int, code: QuarantineReason, reason: str, parsed: parsing.ParsedEmail | None = None
) -> InboundEmail:
    """Kept for an admin with its reason and, when it could be read, who sent it and about what."""
    with transaction.atomic():
        inbound = InboundEmail.objects.select_for_update().get(pk=inbound_id)
        if inbound.status == InboundStatus.FILED:
            return inbound
        inbound.status, inbound.reason_code = InboundStatus.QUARANTINED, code
        inbound.reason = reason.replace("\x00", "")[:500]
        inbound.processed_at = timezone.now()
        fields = ["status", "reason_code", "reason", "processed_at"]
        if parsed is not None:
            inbound.from_address = parsed.from_address  # parsing let no NUL into either
            inbound.subject = redact_secrets(parsed.subject).text[:300]  # markers are longer than secrets
            inbound.automatic = parsed.automatic
            fields += ["from_address", "subject", "automatic"]
        replaced = inbound.raw.name
        if _redact_quarantined_original(inbound):
            fields += ["raw", "raw_redacted"]
            transaction.on_commit(partial(default_storage.delete, replaced))
        inbound.save(update_fields=fields)
        audit.record(
            actor=Author.system().actor(),
            action="email.quarantined",
            target=inbound,
            data={"message_id": inbound.message_id, "reason_code": code, "sha256": inbound.raw_sha256},
        )
    logger.info("email %s quarantined: %s", inbound_id, reason)
    return inbound


__all__ = [
    "agent_view",
    "find_thread",
    "ingest_email",
    "process_inbound_email",
    "process_stale_inbound_email",
    "record_inbound_email",
    "release_from_quarantine",
]
