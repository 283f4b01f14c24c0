"""The due-work sweep every 30 seconds, and the recomputation after a policy change."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task
from huey.exceptions import TaskLockedException

from . import services

SWEEP_LOCK = "sla-sweep"


def _sweep() -> None:
    try:
        with lock_task(SWEEP_LOCK):  # one sweep at a time across workers
            services.sweep_due_clocks()
    except TaskLockedException:
        return  # another worker is sweeping; the next tick catches up


@db_periodic_task(crontab(minute="*"))
def sweep_due_clocks_every_minute() -> None:
    """Huey's scheduler ticks once a minute: sweep now and schedule the half-minute sweep."""
    _sweep()
    sweep_due_clocks_once.schedule(delay=30)


@db_task()
def sweep_due_clocks_once() -> None:
    _sweep()


@db_task()
def recompute_open_case_clocks() -> None:
    services.recompute_all_open_clocks()
