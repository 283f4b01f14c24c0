"""Hash arithmetic of the audit chain. Pure functions: the writer and the verifier share them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def event_hash(
    *,
    stream: str,
    seq: int,
    occurred_at: datetime,
    actor_type: str,
    actor_id: str,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    data: dict[str, Any],
    prev_hash: str,
) -> str:
    body = {
        "stream": stream,
        "seq": seq,
        "occurred_at": occurred_at.isoformat(timespec="microseconds"),
        "actor": [actor_type, actor_id, actor_label],
        "action": action,
        "target": [target_type, target_id],
        "data": data,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def events_digest(hashes: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for value in hashes:
        digest.update(value.encode())
    return digest.hexdigest()


def seal_hash(
    *,
    seq: int,
    sealed_at: datetime,
    from_event_id: int,
    through_event_id: int,
    event_count: int,
    events_digest: str,
    prev_hash: str,
) -> str:
    body = [
        seq,
        sealed_at.isoformat(timespec="microseconds"),
        from_event_id,
        through_event_id,
        event_count,
        events_digest,
        prev_hash,
    ]
    return hashlib.sha256(canonical_json(body)).hexdigest()
