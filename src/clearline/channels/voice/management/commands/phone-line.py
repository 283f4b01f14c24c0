"""``clearline phone-line add|list``: the support numbers the carrier sends to Clearline's voice webhooks."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.cases.language import SERVED_LANGUAGES
from clearline.cases.services.intake import PHONE_NUMBER
from clearline.channels.voice.models import PhoneLine
from clearline.channels.voice.services import forget_line
from clearline.sla.models import BusinessCalendar


class Command(BaseCommand):
    help = "Add or update a support phone line (E.164 number), or list the lines."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add or update a line.")
        add.add_argument("number", help="E.164, as the carrier sends it, e.g. +12125550142.")
        add.add_argument("--label", default="")
        add.add_argument("--calendar", default="", help="Business calendar name; default: the support hours.")
        add.add_argument(
            "--languages", default="en,es,ro", help="Menu languages in order (default en,es,ro)."
        )
        add.add_argument("--queue-limit", type=int, default=250, help="Callers on hold before voicemail.")
        add.add_argument("--not-recorded", action="store_true", help="Calls are not recorded (no notice).")
        add.add_argument("--inactive", action="store_true")
        actions.add_parser("list", help="The lines, their hours and queue limits.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for line in PhoneLine.objects.select_related("calendar").order_by("number"):
                hours = line.calendar.name if line.calendar else "support hours"
                state = "active" if line.is_active else "inactive"
                self.stdout.write(
                    f"{line.number}\t{line.label}\t{hours}\t{','.join(line.languages)}\t"
                    f"queue {line.queue_limit}\t{state}"
                )
            return
        number = options["number"].replace(" ", "")
        if not PHONE_NUMBER.fullmatch(number):
            raise CommandError("The number must be in E.164 form, e.g. +12125550142.")
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        unknown = [code for code in languages if code not in SERVED_LANGUAGES]
        if not languages or unknown:
            raise CommandError(f"Languages must be among {', '.join(SERVED_LANGUAGES)}.")
        calendar = None
        if options["calendar"]:
            calendar = BusinessCalendar.objects.filter(name=options["calendar"]).first()
            if calendar is None:
                raise CommandError(f"No business calendar named {options['calendar']!r}.")
        if options["queue_limit"] < 1:
            raise CommandError("The queue limit must be at least 1.")
        line, created = PhoneLine.objects.update_or_create(
            number=number,
            defaults={
                "label": options["label"],
                "calendar": calendar,
                "languages": languages,
                "queue_limit": options["queue_limit"],
                "records_calls": not options["not_recorded"],
                "is_active": not options["inactive"],
            },
        )
        forget_line(line)  # this process; others read the change within LINE_CACHE_SECONDS
        self.stdout.write(f"{'Added' if created else 'Updated'} line {line.number}.")
