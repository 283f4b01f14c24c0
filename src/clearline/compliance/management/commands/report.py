"""``clearline report dfs --quarter 2025Q3 --format json|csv``: the DFS quarterly pack (contract.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.accounts.selectors import get_staff_by_email
from clearline.compliance.documents import render_pack
from clearline.compliance.reports import dfs_pack
from clearline.compliance.services import freeze_pack
from clearline.core.errors import DomainError
from clearline.org.selectors import organisation_for_texts


class Command(BaseCommand):
    help = "Print a regulatory report."
    requires_system_checks: list[str] = []  # a read-only report: skip loading every URL and API module

    def add_arguments(self, parser: ArgumentParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True)
        dfs = reports.add_parser("dfs", help="The NYDFS quarterly tabulation (DFS-27, DFS-28, DFS-29).")
        dfs.add_argument("--quarter", required=True, help="For example 2025Q3.")
        dfs.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], default="json")
        dfs.add_argument("--output", type=Path, help="Write to this file (required for xlsx and pdf).")
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
        fmt, output = options["format"], options["output"]
        if fmt in ("xlsx", "pdf") and output is None:
            raise CommandError(f"--output is required for {fmt}.")
        data = render_pack(pack, fmt, organisation=organisation_for_texts().name)
        if output is not None:
            output.write_bytes(data)
        else:
            self.stdout.write(data.decode(), ending="")
