"""``clearline compliance check``: the evidence per first-release requirement; exit 1 on any gap."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clearline.compliance.check import check_installation
from clearline.compliance.export import export_to_file
from clearline.compliance.reconciliation import reconcile_inbound_contacts


class Command(BaseCommand):
    help = "Compliance checks and the examiner export for this installation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "check", help="Evidence that each requirement is met here; exit status 1 on a gap."
        )
        reconcile = actions.add_parser(
            "reconcile", help="Match a day's inbound contacts against cases (DFS-23); exit 1 on orphans."
        )
        reconcile.add_argument("--day", type=date.fromisoformat, help="Default: yesterday.")
        export = actions.add_parser("export", help="Write the examiner bundle for cases received in a range.")
        export.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
        export.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
        export.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reconcile":
            day = options["day"] or timezone.localdate() - timedelta(days=1)
            reconciled = reconcile_inbound_contacts(day)
            self.stdout.write(
                f"{day}: {reconciled.contacts} inbound contact(s), {reconciled.on_cases} on cases, "
                f"{reconciled.quarantined} quarantined, {len(reconciled.orphans)} orphan(s)"
            )
            for orphan in reconciled.orphans:
                self.stdout.write(f"  orphan {orphan}")
            if reconciled.orphans:
                raise CommandError("Inbound contacts belong to no case: see the list above.")
            return
        if options["action"] == "export":
            result = export_to_file(options["start"], options["end"], options["output"])
            self.stdout.write(
                f"{result.cases} cases, {result.audit_events} audit events -> {options['output']}"
            )
            return
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
