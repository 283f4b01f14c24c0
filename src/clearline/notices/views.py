"""The public status page (DFS-22): components, incidents with their updates, planned maintenance."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearline.cases.services.acknowledgement import format_moment
from clearline.org.selectors import organisation_for_texts

from .models import Notice, Stage
from .selectors import status_page


def _stage_label(stage: str) -> str:
    return {
        Stage.INVESTIGATING: _("Investigating"),
        Stage.IDENTIFIED: _("Cause identified"),
        Stage.MONITORING: _("Monitoring"),
        Stage.RESOLVED: _("Resolved"),
        Stage.SCHEDULED: _("Scheduled"),
        Stage.IN_PROGRESS: _("In progress"),
        Stage.COMPLETED: _("Completed"),
    }.get(Stage(stage), stage)


def _shown(notice: Notice, language: str, zone: str) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "title": notice.title(language),
        "starts": format_moment(notice.starts_at, language=language, zone=zone),
        "ends": format_moment(notice.ends_at, language=language, zone=zone),
        "updates": [
            {
                "stage": _stage_label(update.stage),
                "posted_at": update.posted_at,
                "posted": format_moment(update.posted_at, language=language, zone=zone),
                "body": update.body(language),
            }
            for update in notice.updates.all()
        ],
    }


def status(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    zone = organisation_for_texts().timezone
    page = status_page(language)
    context = {
        "components": page["components"],
        **{
            part: [_shown(n, language, zone) for n in page[part]] for part in ("active", "upcoming", "recent")
        },
    }
    return render(request, "notices/status.html", context)
