"""Cache invalidation around transactions."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def forget_now_and_after_commit(forget: Callable[[], None]) -> None:
    """Drop a cached value now (this process sees its own change) and again after commit (another reader
    may have re-cached the old value before the change was visible)."""
    forget()
    transaction.on_commit(forget)
