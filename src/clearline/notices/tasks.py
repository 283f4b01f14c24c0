"""Background jobs of notices."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=3, retry_delay=30)
def send_update_to_linked_cases(update_id: int) -> None:
    services.send_update_to_linked_cases(update_id)
