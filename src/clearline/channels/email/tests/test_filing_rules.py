"""What filing does with mail that is not a plain customer message: forged bounces, other people's replies,
quarantined machines' mail and attachments that would run on a double click."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.files.storage import default_storage
from mnemonic import Mnemonic

from clearline.cases.models import Purpose, Visibility
from clearline.channels.email import selectors
from clearline.channels.email.models import BouncedAddress, InboundStatus, QuarantineReason, ThreadMatch
from clearline.channels.email.outbound import reply_address
from clearline.channels.email.parsing import Attachment, parse_email
from clearline.channels.email.services import record_inbound_email

from .test_pipeline import _bounce_of, customer_mail, sent_to_customer

pytestmark = pytest.mark.django_db


def test_a_forged_bounce_flags_no_address_and_a_real_one_flags_only_our_recipient_prd_01(
    ingest, organisation
):
    """PRD-01: anyone can send mail that looks like a delivery failure. One that names none of our sent
    Message-IDs is noted on the case it reached but flags nobody; a real bounce of our acknowledgement flags
    the address we sent it to, not the other addresses the notice lists."""
    opened = ingest(customer_mail())
    case = opened.case
    assert case is not None
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]
    forged = (
        _bounce_of("<not-ours@attacker.test>")
        .replace(b"To: support@example.com", f"To: {reply_address(case)}".encode())
        .replace(b"alice@customer.test", b"ceo@bank.test")
    )

    noted = ingest(forged)

    assert noted.status == InboundStatus.FILED and noted.thread_match == ThreadMatch.TOKEN
    assert not BouncedAddress.objects.exists()
    note = case.messages.filter(purpose=Purpose.NOTE, visibility=Visibility.INTERNAL).get()
    assert "no address was flagged" in note.body and "ceo@bank.test" not in note.body

    real = _bounce_of(acknowledgement_id).replace(
        b"Final-Recipient: rfc822; alice@customer.test\r\n",
        b"Final-Recipient: rfc822; alice@customer.test\r\nFinal-Recipient: rfc822; ceo@bank.test\r\n",
    )
    ingest(real)

    assert list(BouncedAddress.objects.values_list("address", flat=True)) == ["alice@customer.test"]


def test_a_reply_from_someone_else_opens_their_case_linked_to_the_one_they_answered_prd_01(
    ingest, organisation
):
    """PRD-01: the other person's words stay off the customer's case, and the agent sees which case their
    new one answered."""
    opened = ingest(customer_mail())
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]

    other = ingest(
        customer_mail(
            "I am Alice's accountant; which address did the withdrawal go to?",
            sender="bob@customer.test",
            headers={"In-Reply-To": acknowledgement_id},
        )
    )

    assert other.case is not None and other.case_id != opened.case_id
    assert other.case.related_case_id == opened.case_id
    assert other.case.customer.email == "bob@customer.test"


def test_quarantined_mail_shows_its_sender_and_redacted_subject_to_the_admin_dfs_25(ingest, organisation):
    """DFS-25: mail kept in quarantine says who sent it and about what, a pasted card number removed."""
    inbound = ingest(
        customer_mail(
            "I am on holiday.",
            subject="Out of office: card 4111 1111 1111 1111",
            sender="carol@customer.test",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )

    assert inbound.status == InboundStatus.QUARANTINED
    assert inbound.reason_code == QuarantineReason.AUTOMATIC_NO_CASE
    inbound.refresh_from_db()
    assert inbound.from_address == "carol@customer.test" and inbound.automatic == "auto_reply"
    assert inbound.subject == "Out of office: card [redacted: card number]"


@pytest.mark.parametrize(
    ("filename", "dangerous"),
    [
        ("evil.exe.", True),  # Windows drops the trailing dot and runs it
        ("evil.exe . ", True),
        ("console.msc", True),
        ("shortcut.scf", True),
        ("Statement.PDF", False),
        ("screenshot.png", False),
        ("no extension", False),
    ],
)
def test_attachments_that_run_on_a_double_click_are_refused(filename, dangerous):
    attachment = Attachment(
        filename=filename, content_type="application/octet-stream", payload=b"x", inline=False
    )

    assert attachment.is_dangerous is dangerous


@pytest.mark.parametrize(
    ("subject", "read"),
    [
        (b"=?x-unknown?Q?Caf=C3=A9?= closed", "Café closed"),  # a charset Python does not know: UTF-8
        (b"=?x-bogus?Q?Caf=E9?= closed", "Café closed"),  # not UTF-8 either: Windows-1252
        (b"Caf\xe9 closed", "Café closed"),  # raw 8-bit, no encoded word
        (b"=?iso-8859-1?Q?Caf=E9?= closed", "Café closed"),  # a known charset, as before
    ],
)
def test_subjects_in_unknown_or_wrong_charsets_are_read_without_replacement_characters(subject, read):
    raw = b"From: a@customer.test\r\nSubject: " + subject + b"\r\nMessage-ID: <c@customer.test>\r\n\r\nhello"

    assert parse_email(raw).subject == read


def test_a_secret_in_quarantined_mail_is_removed_from_the_stored_original_too_cry_03(ingest, organisation):
    """CRY-03 over DFS-25: mail kept in quarantine (here an auto-reply to nothing of ours that quotes a
    recovery phrase) is stored without the secret, like filed mail; the copy as received is deleted."""
    phrase = Mnemonic("english").generate()
    inbound = ingest(
        customer_mail(
            f"I am away until Monday.\n\n> my words are {phrase}",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )

    assert inbound.status == InboundStatus.QUARANTINED and inbound.raw_redacted == ["mnemonic"]
    with inbound.raw.open("rb") as file:
        stored = file.read().decode()
    assert phrase.split()[0] + " " + phrase.split()[1] not in stored
    assert "[redacted: recovery phrase]" in stored and "I am away until Monday." in stored
    assert not default_storage.exists(inbound.raw.name.replace("-redacted", ""))


WIF = "L46osZzakVivNzYKbde2pCj4Yharp5Ykf531ygJcXuuoZwgAf47J"  # a checksum-valid compressed WIF key


def test_hostile_but_valid_mail_is_filed_with_its_secrets_removed_cry_03(ingest, organisation):
    """CRY-03 and the "never lose a message" rule: a secret next to an encoded line break in the subject, a
    subject that grows past its column once card numbers become markers, a recovery phrase as the sender's
    name and as an attachment's name: each is filed, with nothing secret stored."""
    phrase = Mnemonic("english").generate()
    mails = [
        customer_mail("Please help.", subject=f"=?utf-8?q?key_{WIF}=0Athanks?="),
        customer_mail("Cards below.", subject=" ".join(["4222222222222"] * 21)),
        customer_mail("See the file.").replace(b"From: Alice", f"From: {phrase}".encode()),
    ]
    with_attachment = _alice_writes("Statement", "The statement is attached.")
    with_attachment.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename=f"{phrase}.pdf"
    )
    mails.append(bytes(with_attachment))

    filed = [ingest(raw) for raw in mails]

    assert [inbound.status for inbound in filed] == [InboundStatus.FILED] * 4
    assert WIF not in filed[0].case.subject and len(filed[1].case.subject) <= 300
    assert phrase not in filed[2].case.customer.name
    assert filed[3].attachments.get().filename == "[redacted: recovery phrase].pdf"


def test_nul_characters_from_a_broken_server_never_fail_the_write_dfs_25(ingest, organisation):
    """DFS-25: a NUL in a bounce's status fields or in an SMTP client's envelope sender is dropped, so the
    message is stored and filed instead of failing every retry (PostgreSQL text cannot hold NUL)."""
    ingest(customer_mail())
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]
    bounce = _bounce_of(acknowledgement_id).replace(b"Status: 5.1.1", b"Status: 5.1.\x001")

    assert ingest(bounce).status == InboundStatus.FILED
    assert BouncedAddress.objects.get().last_status == "5.1.1"

    stored = record_inbound_email(
        customer_mail("Hello."),
        source="smtp",
        envelope_sender="ev\x00il@x.test",
        envelope_recipients=("a\x00@b",),
    )
    stored.refresh_from_db()
    assert (stored.envelope_sender, stored.envelope_recipients) == ("evil@x.test", ["a@b"])


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Content-Type: text/plain" + ";" * 20_000, "content-type header with 20000 parameter marks"),
        ("Subject: " + " ".join(["=?utf-8?q?caf=C3=A9?="] * 1_001), "subject header with more than 1000"),
    ],
)
def test_headers_built_to_stall_the_parser_are_quarantined_before_it_runs_dfs_25(
    ingest, organisation, header, reason
):
    """DFS-25: kept and quarantined with the reason, without the seconds (or gigabytes) the stdlib parser
    spends on such a header: its cost grows with the square of the header's parameters or encoded words."""
    inbound = ingest(customer_mail().replace(b"Subject: Withdrawal pending", header.encode()))

    assert inbound.status == InboundStatus.QUARANTINED and inbound.reason_code == QuarantineReason.UNPARSEABLE
    assert inbound.reason.startswith("TooCostly") and reason in inbound.reason


def test_html_nested_past_what_any_client_writes_is_shown_as_text_and_table_cells_stay_words_apart():
    """nh3's time grows with the square of the nesting (100,000 <div> took 33 s): such markup is shown as
    its escaped text; and a phrase typed one word per cell reads as words, so redaction sees it."""
    nested = "<div>" * 20_001 + "<script>x()</script>deposit missing"
    table = (
        "<table><tr>"
        + "".join(f"<td>{word}</td>" for word in ("deposit", "not", "credited"))
        + "</tr></table>"
    )

    shown = parse_email(_html_mail(nested))
    cells = parse_email(_html_mail(table))

    assert shown.html.startswith("<pre>") and "<script>" not in shown.html and "deposit missing" in shown.text
    assert cells.text == "deposit not credited"


def _html_mail(html: str) -> bytes:
    return (
        "From: a@customer.test\r\nMessage-ID: <h@customer.test>\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n" + html
    ).encode()


def _stored(inbound) -> bytes:
    with inbound.raw.open("rb") as file:
        return file.read()


def test_a_phrase_pasted_in_rich_text_mail_leaves_no_trace_in_the_stored_original_cry_03(
    ingest, organisation
):
    """CRY-03: Gmail sends the phrase twice, as text and as HTML with a tag between every word; both copies
    go from the stored original, and the formatted view shows the redacted text."""
    words = Mnemonic("english").generate().split()
    message = _alice_writes(
        "My wallet", "Is my wallet safe?\n" + "\n".join(f"{n}. {w}" for n, w in enumerate(words, 1))
    )
    message.add_alternative(
        "<div>Is my wallet safe?</div>" + "".join(f"<div>{n}. {w}</div>" for n, w in enumerate(words, 1)),
        subtype="html",
    )

    inbound = ingest(bytes(message))

    stored = _stored(inbound)
    assert inbound.raw_redacted == ["mnemonic"] and b"Is my wallet safe?" in stored
    assert f"{words[5]}</div>".encode() not in stored and f"6. {words[5]}".encode() not in stored
    assert words[5] not in selectors.formatted_html(inbound)


@pytest.mark.parametrize(
    ("maintype", "subtype", "payload"),
    [
        ("application", "octet-stream", lambda text: text.encode()),  # a .txt sent as octet-stream
        ("text", "plain", lambda text: f"\ufeff{text}".encode("utf-16-le")),  # Notepad's "Unicode"
    ],
)
def test_a_phrase_in_a_text_file_is_removed_whatever_its_label_or_encoding_cry_03(
    ingest, organisation, maintype, subtype, payload
):
    phrase = Mnemonic("english").generate()
    message = _alice_writes("Backup", "My wallet backup is attached.")
    message.add_attachment(payload(phrase), maintype=maintype, subtype=subtype, filename="seed.txt")

    inbound = ingest(bytes(message))

    attachment = inbound.attachments.get()
    with attachment.file.open("rb") as file:
        kept = file.read()
    assert inbound.raw_redacted == ["mnemonic"]
    for stored in (
        kept.decode("utf-16") if kept[:2] == b"\xff\xfe" else kept.decode(),
        _stored(inbound).decode(),
    ):
        assert phrase.split()[0] + " " + phrase.split()[1] not in stored


def test_attachments_beyond_the_hundredth_stay_in_the_original_and_are_named_in_a_note(ingest, organisation):
    ingest(customer_mail())  # the case the second message answers
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]
    message = _alice_writes("Screenshots", "All my screenshots.")
    message["In-Reply-To"] = acknowledgement_id
    for n in range(130):
        message.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename=f"shot-{n}.png")

    inbound = ingest(bytes(message))

    assert inbound.status == InboundStatus.FILED and inbound.attachments.count() == 100
    note = inbound.case.messages.filter(purpose=Purpose.NOTE).get()
    assert "30 more beyond the first 100" in note.body


def test_words_after_a_pasted_screenshot_reach_the_case_and_its_secrets_the_redaction_cry_03(
    ingest, organisation
):
    """Apple Mail splits a plain-text message around a pasted image: text, image, text. The agent reads both
    texts, and a phrase in the second is redacted from the case and the stored original."""
    phrase = Mnemonic("english").generate()
    message = _alice_writes("Stuck withdrawal", "Here is the screenshot of the stuck withdrawal:")
    message.add_attachment(
        b"\x89PNG", maintype="image", subtype="png", disposition="inline", filename="a.png"
    )
    message.add_attachment(f"And the txid is below. My words: {phrase}", disposition="inline")

    inbound = ingest(bytes(message))

    body = inbound.case_message.body
    assert "Here is the screenshot" in body and "And the txid is below." in body and phrase not in body
    assert inbound.raw_redacted == ["mnemonic"] and phrase.encode() not in _stored(inbound)


def test_a_phrase_across_the_cut_of_a_very_long_message_is_redacted_before_the_cut_cry_03(
    ingest, organisation
):
    phrase = Mnemonic("english").generate()
    words = phrase.split()
    marker = "\n[... shortened here; the whole message is in the stored original]"
    lead = "y" * (100_000 - len(marker) - len(" ".join(words[:11])) - 1)

    inbound = ingest(customer_mail(f"{lead} {phrase} tail" + " tail" * 100))

    assert " ".join(words[:3]) not in inbound.case_message.body
    assert inbound.raw_redacted == ["mnemonic"] and phrase.encode() not in _stored(inbound)


def _alice_writes(subject: str, text: str) -> EmailMessage:
    """A message from the customer to support, with a Message-ID of its own, to add parts to."""
    message = EmailMessage()
    message["From"], message["To"] = "alice@customer.test", "support@example.com"
    message["Subject"], message["Message-ID"] = subject, make_msgid(domain="customer.test")
    message.set_content(text)
    return message
