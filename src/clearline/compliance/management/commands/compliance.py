"""``clearline compliance check``: the evidence per first-release requirement; exit 1 on any gap."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.compliance.check import check_installation


class Command(BaseCommand):
    help = "Compliance checks for this installation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "check", help="Evidence that each requirement is met here; exit status 1 on a gap."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        evidence = check_installation()
        for item in evidence:
            state = "met" if item.met else "GAP"
            tests = f"{len(item.tests)} test(s), e.g. {item.tests[0]}" if item.tests else "no test names it"
            detail = "; ".join(part for part in (item.configuration, tests) if part)
            self.stdout.write(f"{item.requirement:<9} {state:<4} {detail}")
        gaps = [item.requirement for item in evidence if not item.met]
        self.stdout.write(f"{len(evidence) - len(gaps)} of {len(evidence)} requirements met.")
        if gaps:
            raise CommandError(f"Gaps: {', '.join(gaps)}")
