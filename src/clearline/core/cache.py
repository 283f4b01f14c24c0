"""Cache invalidation around transactions, and values remembered in the process."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, TypeVar, cast

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


class _OneClientPerPool(RedisCacheClient):
    """Django builds a new ``redis.Redis`` around its pool for every cache call, a twentieth of an API
    request's CPU (token and notice reads); one per pool serves every thread, as redis-py allows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # kept as long as the cache
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class SharedRedisCache(RedisCache):
    """Django's Redis cache, with one client object per connection pool instead of one per call."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool
