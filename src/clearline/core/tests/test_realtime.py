"""The realtime port delivers after commit through whichever channel layer is configured."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from clearline.core.realtime import publish


@pytest.mark.django_db
def test_publish_reaches_group_members_after_commit(django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("queue-probe", channel)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish("queue-probe", "case.opened", {"reference": "CL-TEST2345"})
    assert len(callbacks) == 1  # sent by an on-commit callback, never inside the transaction
    assert async_to_sync(layer.receive)(channel) == {"type": "case_opened", "reference": "CL-TEST2345"}
    async_to_sync(layer.group_discard)("queue-probe", channel)
