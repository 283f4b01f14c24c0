"""Organisation data made readable for the public pages, in the visitor's language (Babel's CLDR data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from babel.dates import format_time, get_day_names, get_timezone, get_timezone_name
from django.utils.translation import gettext as _

from clearline.sla.models import BusinessCalendar

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class HoursLine:
    days: str
    periods: str


def _periods(periods: list[list[str]], language: str) -> str:
    def clock(value: str) -> str:
        hours, minutes = (int(part) for part in value.split(":"))
        return format_time(time(hours % 24, minutes), format="short", locale=language)

    return ", ".join(f"{clock(start)}\u2013{clock(end)}" for start, end in periods)


def weekly_hours(calendar: BusinessCalendar, language: str) -> list[HoursLine]:
    """Consecutive days with the same periods on one line: "Monday to Friday: 9:00 AM to 5:00 PM"."""
    names = get_day_names("wide", locale=language)
    lines: list[HoursLine] = []
    day = 0
    while day < len(DAY_KEYS):
        periods = calendar.weekly_hours.get(DAY_KEYS[day]) or []
        last = day
        while last + 1 < len(DAY_KEYS) and (calendar.weekly_hours.get(DAY_KEYS[last + 1]) or []) == periods:
            last += 1
        if periods:
            first, last_name = names[day], names[last]
            days = first if day == last else _("%(first)s to %(last)s") % {"first": first, "last": last_name}
            lines.append(HoursLine(days=days[:1].upper() + days[1:], periods=_periods(periods, language)))
        day = last + 1
    return lines


def zone_name(zone: str, language: str) -> str:
    """ "Eastern Time" / "hora del este de Norteamérica": the calendar's zone as visitors know it."""
    return str(get_timezone_name(get_timezone(zone), locale=language))
