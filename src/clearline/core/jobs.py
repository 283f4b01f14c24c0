"""The one way services start background work: after the transaction commits.

A job enqueued inside a transaction that rolls back never runs; a job never sees uncommitted rows.
Task arguments must survive JSON (ids and primitives).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from django.db import transaction
from huey import RedisHuey, SqliteHuey
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


class _WithoutRevocation:
    """Clearline never revokes a queued job. Huey still reads a job's revocation flags from its store before
    running it and deletes one after: two round trips to Redis (or SQLite) per job, for every
    acknowledgement. Here neither happens, and revoking is refused rather than silently ignored."""

    def is_revoked(self, task: Any, timestamp: Any = None, peek: bool = True) -> bool:
        return False

    def revoke(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("Clearline does not revoke jobs: a job checks its own preconditions")

    revoke_all = revoke_by_id = revoke

    def delete(self, key: str) -> bool:
        if key.startswith("r:"):  # Huey clears a job's revocation flag ("r:<id>") after it runs
            return False
        return bool(super().delete(key))  # type: ignore[misc]


class JobsOnRedis(_WithoutRevocation, RedisHuey):  # type: ignore[misc]
    """The job queue of the production shape (``HUEY["huey_class"]`` when ``REDIS_URL`` is set)."""


class EmbeddedHuey(_WithoutRevocation, SqliteHuey):  # type: ignore[misc]  # huey ships no type information
    """The job queue of the embedded shape (``HUEY["huey_class"]`` when ``REDIS_URL`` is unset)."""

    storage_class = _WalNormalSqliteStorage
