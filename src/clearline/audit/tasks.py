from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .services import seal_audit_events


@db_periodic_task(crontab(minute="*"))
@lock_task("audit-seal")
def seal_audit_events_task() -> None:
    seal_audit_events()
