"""Background jobs of compliance: regulator notifications on day 5 of 7 (NYCRR-05), examiner exports."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import registers, services


@db_periodic_task(crontab(minute="7"))
def escalate_regulator_tasks_hourly() -> None:
    registers.escalate_due_tasks()


@db_task()
def run_export(job_id: int) -> None:
    services.run_export(job_id)
