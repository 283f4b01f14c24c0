"""Background jobs of compliance: regulator notifications on day 5 of 7 (NYCRR-05), examiner exports."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import quality, reconciliation, registers, services


@db_periodic_task(crontab(minute="7"))
def escalate_regulator_tasks_hourly() -> None:
    registers.escalate_due_tasks()


@db_task()
def run_export(job_id: int) -> None:
    services.run_export(job_id)


@db_periodic_task(crontab(day="1", hour="6", minute="0"))
def sample_last_month_for_qa() -> None:
    """On the 1st: the previous month's QA sample (DFS-26)."""
    today = timezone.localdate()
    quality.sample_month(today.replace(day=1) - timedelta(days=1))


@db_periodic_task(crontab(hour="1", minute="30"))
def reconcile_yesterdays_contacts() -> None:
    """Every night: yesterday's inbound contacts against cases (DFS-23)."""
    reconciliation.reconcile_inbound_contacts(timezone.localdate() - timedelta(days=1))
