"""Rendering customer-facing text from MessageTemplate rows (templates are data, per language).

Compiled templates are kept per process for ``CACHE_SECONDS``: every intake renders an acknowledgement, and
an admin's edit shows within that time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template

from .models import MessageTemplate

CACHE_SECONDS = 30.0
_engine = Engine(autoescape=False)  # plain-text messages; HTML mail is escaped by its own renderer
_compiled: dict[tuple[str, str], tuple[float, Template, Template, str]] = {}


@dataclass(frozen=True)
class RenderedText:
    subject: str
    body: str
    language: str


def compile_template(source: str) -> Template:
    """Plain-text template (macros, message templates): raises ``TemplateSyntaxError`` when malformed."""
    return _engine.from_string(source)


def clear_template_cache() -> None:
    _compiled.clear()


def _load(key: str, language: str) -> tuple[Template, Template, str]:
    cached = _compiled.get((key, language))
    if cached and cached[0] > time.monotonic():
        return cached[1], cached[2], cached[3]
    candidates = list(
        MessageTemplate.objects.filter(key=key, language__in=[language, "en"], is_active=True)
        .order_by("-version")
        .only("subject", "body", "language")
    )
    chosen = next((t for t in candidates if t.language == language), None) or next(iter(candidates), None)
    if chosen is None:
        raise LookupError(f"No active template {key!r} in {language!r} or English")
    subject, body = _engine.from_string(chosen.subject), _engine.from_string(chosen.body)
    _compiled[(key, language)] = (time.monotonic() + CACHE_SECONDS, subject, body, chosen.language)
    return subject, body, chosen.language


def render_message_template(key: str, *, language: str, context: dict[str, Any]) -> RenderedText:
    subject, body, used_language = _load(key, language)
    ctx = Context(context)
    return RenderedText(
        subject=subject.render(ctx).strip(), body=body.render(ctx).strip() + "\n", language=used_language
    )
