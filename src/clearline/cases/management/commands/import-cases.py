"""``clearline import-cases FILE.jsonl``: backfill historic cases (DFS-34), all or nothing, by external_id."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.cases.services.history import import_cases


class Command(BaseCommand):
    help = "Import historic cases from a JSON Lines file (contract.md); nothing if any line is invalid."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with path.open(encoding="utf-8") as lines:
            report = import_cases(lines, source=path.name)
        if report.errors:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} invalid line(s); nothing was imported.")
        self.stdout.write(f"Imported {report.imported} case(s); {report.skipped_existing} already imported.")
