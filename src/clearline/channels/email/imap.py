"""Draining a support mailbox by IMAP (imap-tools): store every message, then delete or mark it.

The server's copy is removed (or marked seen) only after ``record_inbound_email`` has committed the
original, so a crash at any point leaves the message in the mailbox or in Clearline, never in neither.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from imap_tools import AND, MailBox, MailBoxUnencrypted
from imap_tools.message import MailMessage

from .models import Mailbox, Source
from .services import record_inbound_email

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # messages per connection; the next poll takes the rest


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


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """One pass over one mailbox: up to ``BATCH_SIZE`` messages stored, then removed or marked seen."""
    result = PollResult()
    client_class = _MailBox if mailbox.use_tls else _PlainMailBox
    with client_class(mailbox.host, port=mailbox.port).login(
        mailbox.username, mailbox.password, initial_folder=mailbox.folder
    ) as client:
        criteria = "ALL" if mailbox.delete_after_storing else AND(seen=False)
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
                client.flag(done, "\\Seen", True)
            result.removed_from_server = len(done)
    return result


def poll_due_mailboxes() -> list[int]:
    """Every active mailbox whose interval has passed; an unreachable one records its error and waits."""
    now = timezone.now()
    stored: list[int] = []
    for mailbox in Mailbox.objects.filter(is_active=True).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    ):
        error = ""
        try:
            stored += poll_mailbox(mailbox).stored
        except Exception as failure:  # network, login, server errors: reported on the mailbox, retried
            error = f"{type(failure).__name__}: {failure}"[:500]
            logger.warning("polling mailbox %s failed: %s", mailbox.name, error)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_polled_at=now,
            next_poll_at=now + timedelta(seconds=max(10, mailbox.poll_interval_seconds)),
            last_error=error,
        )
    return stored
