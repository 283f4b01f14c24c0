"""What filing does with mail that is not a plain customer message: forged bounces, other people's replies,
quarantined machines' mail and attachments that would run on a double click."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from mnemonic import Mnemonic

from clearline.cases.models import Purpose, Visibility
from clearline.channels.email.models import BouncedAddress, InboundStatus, QuarantineReason, ThreadMatch
from clearline.channels.email.outbound import reply_address
from clearline.channels.email.parsing import Attachment, parse_email

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
