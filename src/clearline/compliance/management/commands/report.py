"""``clearline report dfs --quarter 2025Q3 --format json|csv``: the DFS quarterly pack (contract.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.accounts.selectors import get_staff_by_email
from clearline.compliance.reports import dfs_pack, pack_csv, pack_json
from clearline.compliance.services import freeze_pack
from clearline.core.errors import DomainError


class Command(BaseCommand):
    help = "Print a regulatory report."

    def add_arguments(self, parser: ArgumentParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True)
        dfs = reports.add_parser("dfs", help="The NYDFS quarterly tabulation (DFS-27, DFS-28, DFS-29).")
        dfs.add_argument("--quarter", required=True, help="For example 2025Q3.")
        dfs.add_argument("--format", choices=["json", "csv"], default="json")
        dfs.add_argument(
            "--freeze",
            metavar="EMAIL",
            help="Sign the pack off as this compliance officer and keep it (DFS-30).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["freeze"]:
                staff = get_staff_by_email(options["freeze"])
                if staff is None:
                    raise CommandError(f"No staff account {options['freeze']}.")
                frozen = freeze_pack(options["quarter"], by=staff)
                self.stdout.write(
                    f"Frozen {frozen.quarter} version {frozen.version}, sha256 {frozen.file_sha256}."
                )
                return
            pack = dfs_pack(options["quarter"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(pack_json(pack) if options["format"] == "json" else pack_csv(pack), ending="")
