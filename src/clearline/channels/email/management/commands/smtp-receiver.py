"""``clearline smtp-receiver``: the inbound SMTP server on ``CLEARLINE_SMTP_LISTEN`` (started by serve)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clearline.channels.email.smtp import make_controller


class Command(BaseCommand):
    help = "Receive mail for the support domain by SMTP on CLEARLINE_SMTP_LISTEN (host:port)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SMTP_LISTEN:
            raise CommandError("CLEARLINE_SMTP_LISTEN is not set (host:port).")
        controller = make_controller(settings.SMTP_LISTEN)
        stopped = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopped.set())
        controller.start()
        self.stdout.write(f"SMTP receiver on {settings.SMTP_LISTEN} for @{settings.SUPPORT_DOMAIN}")
        try:
            stopped.wait()
        finally:
            controller.stop()
