from __future__ import annotations

from .models import Organisation


def get_organisation() -> Organisation | None:
    return Organisation.objects.order_by("id").first()
