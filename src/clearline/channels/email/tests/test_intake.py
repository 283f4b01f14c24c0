"""The intake paths' answers and schedules: the SMTP receiver's 250, a kept IMAP mailbox, the poll cadence."""

from __future__ import annotations

import datetime as dt
import imaplib
import smtplib
import time
from collections.abc import Iterator

import pytest
import time_machine
from django.db import DEFAULT_DB_ALIAS, connections

from clearline.channels.email import smtp
from clearline.channels.email.imap import poll_due_mailboxes, poll_mailbox
from clearline.channels.email.models import InboundEmail, InboundStatus, Mailbox

from .conftest import free_port
from .test_pipeline import _empty_inbox, customer_mail


@pytest.fixture
def smtp_receiver(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Clearline's own SMTP receiver (aiosmtpd) on a free loopback port. Its handler stores from a worker
    thread; that thread uses this test's connection, as Django's live server does, so the test's transaction
    sees the row and rolls it back (a transactional test cannot flush the append-only audit tables)."""
    shared = connections[DEFAULT_DB_ALIAS]
    store = smtp._store

    def store_in_the_test_transaction(raw: bytes, sender: str, recipients: tuple[str, ...]) -> int:
        connections[DEFAULT_DB_ALIAS] = shared  # this thread's handle only
        return store(raw, sender, recipients)

    monkeypatch.setattr(smtp, "_store", store_in_the_test_transaction)
    monkeypatch.setattr(smtp, "close_old_connections", lambda: None)  # would close the shared connection
    shared.inc_thread_sharing()
    port = free_port()
    controller = smtp.make_controller(f"127.0.0.1:{port}")
    controller.start()
    yield port
    controller.stop()
    shared.dec_thread_sharing()


def test_the_smtp_receiver_answers_250_for_a_stored_message_when_queueing_fails_dfs_25_nycrr_06(
    smtp_receiver, monkeypatch
):
    """DFS-25 / NYCRR-06: the message is stored before we answer, so a queue (Redis) failure after storing
    must not bounce it: the answer is 250 and the stale-mail sweep processes the stored row later."""

    def queue_down(inbound_id: int) -> None:
        raise ConnectionError("Redis is unreachable")

    monkeypatch.setattr(smtp, "_enqueue", queue_down)
    raw = customer_mail("My withdrawal of 2 ETH is still pending after a week, please look into it.")

    with smtplib.SMTP("127.0.0.1", smtp_receiver, timeout=10) as client:
        client.ehlo()
        client.mail("alice@customer.test")
        client.rcpt("support@example.com")
        code, answer = client.data(raw)

    assert code == 250, answer
    [inbound] = InboundEmail.objects.all()
    assert inbound.source == "smtp" and inbound.status == InboundStatus.RECEIVED
    with inbound.raw.open("rb") as file:
        assert file.read() == raw


@pytest.mark.django_db
def test_a_kept_mailbox_stores_a_message_a_person_already_read_dfs_25_nycrr_06(organisation, imap_server):
    """DFS-25 / NYCRR-06: with ``--keep``, a message someone opened in their mail client before the poll
    (already \\Seen) is still stored; it stays on the server, and the next poll stores nothing new."""
    client = _empty_inbox(imap_server)
    raw = customer_mail("I was charged twice for the same card purchase of 150 EUR, please refund one.")
    client.append("INBOX", "(\\Seen)", imaplib.Time2Internaldate(time.time()), raw)
    mailbox = _kept_mailbox(imap_server)

    first = poll_mailbox(mailbox)
    second = poll_mailbox(mailbox)

    [inbound] = InboundEmail.objects.all()
    assert first.stored == [inbound.pk] and second.stored == []
    with inbound.raw.open("rb") as file:
        assert file.read() == raw
    client.select("INBOX")
    assert client.search(None, "ALL")[1] == [b"1"]  # kept on the server
    assert client.search(None, "SEEN", "KEYWORD", "$ClearlineStored")[1] == [b"1"]
    client.logout()


@pytest.mark.django_db
def test_a_60_second_mailbox_is_polled_at_every_minute_tick_even_one_a_little_early():
    """The worker ticks every 60 s; a tick arriving a few ms before a full interval has passed still polls
    (an unreachable mailbox records its error, which is enough to see the schedule)."""
    mailbox = Mailbox.objects.create(
        name="cadence", host="127.0.0.1", port=free_port(), use_tls=False, username="u", password="p"
    )
    start = dt.datetime(2026, 11, 30, 10, 0, 0, 20_000, tzinfo=dt.UTC)  # this tick's job ran 20 ms late

    def poll_at(moment: dt.datetime) -> dt.datetime | None:
        with time_machine.travel(moment, tick=False):
            poll_due_mailboxes()
        mailbox.refresh_from_db()
        return mailbox.last_polled_at

    assert poll_at(start) == start
    assert mailbox.last_error  # nothing listens on that port
    assert poll_at(start + dt.timedelta(seconds=30)) == start  # not due before its interval
    next_tick = start + dt.timedelta(seconds=60, milliseconds=-15)  # the next job, only 5 ms late
    assert poll_at(next_tick) == next_tick


@pytest.mark.django_db
def test_a_kept_mailbox_leaves_mail_read_before_it_was_connected_but_takes_old_unread_mail_dfs_25(
    organisation, imap_server
):
    """DFS-25: connecting a mailbox a team already reads does not file its history as new cases (each would
    be acknowledged); unread mail is taken whatever its age, as before."""
    client = _empty_inbox(imap_server)
    month_ago = imaplib.Time2Internaldate(time.time() - 30 * 86400)
    client.append(
        "INBOX", "(\\Seen)", month_ago, customer_mail("Old question, answered by phone last month.")
    )
    unread = customer_mail("My deposit from last month never arrived, nobody has answered me yet.")
    client.append("INBOX", "", month_ago, unread)
    mailbox = _kept_mailbox(imap_server)

    poll_mailbox(mailbox)

    [inbound] = InboundEmail.objects.all()
    with inbound.raw.open("rb") as file:
        assert file.read() == unread
    client.select("INBOX")
    assert client.search(None, "KEYWORD", "$ClearlineStored")[1] == [b"2"]
    client.logout()


def _kept_mailbox(imap_server) -> Mailbox:
    """``clearline mailbox add kept --keep`` on the test's dovecot."""
    return Mailbox.objects.create(
        name="kept",
        host=imap_server.host,
        port=imap_server.port,
        use_tls=False,
        username=imap_server.username,
        password=imap_server.password,
        delete_after_storing=False,
    )
