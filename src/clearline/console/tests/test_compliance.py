"""The compliance screen: the quarterly pack in every format, freezing a finished quarter, the daily
reconciliation; compliance staff only."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from clearline.accounts.models import Role
from clearline.compliance.models import FrozenPack
from clearline.compliance.reconciliation import reconcile_inbound_contacts

pytestmark = pytest.mark.django_db


def test_compliance_staff_download_the_pack_in_every_format_and_freeze_a_quarter_DFS_27_DFS_30(
    signed_in, organisation
):
    """DFS-27 / DFS-30 from the console: JSON, CSV, XLSX and PDF, then a signed-off frozen version."""
    client, _officer = signed_in(Role.COMPLIANCE)
    reconcile_inbound_contacts(timezone.localdate())

    page = client.get("/console/compliance/").content.decode()
    downloads = {
        fmt: client.get(f"/console/compliance/packs/2025Q3.{fmt}") for fmt in ("json", "csv", "xlsx", "pdf")
    }
    frozen = client.post("/console/compliance/freeze", {"quarter": "2025Q3"})

    assert "DFS quarterly pack" in page and "Inbound contacts reconciled" in page
    assert json.loads(downloads["json"].content)["quarter"] == "2025Q3"
    assert downloads["csv"].content.startswith(b"quarter,section")
    assert downloads["xlsx"].content.startswith(b"PK") and downloads["pdf"].content.startswith(b"%PDF-")
    assert frozen.status_code == 302 and FrozenPack.objects.filter(quarter="2025Q3", version=1).exists()
    assert client.get("/console/compliance/packs/2025Q9.pdf").status_code == 422
    assert client.get("/console/compliance/packs/2025Q3.doc").status_code == 404


def test_agents_have_no_compliance_screen(signed_in, organisation):
    client, _agent = signed_in(Role.AGENT)

    assert client.get("/console/compliance/").status_code == 403
    assert client.get("/console/compliance/packs/2025Q3.json").status_code == 403
