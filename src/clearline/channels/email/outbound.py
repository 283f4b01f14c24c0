"""Mail we send: from the support domain only, DKIM-signed, threaded, with its Message-ID remembered.

The Message-ID of a case message is chosen once and stored before the first attempt, so a retried delivery
sends the same message (receivers de-duplicate it) and a reply to any attempt threads back (PRD-01).
"""

from __future__ import annotations

import hmac
import re
from email._policybase import Compat32
from email.utils import formatdate, make_msgid
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clearline.cases.models import Case, Message
from clearline.core.cache import ProcessMemo
from clearline.core.rows import insert_unless_conflict
from clearline.org.selectors import organisation_for_texts

from .models import DkimKey, OutboundEmail
from .parsing import message_key

DKIM_KEY_SECONDS = 60
_dkim_keys = ProcessMemo(DKIM_KEY_SECONDS)
_TOKEN = re.compile(r"\+(cl-[a-z0-9]{8})\.([0-9a-f]{10})@")
_SIGNED_HEADERS = [
    b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"reply-to", b"in-reply-to", b"references",
    b"mime-version", b"content-type", b"content-transfer-encoding", b"auto-submitted",
]  # fmt: skip


def sending_address() -> str:
    """The organisation's support address, else ``support@`` the support domain; refused off the domain.

    Mail from another domain would teach customers to trust look-alike senders (the anti-phishing rule).
    """
    address = (organisation_for_texts().support_email or settings.DEFAULT_FROM_EMAIL).strip().lower()
    domain = address.rsplit("@", 1)[-1]
    if domain != settings.SUPPORT_DOMAIN:
        raise ImproperlyConfigured(
            f"The sending address {address} is not on CLEARLINE_SUPPORT_DOMAIN ({settings.SUPPORT_DOMAIN}); "
            "Clearline sends mail only from the firm's own domain."
        )
    return address


def _token(reference: str) -> str:
    return salted_hmac("clearline.email.reply-address", reference.upper()).hexdigest()[:10]


def reply_address(case: Case) -> str:
    """``support+cl-abcd2345.<mac>@domain``: replies thread even when a client drops every header."""
    local, domain = sending_address().split("@", 1)
    return f"{local}+{case.reference.lower()}.{_token(case.reference)}@{domain}"


def reference_from_reply_address(addresses: tuple[str, ...]) -> str | None:
    """The case reference in a per-case reply address we issued (its MAC checked), else None."""
    for address in addresses:
        found = _TOKEN.search(address.lower())
        if found and address.lower().endswith("@" + settings.SUPPORT_DOMAIN):
            reference = found.group(1).upper()
            if hmac.compare_digest(found.group(2), _token(reference)):
                return reference
    return None


def send_email(
    *, to: str, subject: str, body: str, headers: dict[str, str], reply_to: str | None = None
) -> None:
    """Every mail Clearline sends goes through here: sender checked, DKIM-signed when a key exists."""
    headers = {"Date": formatdate(localtime=False), **headers}
    headers.setdefault("Message-ID", make_msgid(domain=settings.SUPPORT_DOMAIN))
    SignedEmailMessage(
        subject=subject,
        body=body,
        from_email=sending_address(),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    ).send()


def send_case_message(message: Message) -> None:
    """A public outbound timeline entry as mail to the customer, threaded to the conversation."""
    case = message.case
    # The first attempt stores our Message-ID with one INSERT; a retry finds that row (the insert skips on
    # the message's unique key) and sends with the same Message-ID.
    outbound = OutboundEmail(case_message=message, **_new_outbound_fields(case))
    if not insert_unless_conflict(outbound):
        outbound = OutboundEmail.objects.get(case_message=message)
    # One line: a subject typed with line breaks (intake and the API keep them) would be a header injection,
    # refused by Django (BadHeaderError) on every attempt.
    subject = " ".join((message.subject or case.subject).split())
    if case.reference not in subject:
        subject = f"[{case.reference}] {subject}"
    headers = {"Message-ID": outbound.message_id, "X-Clearline-Reference": case.reference}
    headers.update(_thread_headers(case, exclude=outbound.pk))
    if message.author_type == "system":
        headers["Auto-Submitted"] = "auto-generated"  # RFC 3834: auto-responders must not answer it
    send_email(
        to=outbound.to_address,
        subject=subject,
        body=message.body,
        headers=headers,
        reply_to=reply_address(case),
    )


def _new_outbound_fields(case: Case) -> dict[str, Any]:
    message_id = make_msgid(idstring=case.reference.lower(), domain=settings.SUPPORT_DOMAIN)
    return {
        "message_id": message_id,
        "message_key": message_key(message_id, b""),
        "case": case,
        "to_address": case.customer.email,
        "sent_at": timezone.now(),
    }


_THREAD_SQL = """
SELECT 1, message_id, received_at, id FROM channels_email_inboundemail WHERE case_id = %s AND message_id <> ''
UNION ALL
SELECT 0, message_id, sent_at, id FROM channels_email_outboundemail WHERE case_id = %s AND id <> %s
"""  # one plain query: asked for every message sent, where the ORM's two cost a fifth of the delivery


def _thread_headers(case: Case, *, exclude: int) -> dict[str, str]:
    """In-Reply-To the customer's latest mail; References: their first, our recent ones, their latest."""
    with connection.cursor() as cursor:
        cursor.execute(_THREAD_SQL, [case.pk, case.pk, exclude])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[2], row[3]))  # by time, then row id
    inbound = [message_id for theirs, message_id, _at, _id in rows if theirs]
    ours = [message_id for theirs, message_id, _at, _id in reversed(rows) if not theirs][:8]
    chain = list(dict.fromkeys([*inbound[:1], *reversed(ours), *inbound[-1:]]))
    if not chain:
        return {}
    headers = {"References": " ".join(chain)}
    if inbound:
        headers["In-Reply-To"] = inbound[-1]
    return headers


def active_dkim_key(domain: str) -> DkimKey | None:
    """Asked for every mail sent; a new key (``clearline dkim-key``) signs within ``DKIM_KEY_SECONDS``."""
    return _dkim_keys.get_or_set(
        domain, lambda: DkimKey.objects.filter(domain=domain, is_active=True).first()
    )


def forget_dkim_key(domain: str) -> None:
    _dkim_keys.forget(domain)


class _OneLineHeadersAsIs(Compat32):
    """Django's policy (compat32), except that a header of plain ASCII that fits on one line is written as it
    is: compat32 runs every header through ``email.header.Header``, which returns such a value unchanged at a
    sixth of each delivery's CPU. Anything else (non-ASCII, long, multi-line) is folded by compat32."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if (
            type(value) is str
            and value.isascii()
            and value.replace("\t", " ").isprintable()  # no line breaks, form feeds or other controls
            and len(name) + len(value) + 2 <= (self.max_line_length or 78)
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return bytes(super().fold_binary(name, value))


ONE_LINE_HEADERS_AS_IS = _OneLineHeadersAsIs()


class SignedEmailMessage(EmailMessage):
    """Django's message, serialised once and signed with the sending domain's DKIM key (RFC 6376)."""

    def message(self) -> Any:
        built = super().message()
        built.policy = ONE_LINE_HEADERS_AS_IS
        domain = self.from_email.rsplit("@", 1)[-1].lower()
        key = active_dkim_key(domain)
        if key is None:
            return built
        data = built.as_bytes(linesep="\r\n")
        import dkim  # here: with dnspython it holds 16 MB, and only the job consumer signs mail

        signature = dkim.sign(
            data,
            key.selector.encode(),
            domain.encode(),
            key.private_key.encode(),
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=[name for name in _SIGNED_HEADERS if built.get(name.decode()) is not None],
        )
        return _SerialisedMessage(built, signature + data)


class _SerialisedMessage:
    """Hands the backends exactly the bytes that were signed (re-serialising could refold headers)."""

    def __init__(self, built: Any, data: bytes) -> None:
        self._built = built
        self._data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self._data if linesep == "\r\n" else self._data.replace(b"\r\n", linesep.encode())

    def __getitem__(self, name: str) -> Any:
        return self._built[name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._built, name)
