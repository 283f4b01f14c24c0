"""``clearline worker``: the Huey job consumer and periodic scheduler (run any number for scale-out)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs and periodic tasks (Huey consumer)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("run_huey")
