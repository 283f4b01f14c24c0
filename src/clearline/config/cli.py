"""The ``clearline`` command: Django management commands under one name (see README and contract.md)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["clearline", *(sys.argv[1:] if argv is None else argv)])
