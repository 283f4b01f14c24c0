"""Draining a support mailbox by IMAP (imap-tools): store every message, then delete or mark it.

The server's copy is removed (or marked) only after ``record_inbound_email`` has committed the original, so
a crash at any point leaves the message in the mailbox or in Clearline, never in neither.

A mailbox that keeps its messages (``--keep``) is read by our own keyword, not by \\Seen: a message a
person opened in their mail client before the poll is still stored (DFS-25). Read mail older than the day
before the mailbox was connected is history, not a new request: it is left alone. Stored messages get \\Seen
and ``$ClearlineStored``; only a folder that refuses new keywords (no ``\\*`` in PERMANENTFLAGS) falls back
to fetching unseen messages. Storing is idempotent by Message-ID, so a message fetched twice is harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from imap_tools import AND, OR, MailBox, MailBoxUnencrypted
from imap_tools.message import MailMessage

from .models import Mailbox, Source
from .services import record_inbound_email

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # messages per connection; the next poll takes the rest
IDLE_SECONDS = 300  # RFC 2177 asks clients to re-issue IDLE at least every 29 minutes; we do it every 5
RECONNECT_SECONDS = 10
STORED_KEYWORD = "$ClearlineStored"  # set on a kept message once it is stored
SCHEDULER_SLACK_SECONDS = 5  # the worker ticks every 60 s; a tick a few ms early must not skip a poll
MIN_POLL_SECONDS = 10


class _RawMailMessage(MailMessage):
    """imap-tools' message that keeps the bytes as the server sent them (the original, DFS-25)."""

    def __init__(self, fetch_data: list[Any]) -> None:
        self.raw_bytes: bytes = self._get_message_data_parts(fetch_data)[0]
        super().__init__(fetch_data)


class _MailBox(MailBox):
    email_message_class = _RawMailMessage


class _PlainMailBox(MailBoxUnencrypted):
    email_message_class = _RawMailMessage


@dataclass
class PollResult:
    stored: list[int] = field(default_factory=list)  # InboundEmail ids, to process
    removed_from_server: int = 0


def _connect(mailbox: Mailbox) -> Any:
    client_class = _MailBox if mailbox.use_tls else _PlainMailBox
    return client_class(mailbox.host, port=mailbox.port).login(
        mailbox.username, mailbox.password, initial_folder=mailbox.folder
    )


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """One pass over one mailbox: up to ``BATCH_SIZE`` messages stored, then removed or marked seen."""
    with _connect(mailbox) as client:
        return _drain(client, mailbox)


def _accepts_keywords(client: Any) -> bool:
    """Whether the selected folder lets us create keywords: ``\\*`` in its PERMANENTFLAGS (RFC 3501 7.1),
    which imaplib keeps from the SELECT answer."""
    permanent = client.client.untagged_responses.get("PERMANENTFLAGS") or [b""]
    return b"\\*" in permanent[-1]


def _drain(client: Any, mailbox: Mailbox) -> PollResult:
    result = PollResult()
    by_keyword = not mailbox.delete_after_storing and _accepts_keywords(client)
    if mailbox.delete_after_storing:
        criteria: Any = "ALL"
    elif by_keyword:  # unread mail of any age, and mail a person read since the mailbox was connected
        read_since = (mailbox.connected_at - timedelta(days=1)).date()  # a day's slack: the server's zone
        criteria = AND(OR(seen=False, date_gte=read_since), no_keyword=STORED_KEYWORD)
    else:
        criteria = AND(seen=False)
    done: list[str] = []
    for message in client.fetch(criteria, mark_seen=False, limit=BATCH_SIZE, bulk=50):
        assert isinstance(message, _RawMailMessage)
        inbound = record_inbound_email(message.raw_bytes, source=Source.IMAP)
        result.stored.append(inbound.pk)
        if message.uid:
            done.append(message.uid)
    if done:
        if mailbox.delete_after_storing:
            client.delete(done)
        else:
            client.flag(done, ["\\Seen", STORED_KEYWORD] if by_keyword else "\\Seen", True)
        result.removed_from_server = len(done)
    return result


def watch_mailbox(mailbox: Mailbox, *, on_stored: Callable[[list[int]], None], stop: threading.Event) -> None:
    """Drain, then wait with IMAP IDLE (RFC 2177) for the server to announce new mail, and drain again;
    a server without IDLE is polled at the mailbox's interval. Reconnects after any error."""
    while not stop.is_set():
        try:
            with _connect(mailbox) as client:
                has_idle = "IDLE" in client.client.capabilities
                while not stop.is_set():
                    stored = _drain(client, mailbox).stored
                    if stored:
                        on_stored(stored)
                        continue  # a full batch may have left more behind
                    if has_idle:
                        client.idle.wait(timeout=min(IDLE_SECONDS, mailbox.poll_interval_seconds))
                    else:
                        stop.wait(mailbox.poll_interval_seconds)
        except Exception as failure:  # network, login, server: report and reconnect shortly
            logger.warning("watching mailbox %s: %s: %s", mailbox.name, type(failure).__name__, failure)
            stop.wait(RECONNECT_SECONDS)


def poll_due_mailboxes() -> list[int]:
    """Every active mailbox whose interval has passed; an unreachable one records its error and waits."""
    now = timezone.now()
    stored: list[int] = []
    for mailbox in Mailbox.objects.filter(is_active=True).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    ):
        wait = max(MIN_POLL_SECONDS, mailbox.poll_interval_seconds - SCHEDULER_SLACK_SECONDS)
        error = ""
        try:
            stored += poll_mailbox(mailbox).stored
        except Exception as failure:  # network, login, server errors: reported on the mailbox, retried
            error = f"{type(failure).__name__}: {failure}"[:500]
            logger.warning("polling mailbox %s failed: %s", mailbox.name, error)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_polled_at=now,
            next_poll_at=now + timedelta(seconds=wait),
            last_error=error,
        )
    return stored
