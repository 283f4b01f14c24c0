"""Background jobs of the email channel."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from . import imap, services


@db_task(retries=2, retry_delay=10)
def process_inbound_email(inbound_id: int) -> None:
    services.process_inbound_email(inbound_id)


@db_periodic_task(crontab(minute="*"))
def poll_mailboxes() -> None:
    """Each mailbox at its own interval (checked every minute); stored messages processed in the job."""
    with lock_task("email-poll"):
        for inbound_id in imap.poll_due_mailboxes():
            process_inbound_email(inbound_id)


@db_periodic_task(crontab(minute="*"))
def process_stale_inbound_email() -> None:
    """Messages stored but never processed (a worker killed mid-batch) are not left behind."""
    with lock_task("email-stale"):
        services.process_stale_inbound_email()
