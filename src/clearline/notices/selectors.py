"""What customers see of notices: the banner, intake notices and the status page.

Every public page shows the banner and every new case is linked to the incident it is about, so the open
notices are kept in the shared cache (dropped on every change, and at most ``CACHE_SECONDS`` old otherwise)
and, for ``PROCESS_SECONDS``, in each process; which of them is active is decided at read time, so a
maintenance window opens on the minute without a job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from clearline.core.cache import ProcessMemo
from clearline.core.texts import in_language

from .models import Component, Notice, NoticeKind, Stage

CACHE_KEY = "notices:open:v1"
CACHE_SECONDS = 30
PROCESS_SECONDS = 2  # another process's change shows here within this; the changing process's at once
_open_here = ProcessMemo(PROCESS_SECONDS)
RECENT = timedelta(days=14)


@dataclass(frozen=True)
class OpenNotice:
    id: int
    kind: str
    impact: str
    stage: str
    titles: dict[str, str]
    intake_notices: dict[str, str]
    topics: tuple[str, ...]
    networks: frozenset[str]  # network keys of its components; empty: not network-specific
    assets: frozenset[str]  # asset symbols named by its components; empty: every asset
    component_keys: frozenset[str]
    starts_at: datetime
    ends_at: datetime | None

    def is_active(self, now: datetime) -> bool:
        if self.kind == NoticeKind.INCIDENT:
            return self.starts_at <= now
        return self.stage == Stage.IN_PROGRESS or (
            self.starts_at <= now and (self.ends_at is None or now < self.ends_at)
        )

    def affects(self, *, topic: str, network: str | None, asset: str | None = None) -> bool:
        """A case about ``topic`` on ``network`` is affected: topic listed (or none), network matches."""
        if self.topics and topic not in self.topics:
            return False
        if not self.networks:
            return True
        if network not in self.networks:
            return False
        return not (self.assets and asset and asset not in self.assets)

    def title(self, language: str) -> str:
        return in_language(self.titles, language)

    def intake_notice(self, language: str) -> str:
        return in_language(self.intake_notices, language)


def _load_open() -> list[OpenNotice]:
    notices = Notice.objects.filter(closed_at__isnull=True).prefetch_related("components__network")
    return [
        OpenNotice(
            id=notice.pk,
            kind=notice.kind,
            impact=notice.impact,
            stage=notice.stage,
            titles=dict(notice.titles),
            intake_notices=dict(notice.intake_notices),
            topics=tuple(notice.topics),
            networks=frozenset(c.network.key for c in notice.components.all() if c.network is not None),
            assets=frozenset(c.asset for c in notice.components.all() if c.asset),
            component_keys=frozenset(c.key for c in notice.components.all()),
            starts_at=notice.starts_at,
            ends_at=notice.ends_at,
        )
        for notice in notices
    ]


def open_notices() -> list[OpenNotice]:
    return _open_here.get_or_set(CACHE_KEY, _shared_open_notices)


def _shared_open_notices() -> list[OpenNotice]:
    found: list[OpenNotice] | None = cache.get(CACHE_KEY)
    if found is None:
        found = _load_open()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def forget_open_notices() -> None:
    cache.delete(CACHE_KEY)
    _open_here.forget(CACHE_KEY)


def active_notices(now: datetime | None = None) -> list[OpenNotice]:
    moment = now or timezone.now()
    return [notice for notice in open_notices() if notice.is_active(moment)]


def upcoming_maintenance(within: timedelta = timedelta(days=7)) -> list[OpenNotice]:
    """Planned maintenance starting soon, announced on the front page as well as on /status (DFS-22)."""
    now = timezone.now()
    return sorted(
        (
            notice
            for notice in open_notices()
            if notice.kind == NoticeKind.MAINTENANCE and now < notice.starts_at <= now + within
        ),
        key=lambda notice: notice.starts_at,
    )


def intake_notices_for(topic: str) -> list[OpenNotice]:
    """Active notices with a customer text for ``topic``, whatever network they are about: the form shows
    them before the visitor has chosen one."""
    return [
        notice
        for notice in active_notices()
        if notice.intake_notices and (not notice.topics or topic in notice.topics)
    ]


_SEVERITY = ["operational", "maintenance", "degraded", "partial_outage", "major_outage"]


def status_page(language: str) -> dict[str, Any]:
    """Components with their current state, active and upcoming notices with updates, and recent history."""
    now = timezone.now()
    current = open_notices()
    active = [notice for notice in current if notice.is_active(now)]
    components = []
    for component in Component.objects.select_related("network"):
        impacts = [n.impact for n in active if component.key in n.component_keys]
        state = max(impacts, key=_SEVERITY.index) if impacts else "operational"
        components.append({"key": component.key, "name": component.name(language), "state": state})
    shown = Notice.objects.filter(closed_at__isnull=True) | Notice.objects.filter(closed_at__gte=now - RECENT)
    notices = list(shown.prefetch_related("updates", "components").order_by("-starts_at", "-id"))
    active_ids = {n.id for n in active}
    return {
        "components": components,
        "active": [n for n in notices if n.pk in active_ids],
        "upcoming": [
            n for n in notices if n.closed_at is None and n.pk not in active_ids and n.starts_at > now
        ],
        "recent": [
            n for n in notices if n.pk not in active_ids and (n.closed_at is not None or n.starts_at <= now)
        ],
    }
