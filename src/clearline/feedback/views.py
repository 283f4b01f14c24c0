"""The survey page: no login, the link is the key; one answer per case (DFS-24)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clearline.core.errors import DomainError

from .services import answer_survey, survey_for_token


def survey(request: HttpRequest, token: str) -> HttpResponse:
    found = survey_for_token(token)
    if found is None:
        return render(request, "feedback/survey.html", {"expired": True}, status=410)
    if found.answered_at is not None:
        return render(request, "feedback/thanks.html", {"already": True})
    if request.method != "POST":
        return render(request, "feedback/survey.html", {"survey": found, "scores": _scores()})
    try:
        answer_survey(found, score=request.POST.get("score", ""), comment=request.POST.get("comment", ""))
    except DomainError as problem:
        if problem.code == "already_answered":  # answered in another tab meanwhile
            return render(request, "feedback/thanks.html", {"already": True})
        context = {
            "survey": found,
            "scores": _scores(),
            "error": _("Choose a score from 1 to 5."),
            "comment": request.POST.get("comment", ""),
        }
        return render(request, "feedback/survey.html", context, status=400)
    return render(request, "feedback/thanks.html", {})


def _scores() -> list[tuple[int, str]]:
    return [
        (5, _("5 – Very satisfied")),  # noqa: RUF001
        (4, _("4 – Satisfied")),  # noqa: RUF001
        (3, _("3 – Neither satisfied nor dissatisfied")),  # noqa: RUF001
        (2, _("2 – Dissatisfied")),  # noqa: RUF001
        (1, _("1 – Very dissatisfied")),  # noqa: RUF001
    ]
