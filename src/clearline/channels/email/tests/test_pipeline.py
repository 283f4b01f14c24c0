"""The email channel end to end against real peers: dovecot (IMAP), aiosmtpd (SMTP both ways), dkimpy."""

from __future__ import annotations

import hashlib
import imaplib
import io
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import dkim
import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from clearline.accounts.models import Role
from clearline.cases import services as case_services
from clearline.cases.models import Case, CaseStatus, Message, Purpose, Visibility
from clearline.cases.tasks import deliver_message
from clearline.channels.email import outbound, services
from clearline.channels.email.checks import check_sending_address
from clearline.channels.email.dkim_keys import create_dkim_key
from clearline.channels.email.imap import watch_mailbox
from clearline.channels.email.models import (
    InboundEmail,
    InboundStatus,
    Mailbox,
    OutboundEmail,
    QuarantineReason,
    ThreadMatch,
)
from clearline.channels.email.outbound import reply_address
from clearline.channels.email.tasks import poll_mailboxes
from clearline.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def customer_mail(
    body: str = "My withdrawal of 0.5 BTC has been pending for three days. Please help me find it.",
    *,
    subject: str = "Withdrawal pending",
    sender: str = "alice@customer.test",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Alice <{sender}>"
    message["To"] = "support@example.com"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="customer.test")
    message["Date"] = "Mon, 30 Nov 2026 10:00:00 +0000"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def sent_to_customer() -> list[EmailMessage]:
    return [message.message() for message in mail.outbox]


def test_a_new_email_opens_a_case_stores_the_original_and_is_acknowledged_dfs_12_dfs_25_nycrr_06(
    ingest,
    organisation,
):
    """DFS-12: acknowledged at once with the reference; DFS-25 / NYCRR-06: the original bytes are kept."""
    raw = customer_mail()

    inbound = ingest(raw)

    assert inbound.status == InboundStatus.FILED and inbound.thread_match == ThreadMatch.NEW
    case = inbound.case
    assert case is not None and case.method == "email" and case.language == "en"
    with inbound.raw.open("rb") as stored:
        assert stored.read() == raw
    acknowledgement = case.messages.get(purpose=Purpose.ACKNOWLEDGEMENT)
    assert case.reference in acknowledgement.body
    [sent] = sent_to_customer()
    assert sent["To"] == "alice@customer.test" and case.reference in sent["Subject"]
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["Reply-To"] == reply_address(case)
    assert sent["In-Reply-To"] == inbound.message_id  # the acknowledgement answers the customer's mail
    assert OutboundEmail.objects.get(case_message=acknowledgement).message_id == sent["Message-ID"]


def test_the_same_message_twice_is_stored_once_and_files_one_case_prd_01(ingest, organisation):
    """PRD-01: two deliveries with the same Message-ID (IMAP and the MTA, or a retry) are one message."""
    raw = customer_mail()

    first = ingest(raw)
    again = ingest(raw, source="smtp")

    assert again.pk == first.pk
    assert InboundEmail.objects.count() == 1 and Case.objects.count() == 1
    assert len(mail.outbox) == 1
    folder, name = first.raw.name.rsplit("/", 1)  # the second copy's file was removed, the first kept
    stored = [f for f in default_storage.listdir(folder)[1] if f.startswith(first.raw_sha256)]
    assert stored == [name] and default_storage.open(first.raw.name).read() == raw


def mail_with_screenshot(payload: bytes) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "alice@customer.test", "support@example.com", "Proof"
    message["Message-ID"] = make_msgid(domain="customer.test")
    message.set_content("The withdrawal screenshot is attached.")
    message.add_attachment(payload, maintype="image", subtype="png", filename="withdrawal.png")
    return message.as_bytes()


def test_a_new_emails_case_attachments_and_filing_are_one_statement_on_postgresql_dfs_25(organisation):
    """DFS-25: the original is committed on its own first; then the case, its attachment and the stored
    email's filing are written together, one statement on PostgreSQL (one transaction elsewhere)."""
    with CaptureQueriesContext(connection) as queries:  # what runs after commit (delivery) does not run
        inbound = services.ingest_email(mail_with_screenshot(b"\x89PNG...."), source="pipe")

    assert inbound.status == InboundStatus.FILED and inbound.case is not None
    assert inbound.case_message.case == inbound.case and inbound.case_message.purpose == "customer_message"
    assert [attachment.filename for attachment in inbound.attachments.all()] == ["withdrawal.png"]
    writes = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    writes = [verb for verb in writes if verb in ("INSERT", "UPDATE", "WITH")]
    if connection.vendor == "postgresql":
        assert writes == ["INSERT", "WITH"]  # the original; then the case with everything filed with it
    else:
        assert set(writes[:-1]) == {"INSERT"} and writes[-1] == "UPDATE"  # the filing, last


def test_an_email_filed_meanwhile_by_another_worker_gets_no_second_case_prd_01(
    ingest, organisation, monkeypatch
):
    """PRD-01: the sweep and a job filing one stored email at once: the second one writes nothing."""
    real_find_thread = services.find_thread

    def filed_by_another_worker_meanwhile(parsed):
        InboundEmail.objects.filter(status=InboundStatus.RECEIVED).update(status=InboundStatus.FILED)
        return real_find_thread(parsed)

    monkeypatch.setattr(services, "find_thread", filed_by_another_worker_meanwhile)
    payload = make_msgid().encode()  # this test's own file
    inbound = ingest(mail_with_screenshot(payload))

    assert inbound.status == InboundStatus.FILED and inbound.case is None
    assert Case.objects.count() == 0 and Message.objects.count() == 0 and not mail.outbox
    assert not inbound.attachments.exists()
    stored = Path(default_storage.path("email/attachments"))
    assert not list(stored.glob(f"*/*/{hashlib.sha256(payload).hexdigest()}*"))  # nor its file


def test_replies_thread_by_in_reply_to_references_token_and_subject_prd_01(ingest, organisation):
    """PRD-01: In-Reply-To, then References newest first, then the per-case address, then the subject."""
    opened = ingest(customer_mail())
    case = opened.case
    assert case is not None
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]

    by_header = ingest(
        customer_mail("Any news?", subject="Withdrawal", headers={"In-Reply-To": acknowledgement_id})
    )
    by_references = ingest(
        customer_mail(
            "Still waiting.", subject="x", headers={"References": f"<a@b.test> {acknowledgement_id}"}
        )
    )
    token_mail = customer_mail("Here is the screenshot you asked for.", subject="screenshot")
    by_token = ingest(
        token_mail.replace(b"To: support@example.com", f"To: {reply_address(case)}".encode()), source="pipe"
    )
    by_subject = ingest(
        customer_mail(
            "Una cosa más: la retirada salió de mi cuenta principal el lunes por la mañana.",
            subject=f"Re: [{case.reference}] Withdrawal",
        )
    )

    assert [m.thread_match for m in (by_header, by_references, by_token, by_subject)] == [
        ThreadMatch.IN_REPLY_TO,
        ThreadMatch.REFERENCES,
        ThreadMatch.TOKEN,
        ThreadMatch.SUBJECT,
    ]
    assert {m.case_id for m in (by_header, by_references, by_token, by_subject)} == {case.pk}
    assert Case.objects.count() == 1
    assert (by_header.language, by_subject.language) == ("en", "es")  # each reply's own language, stored
    assert case.messages.filter(purpose=Purpose.ACKNOWLEDGEMENT).count() == 1
    assert case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE, channel="email").count() == 5


def test_a_stranger_typing_a_reference_in_the_subject_gets_a_case_of_their_own_prd_01(ingest, organisation):
    opened = ingest(customer_mail())
    assert opened.case is not None

    stranger = ingest(
        customer_mail(
            "Please send me the details of this case, I am the owner of the account.",
            subject=f"Re: [{opened.case.reference}]",
            sender="mallory@elsewhere.test",
        )
    )

    assert stranger.thread_match == ThreadMatch.NEW and stranger.case_id != opened.case_id


def test_a_forged_reply_address_token_does_not_attach_prd_01(ingest, organisation):
    opened = ingest(customer_mail())
    assert opened.case is not None
    forged = reply_address(opened.case)[:-16] + "0000000000@example.com"

    other = ingest(
        customer_mail("Hello, I have a question about fees for trading.").replace(
            b"To: support@example.com", f"To: {forged}".encode()
        )
    )

    assert other.thread_match == ThreadMatch.NEW and other.case_id != opened.case_id


def test_someone_else_answering_our_mail_opens_their_own_case_prd_01(ingest, organisation):
    """PRD-01: a forwarded thread answered by another person never adds words to the customer's case."""
    opened = ingest(customer_mail())
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]

    spouse = ingest(
        customer_mail(
            "Please change the withdrawal address to mine.",
            sender="bob@customer.test",
            headers={"In-Reply-To": acknowledgement_id},
        )
    )

    assert spouse.thread_match == ThreadMatch.NEW and spouse.case_id != opened.case_id
    assert (
        opened.case is not None and opened.case.messages.filter(purpose=Purpose.CUSTOMER_MESSAGE).count() == 1
    )


def test_out_of_office_and_bounces_never_reopen_nor_acknowledge_prd_01(ingest, organisation, supervisor):
    """PRD-01: RFC 3834 auto-replies and DSNs become internal notes; no reopen, no acknowledgement."""
    opened = ingest(customer_mail())
    case = opened.case
    assert case is not None
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]
    case_services.resolve_case(case, by=supervisor, outcome="resolved", rationale="Sent.")
    mail.outbox.clear()

    out_of_office = ingest(
        customer_mail(
            "I am out of the office until Monday.",
            subject="Automatic reply: Withdrawal",
            headers={"Auto-Submitted": "auto-replied", "In-Reply-To": acknowledgement_id},
        )
    )
    bounce = ingest(_bounce_of(acknowledgement_id))

    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert (out_of_office.automatic, bounce.automatic) == ("auto_reply", "bounce")
    notes = case.messages.filter(purpose=Purpose.NOTE, visibility=Visibility.INTERNAL)
    assert notes.count() == 2
    assert "5.1.1" in notes.order_by("pk").last().body  # type: ignore[union-attr]
    assert mail.outbox == []  # nothing answered a machine
    from clearline.channels.email.models import BouncedAddress

    assert BouncedAddress.objects.get(address="alice@customer.test").bounce_count == 1


def test_an_auto_reply_to_nothing_of_ours_is_quarantined_with_its_reason(ingest, organisation):
    inbound = ingest(
        customer_mail("I am on holiday.", headers={"Auto-Submitted": "auto-replied"}), source="pipe"
    )

    assert inbound.status == InboundStatus.QUARANTINED
    assert inbound.reason_code == QuarantineReason.AUTOMATIC_NO_CASE
    assert Case.objects.count() == 0


def test_a_quarantined_message_is_kept_and_an_admin_can_release_it(ingest, organisation, make_staff):
    raw = b"Subject: no sender here\r\n\r\nJust text.\r\n"
    inbound = ingest(raw)
    assert inbound.status == InboundStatus.QUARANTINED and inbound.reason_code == QuarantineReason.NO_SENDER
    with inbound.raw.open("rb") as stored:
        assert stored.read() == raw
    agent = make_staff(Role.AGENT)
    with pytest.raises(PermissionDenied):
        services.release_from_quarantine(inbound, by=agent)

    again = services.release_from_quarantine(inbound, by=make_staff(Role.ADMIN))

    assert again.status == InboundStatus.QUARANTINED  # still no sender: quarantined again, not dropped


def test_mail_from_our_own_address_is_a_loop_and_is_quarantined(ingest, organisation):
    inbound = ingest(customer_mail(sender="support@example.com"))

    assert inbound.reason_code == QuarantineReason.MAIL_LOOP and Case.objects.count() == 0


def test_a_pasted_recovery_phrase_is_removed_from_the_case_and_from_the_stored_original_cry_03(
    ingest, organisation
):
    """CRY-03 with DFS-25: the archive keeps the message, without the secret; its received digest stays."""
    phrase = " ".join(["abandon"] * 11 + ["about"])
    raw = customer_mail(f"My withdrawal is stuck. My seed is {phrase} if you need it.")

    inbound = ingest(raw)

    assert inbound.case_message is not None and "abandon abandon" not in inbound.case_message.body
    with inbound.raw.open("rb") as stored:
        archived = stored.read()
    assert b"abandon abandon" not in archived and b"My withdrawal is stuck." in archived
    assert inbound.raw_redacted == ["mnemonic"]
    assert inbound.raw_sha256.encode() in archived  # X-Clearline-Original-SHA256
    assert inbound.case is not None
    acknowledgement = inbound.case.messages.get(purpose=Purpose.ACKNOWLEDGEMENT)
    assert "We removed it before saving your message" in acknowledgement.body  # the customer is told why


def test_a_program_attachment_is_refused_with_a_note_on_the_case(ingest, organisation):
    message = EmailMessage()
    message["From"] = "alice@customer.test"
    message["To"] = "support@example.com"
    message["Subject"] = "Invoice"
    message.set_content("Please see the attached files about my deposit that never arrived.")
    message.add_attachment(b"%PDF-1.4 statement", maintype="application", subtype="pdf", filename="bank.pdf")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="fix.exe")

    inbound = ingest(bytes(message))

    stored = {a.filename: a for a in inbound.attachments.all()}
    assert not stored["bank.pdf"].refused and stored["bank.pdf"].file.read() == b"%PDF-1.4 statement"
    assert stored["fix.exe"].refused and not stored["fix.exe"].file
    assert inbound.case is not None
    assert inbound.case.messages.filter(purpose=Purpose.NOTE, body__contains="fix.exe").exists()


def test_the_imap_poller_drains_a_real_dovecot_mailbox_and_keeps_the_originals_dfs_25(
    organisation, imap_server
):
    """DFS-25 / NYCRR-06: every message from the mailbox stored byte for byte, then deleted there."""
    originals = [customer_mail(f"Deposit number {n} has not arrived yet, please check it.") for n in range(3)]
    client = _empty_inbox(imap_server)
    for raw in originals:
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    Mailbox.objects.create(
        name="support",
        host=imap_server.host,
        port=imap_server.port,
        use_tls=False,
        username=imap_server.username,
        password=imap_server.password,
    )

    poll_mailboxes()

    stored = []
    for inbound in InboundEmail.objects.order_by("pk"):
        assert inbound.source == "imap" and inbound.status == InboundStatus.FILED
        with inbound.raw.open("rb") as file:
            stored.append(file.read())
    assert sorted(stored) == sorted(originals)
    client.select("INBOX")
    assert client.search(None, "ALL")[1] == [b""]  # drained
    client.logout()
    assert Case.objects.filter(method="email").count() == 3


def test_a_reply_answers_the_latest_mail_and_references_the_whole_conversation_prd_01(
    ingest, committed, organisation, agent
):
    """PRD-01: In-Reply-To the customer's latest mail; References their first, ours oldest first, their
    latest, so every client threads the reply."""
    first = ingest(customer_mail())
    assert first.case is not None
    acknowledgement_id = sent_to_customer()[0]["Message-ID"]
    second = ingest(customer_mail("Any news?", subject="x", headers={"In-Reply-To": acknowledgement_id}))
    with committed():
        case_services.add_message(
            first.case, by=case_services.Author.of_staff(agent), body="It is on its way."
        )

    reply = sent_to_customer()[-1]
    assert reply["In-Reply-To"] == second.message_id
    assert reply["References"].split() == [first.message_id, acknowledgement_id, second.message_id]


def test_a_failed_delivery_is_retried_with_the_message_id_stored_first_prd_01(
    ingest, committed, organisation, agent, monkeypatch
):
    """PRD-01: the first attempt stores our Message-ID; a retry after a mail-system error sends with it, so
    the customer's client threads the mail that finally arrives, and no second row is stored."""
    opened = ingest(customer_mail())
    assert opened.case is not None
    failing = {"on": True}
    send = outbound.SignedEmailMessage.send

    def send_or_fail(self, *args, **kwargs):
        if failing["on"]:
            raise OSError("mail system unavailable")
        return send(self, *args, **kwargs)

    monkeypatch.setattr(outbound.SignedEmailMessage, "send", send_or_fail)
    sent_before = len(mail.outbox)
    with committed():
        reply = case_services.add_message(
            opened.case, by=case_services.Author.of_staff(agent), body="It is on its way."
        )
    reply.refresh_from_db()
    assert reply.delivery_status == "pending" and "unavailable" in reply.delivery_error
    stored = OutboundEmail.objects.get(case_message=reply)

    failing["on"] = False
    deliver_message.call_local(reply.pk)

    assert len(mail.outbox) == sent_before + 1
    assert sent_to_customer()[-1]["Message-ID"] == stored.message_id
    assert OutboundEmail.objects.filter(case_message=reply).count() == 1
    reply.refresh_from_db()
    assert reply.delivery_status == "sent"


def test_agent_replies_go_out_over_smtp_threaded_and_dkim_signed_prd_01(
    ingest, committed, organisation, agent, smtp_sink
):
    """PRD-01: our Message-ID is stored and the reply threads; the DKIM signature verifies with dkimpy."""
    key = create_dkim_key("example.com", selector="s2026")
    record = key.public_key_record.encode()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_sink.port,
    ):
        inbound = ingest(customer_mail())
        assert inbound.case is not None
        with committed():
            reply = case_services.add_message(
                inbound.case,
                by=case_services.Author.of_staff(agent),
                body="We have found your withdrawal; it is on its way.",
            )

    assert len(smtp_sink.received) == 2  # the acknowledgement and the agent's reply
    _sender, recipients, data = smtp_sink.received[1]
    assert recipients == ["alice@customer.test"]
    assert dkim.verify(
        data, dnsfunc=lambda name, timeout=5: record if name == b"s2026._domainkey.example.com." else b""
    )
    sent = OutboundEmail.objects.get(case_message=reply)
    assert f"Message-ID: {sent.message_id}".encode() in data
    assert f"In-Reply-To: {inbound.message_id}".encode() in data

    customer_answer = ingest(
        customer_mail(
            "Thank you, it arrived.", subject="Re: withdrawal", headers={"In-Reply-To": sent.message_id}
        )
    )
    assert (
        customer_answer.case_id == inbound.case_id and customer_answer.thread_match == ThreadMatch.IN_REPLY_TO
    )


def test_clearline_refuses_to_start_with_a_sending_address_off_the_support_domain(organisation):
    organisation.support_email = "help@lookalike-exchange.test"
    organisation.save()
    from clearline.org.selectors import clear_organisation_cache

    clear_organisation_cache()

    [error] = check_sending_address()

    assert error.id == "clearline.E001" and "lookalike-exchange.test" in error.msg
    with pytest.raises(Exception, match="not on CLEARLINE_SUPPORT_DOMAIN"):
        call_command("check")
    # The MTA pipe refuses too, as a temporary failure: the MTA keeps the mail until the setting is fixed.
    with pytest.raises(SystemExit) as exit_status:
        call_command("ingest-email", stderr=io.StringIO())
    assert exit_status.value.code == 75


def test_the_agent_view_trims_quoted_history_and_signature_but_the_stored_text_is_whole(ingest, organisation):
    body = (
        "It arrived, thank you!\n\n-- \nAlice\n\n"
        "On Mon, 30 Nov 2026 at 10:00, Support <support@example.com> wrote:\n> We found your withdrawal."
    )
    inbound = ingest(customer_mail(body))
    message = Message.objects.get(pk=inbound.case_message_id)

    assert services.agent_view(message) == "It arrived, thank you!"
    assert "We found your withdrawal." in message.body


def _empty_inbox(imap_server) -> imaplib.IMAP4:
    """The server is shared by this process's tests: each IMAP test starts from an empty INBOX."""
    client = imaplib.IMAP4(imap_server.host, imap_server.port)
    client.login(imap_server.username, imap_server.password)
    client.select("INBOX")
    if client.search(None, "ALL")[1] != [b""]:
        client.store("1:*", "+FLAGS", "\\Deleted")
        client.expunge()
    return client


def _bounce_of(message_id: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>\r\n"
        "To: support@example.com\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.customer.test')}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.customer.test\r\n\r\n"
        "Final-Recipient: rfc822; alice@customer.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: support@example.com\r\nTo: alice@customer.test\r\nMessage-ID: {message_id}\r\n"
        "--b1--\r\n"
    ).encode()


def test_an_admin_connects_a_mailbox_that_keeps_its_messages_and_polls_it(
    organisation, imap_server, monkeypatch
):
    """``clearline mailbox add --keep``: messages are marked seen on the server, stored once, filed."""
    client = _empty_inbox(imap_server)
    raw = customer_mail("My 2FA device was lost and I cannot sign in to my account, please help.")
    client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    monkeypatch.setattr("sys.stdin", io.StringIO(imap_server.password + "\n"))
    call_command("mailbox", "add", "kept", "--host", imap_server.host, "--port", str(imap_server.port),
                 "--no-tls", "--username", imap_server.username, "--keep")  # fmt: skip

    call_command("mailbox", "poll", "kept", stdout=io.StringIO())
    call_command("mailbox", "poll", "kept", stdout=io.StringIO())  # nothing unseen is left

    [inbound] = InboundEmail.objects.all()
    assert inbound.status == InboundStatus.FILED and inbound.case is not None
    client.select("INBOX")
    assert client.search(None, "SEEN")[1] != [b""]  # kept on the server, marked seen
    client.logout()


def test_a_watched_mailbox_files_new_mail_as_idle_announces_it(organisation, imap_server):
    """IMAP IDLE: dovecot announces the new message and it is stored and filed well before the next poll."""
    mailbox = Mailbox.objects.create(
        name="watched",
        host=imap_server.host,
        port=imap_server.port,
        use_tls=False,
        username=imap_server.username,
        password=imap_server.password,
        poll_interval_seconds=60,
    )
    _empty_inbox(imap_server).logout()
    stop = threading.Event()
    filed: list[int] = []

    def deliver_later() -> None:  # another party drops mail in while we wait in IDLE
        time.sleep(1.0)
        client = imaplib.IMAP4(imap_server.host, imap_server.port)
        client.login(imap_server.username, imap_server.password)
        raw = customer_mail("My staking rewards for November are missing from my account.")
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
        client.logout()

    def on_stored(stored: list[int]) -> None:
        filed.extend(services.process_inbound_email(inbound_id).pk for inbound_id in stored)
        stop.set()

    threading.Thread(target=deliver_later, daemon=True).start()
    safety_net = threading.Timer(20, stop.set)  # the test never hangs
    safety_net.start()
    started = time.monotonic()

    watch_mailbox(mailbox, on_stored=on_stored, stop=stop)
    safety_net.cancel()

    assert filed and time.monotonic() - started < 15  # woken by IDLE, not by the 60 s interval
    assert InboundEmail.objects.get(pk=filed[0]).status == InboundStatus.FILED


def test_a_reply_to_a_merged_duplicate_lands_on_the_case_that_continues_prd_01(ingest, organisation, agent):
    """PRD-01 with PRD-04's merge: threading follows the merge instead of reopening the duplicate."""
    kept = ingest(customer_mail()).case
    duplicate = ingest(customer_mail("Again: my withdrawal of 0.5 BTC is still pending, please look.")).case
    duplicate_ack = sent_to_customer()[-1]["Message-ID"]
    case_services.merge_case(duplicate, into=kept, by=agent, reason="Same withdrawal")

    reply = ingest(customer_mail("Thanks, waiting.", headers={"In-Reply-To": duplicate_ack}))

    assert reply.case_id == kept.pk and reply.thread_match == ThreadMatch.IN_REPLY_TO
    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.RESOLVED
