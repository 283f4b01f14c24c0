"""Background jobs of feedback: the surveys due, every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task
from huey.exceptions import TaskLockedException

from . import services


@db_periodic_task(crontab(minute="*"))
def send_due_surveys_every_minute() -> None:
    try:
        with lock_task("feedback-surveys"):
            services.send_due_surveys()
    except TaskLockedException:
        return  # another worker is sending; the next tick catches up
