"""Background jobs of compliance: regulator notifications on day 5 of 7 (NYCRR-05), hourly."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import registers


@db_periodic_task(crontab(minute="7"))
def escalate_regulator_tasks_hourly() -> None:
    registers.escalate_due_tasks()
