"""``clearline dkim-key DOMAIN [--selector S]``: a new DKIM signing key; prints the DNS record to publish."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from clearline.channels.email.dkim_keys import create_dkim_key


class Command(BaseCommand):
    help = "Create (or replace) the DKIM key that signs mail from DOMAIN; prints the TXT record for DNS."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("domain")
        parser.add_argument("--selector", default="clearline")

    def handle(self, *args: Any, **options: Any) -> None:
        key = create_dkim_key(options["domain"], selector=options["selector"])
        self.stdout.write(f"Publish this TXT record at {key.selector}._domainkey.{key.domain}:")
        self.stdout.write(key.public_key_record)
