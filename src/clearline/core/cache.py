"""Cache invalidation around transactions, and values remembered in the process."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, TypeVar, cast

from django.db import transaction

T = TypeVar("T")


def forget_now_and_after_commit(forget: Callable[[], None]) -> None:
    """Drop a cached value now (this process sees its own change) and again after commit (another reader
    may have re-cached the old value before the change was visible)."""
    forget()
    transaction.on_commit(forget)


class ProcessMemo:
    """Values kept in this process for a few seconds: read on every request, where even a Redis round trip
    per read is a visible share of the answer (the phone webhooks). Staleness across processes is bounded
    by ``seconds``; ``forget`` acts in this process only."""

    _every: ClassVar[list[ProcessMemo]] = []

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict[Hashable, tuple[float, Any]] = {}
        ProcessMemo._every.append(self)

    def get_or_set(self, key: Hashable, load: Callable[[], T]) -> T:
        found = self._values.get(key)
        now = time.monotonic()
        if found is not None and found[0] > now:
            return cast(T, found[1])
        value = load()
        self._values[key] = (now + self.seconds, value)
        return value

    def forget(self, *keys: Hashable) -> None:
        for key in keys:
            self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()

    @classmethod
    def clear_all(cls) -> None:
        """Tests: nothing remembered leaks from one test to the next."""
        for memo in cls._every:
            memo.clear()
