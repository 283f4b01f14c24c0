"""``clearline demo [--if-empty]``: load the demo organisation; staff passwords are printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.demo.loader import is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation (hours, staff of each role, sample cases in en/es/ro)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if an organisation already exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if is_loaded():
            if options["if_empty"]:
                self.stdout.write(
                    "Demo organisation already loaded; staff passwords were printed when it was."
                )
                return
            raise CommandError(
                "An organisation already exists; the demo loads only into an empty installation."
            )
        credentials = load_demo()
        self.stdout.write(
            "Demo organisation loaded. Staff accounts (passwords shown once; TOTP enrolment at first login):"
        )
        for item in credentials:
            self.stdout.write(f"  {item.role:<11} {item.email:<32} {item.password}")
