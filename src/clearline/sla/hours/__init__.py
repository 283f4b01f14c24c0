"""Business-calendar arithmetic (pure Python, no Django): ``BusinessHours(CalendarSpec.build(...))``."""

from .calendar import WEEKDAYS, BusinessHours, CalendarError, CalendarSpec, Period, parse_weekly_hours

__all__ = ["WEEKDAYS", "BusinessHours", "CalendarError", "CalendarSpec", "Period", "parse_weekly_hours"]
