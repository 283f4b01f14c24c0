"""Every message of the inbound corpus through the real ingest pipeline, against the real database.

PRD-01: replies thread onto their case (In-Reply-To, References, the per-case address, the subject reference
from the case's own customer); DFS-12: every new case is acknowledged, automatic mail never is; DFS-25 and
NYCRR-06: every message, filed or quarantined, is kept in its original format (secrets excepted, CRY-03).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
from django.core import mail
from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.accounts.models import Role
from clearline.cases.models import AuthorType, Case, CaseStatus, Direction, Message, Purpose, Visibility
from clearline.cases.services import resolve_case
from clearline.cases.tasks import deliver_message
from clearline.channels.email import parsing
from clearline.channels.email import services as email_services
from clearline.channels.email.models import BouncedAddress, EmailAttachment, InboundEmail, OutboundEmail
from clearline.channels.email.outbound import reply_address, sending_address

from .corpus import CORPUS, CorpusMessage, render

pytestmark = pytest.mark.django_db

CUSTOMER = "alice@customer.test"
FIRST_MAIL = """From: Alice Carter <{customer}>
To: Hudson Support <{support}>
Subject: Withdrawal pending
Date: Mon, 30 Nov 2026 09:58:00 -0500
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

My withdrawal of 0.5 BTC has been pending for three days, please help.
"""


def _entries(*outcomes: str) -> list:
    return [pytest.param(entry, id=entry.name) for entry in CORPUS if entry.expect.outcome in outcomes]


@dataclass
class Desk:
    """The fixture case (opened by Alice's first mail and acknowledged) and the corpus placeholders."""

    case: Case
    values: dict[str, str]
    capture: Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks

    def render(self, entry: CorpusMessage) -> bytes:
        return render(entry.raw, {**self.values, "unique": uuid.uuid4().hex})

    def ingest(self, raw: bytes) -> InboundEmail:
        with self.capture(execute=True):  # deliveries run after commit, as in production
            inbound = email_services.ingest_email(raw, source="pipe")
        inbound.refresh_from_db()
        return inbound


@pytest.fixture
def desk(db, django_capture_on_commit_callbacks) -> Desk:
    support = sending_address()
    first_id = f"<{uuid.uuid4().hex}.first@mail.customer.test>"
    raw = FIRST_MAIL.format(customer=CUSTOMER, support=support, message_id=first_id).encode()
    with django_capture_on_commit_callbacks(execute=True):
        inbound = email_services.ingest_email(raw, source="pipe")
    case = inbound.case
    assert case is not None, (inbound.status, inbound.reason_code, inbound.reason)
    ack = Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)
    if not OutboundEmail.objects.filter(case_message=ack).exists():
        with django_capture_on_commit_callbacks(execute=True):
            deliver_message(ack.pk)
    outbound = OutboundEmail.objects.get(case_message=ack)
    values = {
        "customer": CUSTOMER,
        "reference": case.reference,
        "ack_message_id": outbound.message_id,
        "customer_message_id": first_id,
        "token_address": reply_address(case),
        "support": support,
    }
    return Desk(case=case, values=values, capture=django_capture_on_commit_callbacks)


def _stored_raw(inbound: InboundEmail) -> bytes:
    with inbound.raw.open("rb") as file:
        return file.read()


def _decoded_text_parts(raw: bytes) -> str:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    texts = []
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode("utf-8", "replace"))
    return "\n".join(texts)


_KEPT_HEADERS = ("from", "to", "cc", "date", "message-id", "in-reply-to", "references")


def _structure(raw: bytes) -> tuple:
    """What a redacted original must keep: the addressing headers, the MIME tree, every non-text payload."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    headers = tuple(" ".join(str(message.get(name, "")).split()) for name in _KEPT_HEADERS)
    parts = tuple(
        (
            part.get_content_type(),
            part.get_filename(),
            None if part.get_content_maintype() == "text" else part.get_payload(decode=True),
        )
        for part in message.walk()
    )
    return headers, parts


def _acknowledgements() -> int:
    return Message.objects.filter(purpose=Purpose.ACKNOWLEDGEMENT).count()


def _assert_original_kept(inbound: InboundEmail, rendered: bytes, entry: CorpusMessage) -> None:
    """DFS-25, NYCRR-06: the bytes as received; CRY-03: unless a secret was cut out of them."""
    stored = _stored_raw(inbound)
    if not entry.expect.redacted:
        assert stored == rendered
        return
    assert stored != rendered
    text = _decoded_text_parts(stored)
    for secret in entry.expect.text_excludes:
        assert secret.encode() not in stored, secret
        assert secret not in text, secret
    assert sorted(inbound.raw_redacted) == sorted(entry.expect.redacted)
    assert _structure(stored) == _structure(rendered)  # only the secret changed: headers and parts stay
    for attachment in EmailAttachment.objects.filter(inbound=inbound).exclude(file=""):
        with attachment.file.open("rb") as file:
            content = file.read()
        for secret in entry.expect.text_excludes:
            assert secret.encode() not in content, (attachment.filename, secret)


def _assert_customer_message(inbound: InboundEmail, entry: CorpusMessage) -> Message:
    """The timeline entry: full text (redacted), the agent's trimmed view, redactions, attachments."""
    expect = entry.expect
    message = inbound.case_message
    assert message is not None
    assert message.direction == Direction.INBOUND
    assert message.author_type == AuthorType.CUSTOMER
    assert message.purpose == Purpose.CUSTOMER_MESSAGE
    assert message.visibility == Visibility.PUBLIC
    assert message.channel == "email"
    for text in expect.text_contains:
        assert text in message.body, text
    for text in expect.text_excludes:
        assert text not in message.body, text
        assert text not in inbound.subject and text not in message.case.subject, text
    view = email_services.agent_view(message)
    for text in expect.visible_contains:
        assert text in view, text
    for text in expect.visible_excludes:
        assert text not in view, text
    # A secret only in an attachment leaves the text clean: then only the stored original names it.
    assert set(message.redacted_kinds) <= set(expect.redacted)
    attachments = EmailAttachment.objects.filter(inbound=inbound)
    assert attachments.filter(refused=False).count() == expect.attachments
    assert attachments.filter(refused=True).count() == expect.refused_attachments
    if expect.attachment_names:
        names = sorted(attachments.filter(refused=False).values_list("filename", flat=True))
        assert names == sorted(expect.attachment_names)
    for refused in attachments.filter(refused=True):
        assert refused.refusal_reason and not refused.file
    return message


def test_the_corpus_covers_every_outcome_prd_01_dfs_12_dfs_25():
    """PRD-01, DFS-12, DFS-25, NYCRR-06: at least 64 realistic messages, each outcome, unique names."""
    names = [entry.name for entry in CORPUS]
    assert len(names) >= 64 and len(set(names)) == len(names)
    outcomes = {entry.expect.outcome for entry in CORPUS}
    assert outcomes == {"new_case", "reply", "auto_reply", "bounce", "quarantined", "duplicate"}
    threads = {entry.expect.thread for entry in CORPUS if entry.expect.outcome == "reply"}
    assert threads == {"in_reply_to", "references", "token", "subject"}
    assert sum(entry.raw.count(b"\r\n") > 0 for entry in CORPUS) >= 10  # CRLF and LF both arrive
    assert sum(b"\r\n" not in entry.raw for entry in CORPUS) >= 10


def _parse_all(raws: list[bytes]) -> list[object]:
    found: list[object] = []
    for raw in raws:
        try:
            found.append(parsing.parse_email(raw))
        except Exception as error:  # the outcome is compared, whatever it is
            found.append(f"{type(error).__name__}: {error}")
    return found


def test_headers_parsed_once_read_every_message_exactly_as_policy_default_does(monkeypatch):
    """``READING_POLICY`` only keeps the header objects it made: the whole corpus (and its unusual headers)
    parses to the same result as with ``policy.default``, and again the same when read from that memo."""
    values = {
        "customer": CUSTOMER,
        "reference": "CL-7KQ2M9XA",
        "ack_message_id": "<ack.1@support.example.com>",
        "customer_message_id": "<first.1@customer.test>",
        "token_address": "support+t0k3n@support.example.com",
        "support": "support@support.example.com",
    }
    raws = [render(entry.raw, {**values, "unique": f"u{n}"}) for n, entry in enumerate(CORPUS)]
    first, again = _parse_all(raws), _parse_all(raws)
    monkeypatch.setattr(parsing, "READING_POLICY", policy.default)
    assert first == again == _parse_all(raws)


@pytest.mark.parametrize("entry", _entries("new_case"))
def test_a_new_email_opens_a_case_and_is_acknowledged_dfs_12(desk, entry):
    """DFS-12, PRD-01, DFS-25, NYCRR-06: mail that answers none of our messages opens its own case (never the
    fixture's, even with its reference typed by a stranger), detected language and kind, acknowledged at once
    by email; the original kept as received."""
    rendered = desk.render(entry)
    cases_before, sent_before = Case.objects.count(), len(mail.outbox)

    inbound = desk.ingest(rendered)

    assert (inbound.status, inbound.reason_code) == ("filed", ""), inbound.reason
    assert inbound.automatic == ""
    assert inbound.thread_match == "new"
    case = inbound.case
    assert case is not None and case.pk != desk.case.pk
    assert Case.objects.count() == cases_before + 1
    assert case.method == "email"
    assert case.customer.email == inbound.from_address
    if entry.expect.language:
        assert case.language == entry.expect.language
    if entry.expect.kind:
        assert case.kind == entry.expect.kind
    for text in entry.expect.subject_contains:
        assert text in case.subject, case.subject
    ack = Message.objects.get(case=case, purpose=Purpose.ACKNOWLEDGEMENT)
    assert OutboundEmail.objects.filter(case_message=ack).exists()
    sent = [email for email in mail.outbox[sent_before:] if case.reference in email.subject]
    assert [email.to for email in sent] == [[case.customer.email]]
    _assert_customer_message(inbound, entry)
    _assert_original_kept(inbound, rendered, entry)


@pytest.mark.parametrize("entry", _entries("reply"))
def test_a_reply_threads_onto_its_case_prd_01(desk, entry):
    """PRD-01, DFS-12, DFS-25, NYCRR-06: a reply from any mail client, in any of our languages, lands on the
    customer's case by the expected header, as a customer message; no second case, no second
    acknowledgement; the agent sees the new words without the quoted history."""
    rendered = desk.render(entry)
    cases_before = Case.objects.count()
    customer_messages_before = desk.case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE).count()

    inbound = desk.ingest(rendered)

    assert (inbound.status, inbound.reason_code) == ("filed", ""), inbound.reason
    assert inbound.automatic == ""
    assert inbound.case_id == desk.case.pk
    if entry.expect.thread:
        assert inbound.thread_match == entry.expect.thread
    assert Case.objects.count() == cases_before
    assert desk.case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE).count() == customer_messages_before + 1
    assert desk.case.messages.filter(purpose=Purpose.ACKNOWLEDGEMENT).count() == 1
    if entry.expect.kind:
        desk.case.refresh_from_db()
        assert desk.case.kind == entry.expect.kind
    message = _assert_customer_message(inbound, entry)
    assert message.case_id == desk.case.pk
    _assert_original_kept(inbound, rendered, entry)


@pytest.mark.parametrize("entry", _entries("auto_reply", "bounce"))
def test_automatic_mail_is_noted_without_reopening_or_acknowledging_dfs_12(desk, make_staff, entry):
    """DFS-12, PRD-01, DFS-25, NYCRR-06: an out-of-office or a bounce of our mail is an internal note on the
    case it answers; the resolved case stays resolved, nobody is answered (no mail loop), no case opens; a
    bounce marks the customer's address as bounced."""
    resolve_case(
        desk.case, by=make_staff(Role.SUPERVISOR), outcome="resolved", rationale="Withdrawal sent on chain."
    )
    rendered = desk.render(entry)
    cases_before, acks_before, sent_before = Case.objects.count(), _acknowledgements(), len(mail.outbox)
    customer_messages_before = desk.case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE).count()

    inbound = desk.ingest(rendered)

    assert (inbound.status, inbound.reason_code) == ("filed", ""), inbound.reason
    assert inbound.automatic == entry.expect.outcome
    assert inbound.case_id == desk.case.pk
    desk.case.refresh_from_db()
    assert desk.case.status == CaseStatus.RESOLVED
    assert desk.case.reopened_count == 0
    assert Case.objects.count() == cases_before
    assert _acknowledgements() == acks_before
    assert len(mail.outbox) == sent_before
    note = inbound.case_message
    assert note is not None and note.visibility == Visibility.INTERNAL
    assert desk.case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE).count() == customer_messages_before
    if entry.expect.outcome == "bounce":
        assert BouncedAddress.objects.get(address=CUSTOMER).bounce_count == 1
    else:
        assert not BouncedAddress.objects.exists()
    assert _stored_raw(inbound) == rendered


@pytest.mark.parametrize("entry", _entries("quarantined"))
def test_unfileable_mail_is_quarantined_with_its_original_kept_dfs_25_nycrr_06(desk, entry):
    """DFS-25, NYCRR-06, DFS-12, PRD-01: no sender, our own address (a loop) or an automatic message for no
    case: quarantined with its reason, the bytes kept exactly as received, no case and no mail sent."""
    rendered = desk.render(entry)
    cases_before, messages_before, sent_before = (
        Case.objects.count(),
        Message.objects.count(),
        len(mail.outbox),
    )

    inbound = desk.ingest(rendered)

    assert (inbound.status, inbound.reason_code) == ("quarantined", entry.expect.reason_code), inbound.reason
    assert inbound.case_id is None and inbound.case_message is None
    assert (Case.objects.count(), Message.objects.count()) == (cases_before, messages_before)
    assert len(mail.outbox) == sent_before
    assert _stored_raw(inbound) == rendered
    assert inbound.raw_size == len(rendered)


@pytest.mark.parametrize("entry", _entries("duplicate"))
def test_the_same_message_twice_is_stored_and_filed_once_dfs_25(desk, entry):
    """DFS-25, NYCRR-06, DFS-12, PRD-01: the same Message-ID again (IMAP and the MTA, or a retry) returns the
    first row: one stored original, one case, one acknowledgement."""
    rendered = desk.render(entry)
    cases_before, acks_before = Case.objects.count(), _acknowledgements()

    first = desk.ingest(rendered)
    second = desk.ingest(rendered)

    assert first.status == "filed" and first.case is not None
    assert second.pk == first.pk
    assert InboundEmail.objects.filter(message_key=first.message_key).count() == 1
    assert Case.objects.count() == cases_before + 1
    assert _acknowledgements() == acks_before + 1
    assert first.case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE).count() == 1
    assert _stored_raw(first) == rendered


# --- anything at all: never an exception, always filed or quarantined ----------------------------------

_HEADER_NAMES = st.sampled_from(
    ["From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Content-Type",
     "Content-Transfer-Encoding", "Content-Disposition", "Auto-Submitted", "Precedence", "X-Autoreply",
     "MIME-Version", "Reply-To", "Sender"]
)  # fmt: skip
_CHARSETS = st.one_of(
    st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "iso-8859-2", "koi8-r", "utf-16", "utf-7",
                     "x-unknown-foo", "", "us-ascii", "gb2312", "shift_jis", "iso-2022-jp"]),
    st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=12),
)  # fmt: skip
_HEADER_VALUES = st.one_of(
    st.text(max_size=80).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=80),
    st.sampled_from(
        [b"Alice <alice@customer.test>", b"undisclosed", b"<>", b"=?UTF-8?B?w6k=?=", b"=?bogus?Q?x?=",
         b"<a@b> <c@d>", b"multipart/mixed; boundary=", b"text/plain; charset=\"", b"auto-replied",
         b"base64", b"quoted-printable", b"MAILER-DAEMON@mx.test", b"attachment; filename*=UTF-8''%E2%82"]
    ),
)  # fmt: skip


_LEAF_TYPES = st.sampled_from(
    ["text/plain", "text/html", "application/pdf", "message/rfc822", "message/delivery-status", "image/png",
     "application/x-msdownload"]
)  # fmt: skip


_BODIES = st.one_of(
    st.binary(max_size=300), st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass"))
)


@st.composite
def _parts(draw, depth: int = 0) -> bytes:
    charset = draw(_CHARSETS)
    encoding = draw(st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "binary", "x-weird"]))
    if depth < 3 and draw(st.booleans()):
        boundary = draw(st.text(alphabet="abcXYZ019=_-", min_size=1, max_size=12))
        children = draw(st.lists(_parts(depth + 1), max_size=3))
        subtype = draw(st.sampled_from(["mixed", "alternative", "related", "report", "signed"]))
        body = b"".join(b"--" + boundary.encode() + b"\n" + child + b"\n" for child in children)
        if draw(st.booleans()):
            body += b"--" + boundary.encode() + b"--\n"
        head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\n'.encode()
        return head + b"\n" + body
    maintype = draw(_LEAF_TYPES)
    head = f"Content-Type: {maintype}; charset={charset}\nContent-Transfer-Encoding: {encoding}\n".encode()
    if draw(st.booleans()):
        head += b'Content-Disposition: attachment; filename="' + draw(st.binary(max_size=20)) + b'"\n'
    return head + b"\n" + draw(_BODIES)


@st.composite
def _messages(draw) -> bytes:
    headers = draw(st.lists(st.tuples(_HEADER_NAMES, _HEADER_VALUES), max_size=12))
    garbage = draw(st.lists(st.binary(max_size=40), max_size=2))
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    lines = [
        name.encode() + b": " + value.replace(b"\r", b" ").replace(b"\n", b" ") for name, value in headers
    ]
    lines += garbage
    if draw(st.integers(0, 3)):  # mostly from a valid sender, so that most examples reach filing
        sender = draw(
            st.sampled_from([b"alice@customer.test", b"Bo <bo@customer.test>", b"x@elsewhere.test"])
        )
        lines.insert(draw(st.integers(0, len(lines))), b"From: " + sender)
    return newline.join(lines) + newline + draw(_parts()).replace(b"\n", newline)


@settings(max_examples=60, deadline=None)
@given(raw=_messages())
def test_any_input_is_filed_or_quarantined_never_lost_dfs_25(raw):
    """DFS-25, NYCRR-06, PRD-01: random headers (garbage included), charsets, bodies and multipart nesting:
    ingest never raises, every message ends filed or quarantined with its original stored."""
    key = parsing.message_key(parsing.message_id_of(raw), raw)
    seen_before = InboundEmail.objects.filter(message_key=key).exists()  # an earlier example's Message-ID

    inbound = email_services.ingest_email(raw, source="pipe")

    inbound.refresh_from_db()
    assert inbound.status in {"filed", "quarantined"}, inbound.reason
    if not seen_before:
        assert inbound.raw_size == len(raw)
        if not inbound.raw_redacted:
            assert _stored_raw(inbound) == raw
