"""``clearline createstaff EMAIL --role ROLE [--password-stdin]``: never prompts, so scripts can call it."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.accounts.models import Role
from clearline.accounts.services import create_staff
from clearline.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a staff account; MFA enrolment happens at first login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = sys.stdin.readline().rstrip("\r\n") if options["password_stdin"] else None
        try:
            staff, generated = create_staff(
                email=options["email"], role=options["role"], password=password, display_name=options["name"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Created {staff.role} {staff.email}. Authenticator enrolment is required at first login."
        )
        if generated:
            self.stdout.write(f"Initial password (shown once): {generated}")
