"""Every change of case state goes through these functions, whatever the channel (API, console, email...).

Each service owns its transaction, writes its audit event inside it, and enqueues side effects (delivery)
to run after commit. Realtime events (``core.realtime.publish``) are added with their first subscriber, the
live agent console; publishing to nobody would cost every intake several Redis round trips.
"""

from .common import Author, mark_delivery, redeliver_stalled_messages
from .intake import WrittenWith, open_case
from .lifecycle import (
    add_message,
    amend_case_timestamp,
    assign_case,
    merge_case,
    reclassify_case,
    reopen_case,
    resolve_case,
    send_automatic_message,
    send_status_update,
)

__all__ = [
    "Author",
    "WrittenWith",
    "add_message",
    "amend_case_timestamp",
    "assign_case",
    "mark_delivery",
    "merge_case",
    "open_case",
    "reclassify_case",
    "redeliver_stalled_messages",
    "reopen_case",
    "resolve_case",
    "send_automatic_message",
    "send_status_update",
]
