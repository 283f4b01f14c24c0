"""The built-in SMTP receiver (aiosmtpd): mail for the support domain, stored before we answer 250.

For firms that point an MX (or a relay) at Clearline instead of giving it a mailbox. Only recipients on
``CLEARLINE_SUPPORT_DOMAIN`` are accepted, so it is never an open relay.
"""

from __future__ import annotations

import logging

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from .models import Source
from .services import record_inbound_email

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 35 * 1024 * 1024


def _store(raw: bytes, sender: str, recipients: tuple[str, ...]) -> int:
    close_old_connections()
    inbound = record_inbound_email(
        raw, source=Source.SMTP, envelope_sender=sender, envelope_recipients=recipients
    )
    return inbound.pk


def _enqueue(inbound_id: int) -> None:
    from .tasks import process_inbound_email

    process_inbound_email(inbound_id)


class SupportMailHandler:
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        domain = address.rsplit("@", 1)[-1].lower().rstrip(">")
        if domain != settings.SUPPORT_DOMAIN:
            return "550 5.7.1 Relaying denied: this server only accepts mail for " + settings.SUPPORT_DOMAIN
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            inbound_id = await sync_to_async(_store, thread_sensitive=False)(
                raw, str(envelope.mail_from or ""), tuple(envelope.rcpt_tos)
            )
        except Exception:  # the sender keeps the message and retries: nothing is lost
            logger.exception("storing an inbound message failed")
            return "451 4.3.0 Temporary failure storing the message; try again later"
        try:
            await sync_to_async(_enqueue, thread_sensitive=False)(inbound_id)
        except Exception:  # stored and committed: the stale-mail sweep processes it, so the answer is 250
            logger.exception("queueing stored message %s failed; the stale-mail sweep takes it", inbound_id)
        return "250 2.0.0 Message accepted for delivery"


def make_controller(listen: str) -> Controller:
    """``host:port`` from ``CLEARLINE_SMTP_LISTEN``."""
    host, _, port = listen.rpartition(":")
    return Controller(
        SupportMailHandler(),
        hostname=host or "127.0.0.1",
        port=int(port),
        data_size_limit=MAX_MESSAGE_BYTES,
        server_hostname=settings.SUPPORT_DOMAIN,
    )
