"""Business-hours calendars and the arithmetic every deadline leans on. Pure Python: no Django.

A calendar is a time zone, weekly opening periods in local wall-clock time (several a day; a period whose
end is at or before its start runs past midnight, an overnight shift) and closed dates (public holidays from
the ``holidays`` package plus custom closures). A period belongs to the local date it starts on, so an
overnight shift that starts on the eve of a holiday is worked and one that would start on the holiday is not.

Boundaries become instants as ``zoneinfo`` resolves them with ``fold=0``: a boundary in the hour repeated
when clocks go back means its first occurrence; one in the hour skipped when clocks go forward moves forward
by the gap. A period covering the change is one hour shorter or longer in real time, as the wall clock says.

The arithmetic runs over a timeline: the open intervals as UTC epoch seconds, merged and sorted, with the
open seconds before each one, so adding business time is two binary searches. The timeline covers the
years asked about and is rebuilt wider when a question falls outside it.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = ["WEEKDAYS", "BusinessHours", "CalendarError", "CalendarSpec", "Period", "parse_weekly_hours"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1440
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_SEARCH_YEARS = 10  # a calendar with no open time this far ahead is refused, not looped over


class CalendarError(ValueError):
    """A calendar that cannot be used: the message says what to fix."""


@dataclass(frozen=True, order=True)
class Period:
    """Open ``start`` to ``end`` minutes after local midnight of its day; ``end`` > 1440 runs overnight."""

    start: int
    end: int


@dataclass(frozen=True)
class CalendarSpec:
    timezone: str
    weekly: tuple[tuple[Period, ...], ...]  # seven entries, Monday first
    holiday_country: str = ""
    holiday_subdivision: str = ""
    closures: frozenset[date] = frozenset()

    @classmethod
    def build(
        cls,
        *,
        timezone: str,
        weekly_hours: Mapping[str, Sequence[Sequence[str]]],
        holiday_country: str = "",
        holiday_subdivision: str = "",
        closures: Iterable[date] = (),
    ) -> CalendarSpec:
        """A validated calendar from its stored form: ``{"mon": [["09:00", "12:30"], ["13:30", "17:00"]]}``"""
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise CalendarError(f"Unknown time zone {timezone!r}.") from error
        if holiday_country:
            try:
                holidays.country_holidays(holiday_country, subdiv=holiday_subdivision or None, years=2000)
            except NotImplementedError as error:
                raise CalendarError(
                    f"No public holidays known for {holiday_country!r}/{holiday_subdivision or '-'}."
                ) from error
        return cls(
            timezone=timezone,
            weekly=parse_weekly_hours(weekly_hours),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            closures=frozenset(closures),
        )


def _minutes(text: str, *, day: str) -> int:
    match = _CLOCK.match(str(text).strip())
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise CalendarError(f"{day}: {text!r} is not a time of day between 00:00 and 24:00 (HH:MM).")
    return int(match.group(1)) * 60 + int(match.group(2))


def parse_weekly_hours(weekly_hours: Mapping[str, Sequence[Sequence[str]]]) -> tuple[tuple[Period, ...], ...]:
    """Validate weekly periods: known days, real times, no empty or overlapping periods, some open time."""
    unknown = set(weekly_hours) - set(WEEKDAYS)
    if unknown:
        raise CalendarError(f"Unknown day(s) {', '.join(sorted(unknown))}; use {', '.join(WEEKDAYS)}.")
    week: list[tuple[Period, ...]] = []
    for day in WEEKDAYS:
        periods: list[Period] = []
        for pair in weekly_hours.get(day) or ():
            if len(pair) != 2:
                raise CalendarError(f"{day}: each period is [start, end], got {list(pair)!r}.")
            start, end = _minutes(pair[0], day=day), _minutes(pair[1], day=day)
            if start == MINUTES_PER_DAY:
                raise CalendarError(f"{day}: a period cannot start at 24:00.")
            if end == start:
                raise CalendarError(f"{day}: {pair[0]}-{pair[1]} is empty; a whole day is 00:00-24:00.")
            periods.append(Period(start, end if end > start else end + MINUTES_PER_DAY))
        periods.sort()
        for before, after in pairwise(periods):
            if after.start < before.end:
                raise CalendarError(f"{day}: periods overlap ({_label(before)} and {_label(after)}).")
        week.append(tuple(periods))
    for index, day_periods in enumerate(week):  # an overnight period must end before the next day's first one
        following = week[(index + 1) % 7]
        if day_periods and following and day_periods[-1].end - MINUTES_PER_DAY > following[0].start:
            raise CalendarError(
                f"{WEEKDAYS[index]}: {_label(day_periods[-1])} runs into {WEEKDAYS[(index + 1) % 7]}'s "
                f"{_label(following[0])}."
            )
    if not any(week):
        raise CalendarError("The calendar has no open hours; add at least one period.")
    return tuple(week)


def _label(period: Period) -> str:
    end = period.end % MINUTES_PER_DAY if period.end != MINUTES_PER_DAY else MINUTES_PER_DAY
    return f"{period.start // 60:02d}:{period.start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True)
class _Timeline:
    first_year: int
    last_year: int
    valid_from: float  # local midnight of 1 January of first_year
    valid_until: float  # local midnight of 1 January after last_year
    starts: list[float] = field(repr=False)
    ends: list[float] = field(repr=False)
    before: list[float] = field(repr=False)  # open seconds before interval i
    through: list[float] = field(repr=False)  # open seconds up to the end of interval i


class BusinessHours:
    """Business-time arithmetic over one calendar. Thread-safe; instants in, UTC instants out."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.zone = ZoneInfo(spec.timezone)
        self._lock = threading.Lock()
        self._timeline: _Timeline | None = None

    # -- questions -------------------------------------------------------------------------------------
    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when ``duration`` of open time has passed after ``start`` (a deadline)."""
        seconds = duration.total_seconds()
        if seconds < 0:
            raise ValueError("duration must not be negative")
        at = _epoch(start)
        if seconds == 0:
            return start.astimezone(UTC)
        timeline = self._covering(at)
        for _ in range(_SEARCH_YEARS):
            target = self._open_before(timeline, at) + seconds
            if timeline.through and target <= timeline.through[-1]:
                index = bisect_left(timeline.through, target)
                return datetime.fromtimestamp(
                    timeline.starts[index] + (target - timeline.before[index]), tz=UTC
                )
            timeline = self._build(timeline.first_year, timeline.last_year + 1)
        raise CalendarError(f"No open time within {_SEARCH_YEARS} years of {start.isoformat()}.")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        first, last = _epoch(start), _epoch(end)
        timeline = self._covering(min(first, last), max(first, last))
        return timedelta(seconds=self._open_before(timeline, last) - self._open_before(timeline, first))

    def is_open(self, at: datetime) -> bool:
        instant = _epoch(at)
        timeline = self._covering(instant)
        index = bisect_right(timeline.starts, instant) - 1
        return index >= 0 and instant < timeline.ends[index]

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself when open, else the next opening."""
        instant = _epoch(at)
        timeline = self._covering(instant)
        for _ in range(_SEARCH_YEARS):
            index = bisect_right(timeline.starts, instant)
            if index > 0 and instant < timeline.ends[index - 1]:
                return at.astimezone(UTC)
            if index < len(timeline.starts):
                return datetime.fromtimestamp(timeline.starts[index], tz=UTC)
            timeline = self._build(timeline.first_year, timeline.last_year + 1)
        raise CalendarError(f"No open time within {_SEARCH_YEARS} years of {at.isoformat()}.")

    # -- timeline --------------------------------------------------------------------------------------
    @staticmethod
    def _open_before(timeline: _Timeline, instant: float) -> float:
        index = bisect_right(timeline.starts, instant) - 1
        if index < 0:
            return 0.0
        return timeline.before[index] + min(instant, timeline.ends[index]) - timeline.starts[index]

    def _covering(self, first: float, last: float | None = None) -> _Timeline:
        last = first if last is None else last
        timeline = self._timeline
        if timeline is not None and timeline.valid_from <= first and last < timeline.valid_until:
            return timeline
        first_year = datetime.fromtimestamp(first, tz=self.zone).year
        last_year = datetime.fromtimestamp(last, tz=self.zone).year
        if timeline is not None:
            first_year, last_year = min(first_year, timeline.first_year), max(last_year, timeline.last_year)
        else:
            last_year += 1  # most deadlines run past the year they start in
        return self._build(first_year, last_year)

    def _build(self, first_year: int, last_year: int) -> _Timeline:
        with self._lock:
            current = self._timeline
            if current is not None and current.first_year <= first_year and current.last_year >= last_year:
                return current
            timeline = self._compute(first_year, last_year)
            self._timeline = timeline
            return timeline

    def _compute(self, first_year: int, last_year: int) -> _Timeline:
        closed = set(self.spec.closures)
        if self.spec.holiday_country:
            closed.update(
                holidays.country_holidays(
                    self.spec.holiday_country,
                    subdiv=self.spec.holiday_subdivision or None,
                    years=range(first_year - 1, last_year + 1),
                ).keys()
            )
        intervals: list[tuple[float, float]] = []
        day = date(first_year, 1, 1) - timedelta(days=1)  # its overnight period reaches into the range
        last_day = date(last_year, 12, 31)
        while day <= last_day:
            if day not in closed:
                for period in self.spec.weekly[day.weekday()]:
                    start, end = self._instant(day, period.start), self._instant(day, period.end)
                    if end > start:
                        intervals.append((start, end))
            day += timedelta(days=1)
        intervals.sort()
        starts: list[float] = []
        ends: list[float] = []
        for start, end in intervals:  # merge touching periods (12:00-13:00 then 13:00-17:00)
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        before: list[float] = []
        through: list[float] = []
        total = 0.0
        for start, end in zip(starts, ends, strict=True):
            before.append(total)
            total += end - start
            through.append(total)
        return _Timeline(
            first_year=first_year,
            last_year=last_year,
            valid_from=self._instant(date(first_year, 1, 1), 0),
            valid_until=self._instant(date(last_year + 1, 1, 1), 0),
            starts=starts,
            ends=ends,
            before=before,
            through=through,
        )

    def _instant(self, day: date, minutes: int) -> float:
        local = datetime.combine(day, time()) + timedelta(minutes=minutes)
        return local.replace(tzinfo=self.zone).timestamp()


def _epoch(at: datetime) -> float:
    if at.tzinfo is None:
        raise ValueError("business-time arithmetic needs aware datetimes")
    return at.timestamp()
