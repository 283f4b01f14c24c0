"""``clearline ingest-email [FILE]``: one RFC 5322 message from FILE or stdin (an MTA pipe)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, SystemCheckError

from clearline.channels.email.models import InboundStatus, Source
from clearline.channels.email.services import ingest_email

EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again


class Command(BaseCommand):
    help = "Store one email (FILE or stdin) and open or update its case; prints the case reference."
    requires_system_checks: list[str] = []  # run in handle: a failed check must not bounce the mail

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:  # a misconfigured installation (say, a sending address off the domain) is fixed, not bounced
            self.check()
        except SystemCheckError as error:
            self.stderr.write(str(error))
            sys.exit(EX_TEMPFAIL)
        path: Path | None = options["file"]
        if path is not None and not path.is_file():
            raise CommandError(f"{path}: no such file")
        raw = path.read_bytes() if path is not None else sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("No message on input.")
        try:
            inbound = ingest_email(raw, source=Source.PIPE)
        except Exception as error:  # database down: the MTA must keep the message and retry
            self.stderr.write(f"Could not store the message: {type(error).__name__}: {error}")
            sys.exit(EX_TEMPFAIL)
        if inbound.status == InboundStatus.QUARANTINED:
            self.stdout.write(f"quarantined: {inbound.reason}")
        elif inbound.case is not None:
            self.stdout.write(inbound.case.reference)
        else:  # stored; processing failed and will be retried by the sweep
            self.stdout.write(f"stored: {inbound.message_id or inbound.message_key}")
