"""The production shape's moving parts against the real servers: Redis jobs, channel layer and cache.

Skipped (with the reason shown) when REDIS_URL is not set; CI sets it.
"""

from __future__ import annotations

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import HUEY

from clearline.core.jobs import JobsOnRedis

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Redis run skipped"
)


@needs_redis
def test_jobs_round_trip_through_real_redis_without_revocation_round_trips():
    """Each job costs Redis its dequeue (and a result when there is one): no revocation flags are read or
    cleared, and revoking is refused rather than ignored."""
    assert isinstance(HUEY, JobsOnRedis)
    huey = JobsOnRedis(f"clearline-test-{uuid.uuid4().hex}", url=settings.REDIS_URL)

    @huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    assert huey.pending_count() == 1
    task = huey.dequeue()
    commands: list[str] = []
    real = huey.storage.conn.execute_command
    huey.storage.conn.execute_command = lambda *args, **kw: commands.append(args[0]) or real(*args, **kw)
    huey.execute(task)
    assert commands == ["HSET"]  # the result; Huey alone also sent HMGET and HDEL for revocation flags
    del huey.storage.conn.execute_command
    assert result.get() == 5
    with pytest.raises(NotImplementedError):
        result.revoke()
    huey.storage.flush_all()


@needs_redis
def test_channel_layer_is_redis_and_delivers():
    layer = get_channel_layer()
    assert type(layer).__module__.startswith("channels_redis")

    async def round_trip() -> dict:
        channel = await layer.new_channel()
        await layer.group_add("queue-test", channel)
        await layer.group_send("queue-test", {"type": "case.opened", "reference": "CL-TEST2345"})
        message = await layer.receive(channel)
        await layer.group_discard("queue-test", channel)
        return message

    assert async_to_sync(round_trip)() == {"type": "case.opened", "reference": "CL-TEST2345"}


@needs_redis
def test_cache_is_redis_through_one_client_per_pool():
    assert settings.CACHES["default"]["BACKEND"].endswith("SharedRedisCache")
    cache.set("probe", 41)
    assert cache.incr("probe") == 42
    client = cache._cache.get_client(write=True)  # Django's own builds a new client for every call
    assert cache._cache.get_client() is client and client.get(cache.make_and_validate_key("probe")) == b"42"
