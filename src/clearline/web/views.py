"""The help centre's own pages: the front page and the contact and complaints page (DFS-07, DFS-13,
NYCRR-02/03/04, CRY-04). Every value comes from the organisation record and the support calendar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from clearline.cases.services.acknowledgement import format_moment
from clearline.kb.selectors import faq_index
from clearline.notices.selectors import upcoming_maintenance
from clearline.org.selectors import organisation_for_texts
from clearline.sla.selectors import support_hours

from .presenters import weekly_hours, zone_name


def _hours(language: str) -> dict[str, Any]:
    support = support_hours()
    if support is None:
        return {"hours": [], "hours_zone": "", "closed_on_holidays": False}
    calendar, _compiled = support
    return {
        "hours": weekly_hours(calendar, language),
        "hours_zone": zone_name(calendar.timezone, language),
        "closed_on_holidays": bool(calendar.holiday_country),
    }


def home(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    zone = organisation_for_texts().timezone
    planned = [
        {
            "title": notice.title(language),
            "starts": format_moment(notice.starts_at, language=language, zone=zone),
            "ends": format_moment(notice.ends_at, language=language, zone=zone),
        }
        for notice in upcoming_maintenance()
    ]
    context = {**_hours(language), "categories": faq_index(language), "planned": planned}
    return render(request, "web/home.html", context)


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "web/contact.html", _hours(get_language() or "en"))
