"""``clearline mailbox add|list|poll``: the IMAP mailboxes Clearline drains (polled by the worker)."""

from __future__ import annotations

import signal
import sys
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.channels.email import services
from clearline.channels.email.imap import poll_mailbox, watch_mailbox
from clearline.channels.email.models import Mailbox


class Command(BaseCommand):
    help = "Connect a support mailbox by IMAP, list the connected ones, or poll one now."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Connect a mailbox (the password is read from stdin).")
        add.add_argument("name")
        add.add_argument("--host", required=True)
        add.add_argument("--port", type=int, default=993)
        add.add_argument("--no-tls", action="store_true", help="Plain IMAP (a server on loopback only).")
        add.add_argument("--username", required=True)
        add.add_argument("--folder", default="INBOX")
        add.add_argument("--keep", action="store_true", help="Mark messages seen instead of deleting them.")
        add.add_argument("--interval", type=int, default=60, help="Seconds between polls (default 60).")
        actions.add_parser("list", help="The connected mailboxes and their last poll.")
        poll = actions.add_parser("poll", help="Drain a mailbox now and file what it held.")
        poll.add_argument("name")
        watch = actions.add_parser("watch", help="Stay connected with IMAP IDLE and file mail as it arrives.")
        watch.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("Give the mailbox password on stdin.")
            mailbox, created = Mailbox.objects.update_or_create(
                name=options["name"],
                defaults={
                    "host": options["host"],
                    "port": options["port"],
                    "use_tls": not options["no_tls"],
                    "username": options["username"],
                    "password": password,
                    "folder": options["folder"],
                    "delete_after_storing": not options["keep"],
                    "poll_interval_seconds": max(10, options["interval"]),
                    "is_active": True,
                },
            )
            self.stdout.write(f"{'Connected' if created else 'Updated'} mailbox {mailbox.name}.")
        elif options["action"] == "list":
            for mailbox in Mailbox.objects.order_by("name"):
                state = (
                    f"last poll {mailbox.last_polled_at:%Y-%m-%d %H:%M}"
                    if mailbox.last_polled_at
                    else "never"
                )
                error = f", error: {mailbox.last_error}" if mailbox.last_error else ""
                self.stdout.write(
                    f"{mailbox.name}\t{mailbox.username}@{mailbox.host}:{mailbox.port}\t{state}{error}"
                )
        else:
            found = Mailbox.objects.filter(name=options["name"]).first()
            if found is None:
                raise CommandError(f"No mailbox named {options['name']!r}.")
            if options["action"] == "watch":
                self._watch(found)
                return
            result = poll_mailbox(found)
            filed = [services.process_inbound_email(inbound_id) for inbound_id in result.stored]
            quarantined = sum(1 for inbound in filed if inbound.status == "quarantined")
            self.stdout.write(f"{len(filed)} message(s) stored; {quarantined} quarantined.")

    def _watch(self, mailbox: Mailbox) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Watching {mailbox.name} (IDLE where the server offers it); Ctrl-C stops.")

        def file(stored: list[int]) -> None:
            for inbound_id in stored:
                services.process_inbound_email(inbound_id)

        watch_mailbox(mailbox, on_stored=file, stop=stop)
