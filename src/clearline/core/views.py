"""Liveness and readiness probes."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from huey.contrib.djhuey import HUEY

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Ready when the database answers and the job queue's storage can be reached."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any driver error means not ready
        logger.warning("readiness: database: %s", error)
        checks["database"] = "unavailable"
    try:
        HUEY.pending_count()
        checks["jobs"] = "ok"
    except Exception as error:  # Redis or SQLite queue storage unreachable
        logger.warning("readiness: job queue: %s", error)
        checks["jobs"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
    )
