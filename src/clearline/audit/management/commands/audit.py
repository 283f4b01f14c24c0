"""``clearline audit verify``: recompute the hash chains; exit 1 with the first bad entry if broken."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clearline.audit.services import seal_audit_events
from clearline.audit.verification import verify_audit_trail


class Command(BaseCommand):
    help = "Audit trail tools."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Check every stream chain and every seal.")
        verify.add_argument(
            "--all-problems", action="store_true", help="List every problem, not just the first."
        )
        actions.add_parser("seal", help="Seal settled events now (the scheduler does this every minute).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            seal = seal_audit_events()
            self.stdout.write(
                f"Sealed {seal.event_count} events as seal #{seal.seq}." if seal else "Nothing to seal."
            )
            return
        report = verify_audit_trail(stop_at_first=not options["all_problems"])
        if report.ok:
            self.stdout.write(
                f"Audit trail intact: {report.events_checked} events in {report.streams_checked} streams, "
                f"{report.seals_checked} seals verified."
            )
            return
        for problem in report.problems:
            self.stderr.write(f"BROKEN: {problem}")
        sys.exit(1)
