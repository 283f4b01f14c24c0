"""Frozen quarterly packs (DFS-30): an immutable version with its SHA-256, who signed it off and when, kept
seven years and listed for examiners."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from clearline.accounts.models import Role
from clearline.audit.models import AuditEvent
from clearline.cases.services import Author, open_case
from clearline.compliance.models import FrozenPack
from clearline.compliance.services import freeze_pack
from clearline.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def _case(day: int) -> None:
    open_case(
        by=Author.system(),
        customer_email=f"c{day}@example.test",
        subject="Question",
        body="How?",
        topic="fees",
        method="email",
        kind="request",
        received_at=dt.datetime(2025, 8, day, 12, tzinfo=NY),
    )


def test_compliance_officer_freezes_a_quarter_as_immutable_versions_DFS_30(organisation, make_staff) -> None:
    """DFS-30: frozen after the quarter ends, signed off, digested, kept 7 years; a new version only when the
    data changed; never edited or deleted."""
    officer = make_staff(Role.COMPLIANCE)
    _case(3)
    with (
        time_machine.travel(dt.datetime(2025, 9, 30, 12, tzinfo=NY)),
        pytest.raises(DomainError, match="not ended"),
    ):
        freeze_pack("2025Q3", by=officer)
    with time_machine.travel(dt.datetime(2025, 10, 15, 9, tzinfo=NY)):
        first = freeze_pack("2025Q3", by=officer)
        with pytest.raises(DomainError, match="already frozen"):
            freeze_pack("2025Q3", by=officer)
        _case(4)  # a late-entered case of the quarter
        second = freeze_pack("2025Q3", by=officer)
    assert (first.version, second.version) == (1, 2)
    assert first.file_sha256 == hashlib.sha256(first.pack_json.encode()).hexdigest()
    assert json.loads(first.pack_json)["received"]["request"] == 1
    assert json.loads(second.pack_json)["received"]["request"] == 2
    assert first.signed_off_by == officer and first.retain_until == dt.date(2032, 10, 15)
    assert AuditEvent.objects.filter(action="report.frozen").count() == 2
    first.pack_json = "{}"
    with pytest.raises(DomainError):
        first.save()
    with pytest.raises(DomainError):
        first.delete()
    assert FrozenPack.objects.get(pk=first.pk).pack_json != "{}"


def test_only_sign_off_roles_freeze_and_examiners_list_and_download_DFS_30(
    organisation, make_staff, api_client_for
) -> None:
    """DFS-30, DFS-33: agents cannot freeze; examiners list and download frozen packs but cannot freeze."""
    _case(5)
    with pytest.raises(PermissionDenied):
        freeze_pack("2025Q3", by=make_staff(Role.AGENT))
    examiner = api_client_for(make_staff(Role.EXAMINER))
    assert (
        examiner.post(
            "/api/v1/compliance/packs", {"quarter": "2025Q3"}, content_type="application/json"
        ).status_code
        == 403
    )
    officer = api_client_for(make_staff(Role.COMPLIANCE))
    created = officer.post("/api/v1/compliance/packs", {"quarter": "2025Q3"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["version"] == 1
    listed = examiner.get("/api/v1/compliance/packs").json()
    assert [(p["quarter"], p["version"]) for p in listed] == [("2025Q3", 1)]
    download = examiner.get("/api/v1/compliance/packs/2025Q3/1.json")
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == listed[0]["file_sha256"]
    assert examiner.get("/api/v1/compliance/packs/2025Q3/1.csv").content.startswith(b"quarter,section")
    assert examiner.get("/api/v1/compliance/packs/2025Q3/9.json").status_code == 404
    assert api_client_for(make_staff(Role.AGENT)).get("/api/v1/compliance/packs").status_code == 403


def test_report_command_freezes_as_a_named_officer_DFS_30(organisation, make_staff, capsys) -> None:
    """DFS-30: ``clearline report dfs --quarter 2025Q3 --freeze officer@firm``."""
    officer = make_staff(Role.COMPLIANCE)
    call_command("report", "dfs", "--quarter", "2025Q3", "--freeze", officer.email)
    assert "Frozen 2025Q3 version 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No staff account"):
        call_command("report", "dfs", "--quarter", "2025Q3", "--freeze", "nobody@firm.test")
