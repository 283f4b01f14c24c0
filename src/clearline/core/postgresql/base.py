"""PostgreSQL backend for the production shape: Django's, with the connection health check made cheaper.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request: a round trip
per request, a twentieth of a phone webhook's cost. Here a connection that committed or passed a check
within the last second is trusted without one. A server restart in that second costs the one request that
meets the dead connection an error (Django then closes it), as it would without health checks.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

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
