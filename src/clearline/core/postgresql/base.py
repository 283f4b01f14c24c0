"""PostgreSQL backend for the production shape: Django's, with the connection health check made cheaper and a
cursor for statements written with PostgreSQL's own placeholders.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request: a round trip
per request, a twentieth of a phone webhook's cost. Here a connection that committed or passed a check
within the last second is trusted without one. A server restart in that second costs the one request that
meets the dead connection an error (Django then closes it), as it would without health checks.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorDebugWrapper

TRUSTED_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool  # set by Django before any check
    _proven_at = float("-inf")

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and not self.health_check_done
            and time.monotonic() - self._proven_at < TRUSTED_SECONDS
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def is_usable(self) -> bool:
        usable = bool(super().is_usable())
        if usable:
            self._proven_at = time.monotonic()
        return usable

    def commit(self) -> None:
        super().commit()
        self._proven_at = time.monotonic()

    def raw_cursor(self) -> Any:
        """A cursor (in Django's wrapper: queries logged, errors translated) for SQL with PostgreSQL's own
        ``$1`` placeholders, sent as written (``core.rows.insert_chain``)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = psycopg.RawCursor(self.connection)
        self.validate_thread_sharing()
        return _RawDebugCursor(cursor, self) if self.queries_logged else self.make_cursor(cursor)  # type: ignore[arg-type]


class _RawDebugCursor(CursorDebugWrapper):
    """Logs the SQL as sent: Django's PostgreSQL log would quote the parameters into ``%s`` placeholders."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)
