"""Rendering customer-facing text from MessageTemplate rows (templates are data, per language).

Compiled templates are kept per process for ``CACHE_SECONDS``: every intake renders an acknowledgement, and
an admin's edit shows within that time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template

from clearline.core.cache import ProcessMemo

from .models import MessageTemplate

CACHE_SECONDS = 30.0
_engine = Engine(autoescape=False)  # plain-text messages; HTML mail is escaped by its own renderer
_compiled = ProcessMemo(CACHE_SECONDS)


@dataclass(frozen=True)
class RenderedText:
    subject: str
    body: str
    language: str


def compile_template(source: str) -> Template:
    """Plain-text template (macros, message templates): raises ``TemplateSyntaxError`` when malformed."""
    return _engine.from_string(source)


def _load(key: str, language: str) -> tuple[Template, Template, str]:
    return _compiled.get_or_set((key, language), lambda: _compile(key, language))


def _compile(key: str, language: str) -> tuple[Template, Template, str]:
    candidates = list(
        MessageTemplate.objects.filter(key=key, language__in=[language, "en"], is_active=True)
        .order_by("-version")
        .only("subject", "body", "language")
    )
    chosen = next((t for t in candidates if t.language == language), None) or next(iter(candidates), None)
    if chosen is None:
        raise LookupError(f"No active template {key!r} in {language!r} or English")
    return _engine.from_string(chosen.subject), _engine.from_string(chosen.body), chosen.language


def render_message_template(key: str, *, language: str, context: dict[str, Any]) -> RenderedText:
    subject, body, used_language = _load(key, language)
    ctx = Context(context)
    return RenderedText(
        subject=subject.render(ctx).strip(), body=body.render(ctx).strip() + "\n", language=used_language
    )
