"""``clearline token create EMAIL [--name NAME]``: prints a new API token once; only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.accounts.selectors import get_staff_by_email
from clearline.accounts.services import create_api_token
from clearline.core.errors import DomainError


class Command(BaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for a staff account and print it once.")
        create.add_argument("email")
        create.add_argument("--name", default="api")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = get_staff_by_email(options["email"])
        if staff is None:
            raise CommandError(f"No staff account {options['email']}.")
        try:
            issued = create_api_token(staff, name=options["name"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(issued.secret)
