"""The quarterly pack as a download, for the API and the console alike."""

from __future__ import annotations

from django.http import HttpResponse

from clearline.core.errors import NotFound
from clearline.org.selectors import organisation_for_texts

from .documents import PACK_FORMATS, render_pack
from .reports import dfs_pack


def pack_response(quarter: str, fmt: str) -> HttpResponse:
    """DFS-27/28/29 in json, csv, xlsx or pdf; an unknown format is a 404, a bad quarter a 422."""
    if fmt not in PACK_FORMATS:
        raise NotFound("The pack comes as json, csv, xlsx or pdf.")
    pack = dfs_pack(quarter)
    response = HttpResponse(
        render_pack(pack, fmt, organisation=organisation_for_texts().name), content_type=PACK_FORMATS[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="dfs-{pack["quarter"]}.{fmt}"'
    response["X-Data-SHA256"] = pack["sha256"]
    return response
