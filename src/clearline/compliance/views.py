"""The published complaint procedure (NYCRR-01): the version in effect today, no login."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from clearline.kb.services import render_markdown

from .models import Policy
from .registers import COMPLAINTS_TAG, current_version


def complaint_procedure(request: HttpRequest) -> HttpResponse:
    for policy in Policy.objects.filter(is_public=True).order_by("key"):
        version = current_version(policy)
        if COMPLAINTS_TAG in policy.tags and version is not None:
            context = {"policy": policy, "version": version, "body_html": render_markdown(version.body)}
            return render(request, "compliance/procedure.html", context)
    raise Http404("No complaint procedure is published.")
