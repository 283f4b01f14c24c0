"""The realtime port: services publish events; the channel layer (in-memory or Redis) fans them out."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def publish(group: str, event_type: str, payload: dict[str, Any]) -> None:
    """Send ``payload`` to every consumer in ``group`` once the current transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, {"type": event_type.replace(".", "_"), **payload})
        except Exception:  # a realtime hiccup must never break a committed business action
            logger.exception("realtime publish to %s failed", group)

    transaction.on_commit(send)
