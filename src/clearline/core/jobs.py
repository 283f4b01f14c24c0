"""The one way services start background work: after the transaction commits.

A job enqueued inside a transaction that rolls back never runs; a job never sees uncommitted rows.
Task arguments must survive JSON (ids and primitives).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from django.db import transaction
from huey import SqliteHuey
from huey.storage import SqliteStorage


def enqueue_on_commit(task: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task(*args, **kwargs), robust=True)


class _WalNormalSqliteStorage(SqliteStorage):  # type: ignore[misc]
    """Huey's SQLite store with the same durability as the main database (WAL, synchronous=NORMAL).

    Huey's default (synchronous=FULL) fsyncs on every enqueue; WAL with NORMAL survives an application
    crash and loses at most the last transactions on power loss, exactly like the case database beside it.
    """

    def _create_connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


class EmbeddedHuey(SqliteHuey):  # type: ignore[misc]  # huey ships no type information
    """The job queue of the embedded shape (``HUEY["huey_class"]`` when ``REDIS_URL`` is unset)."""

    storage_class = _WalNormalSqliteStorage
