"""The registers (DFS-31, NYCRR-01, NYCRR-05, DFS-32): policies with versions, owner, approver and dates; the
7-day regulator notification that closes only with its receipt; exactly one accountable owner."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clearline.accounts.models import Role
from clearline.audit.models import AuditEvent
from clearline.compliance import registers
from clearline.compliance.models import RegulatorTask, ResponsiblePerson
from clearline.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff):
    return make_staff(Role.COMPLIANCE)


@pytest.fixture
def approver(make_staff):
    return make_staff(Role.ADMIN)


def _complaints_policy(officer):
    return registers.create_policy(
        key="complaints",
        title="Complaint handling",
        tags=["complaints"],
        is_public=True,
        owner=officer,
        by=officer,
    )


def test_policy_versions_carry_owner_approver_and_dates_and_need_a_second_person_DFS_31(
    organisation, officer, approver
) -> None:
    """DFS-31: per version the text, change log, drafter, approver, approval and effective dates; the drafter
    cannot approve; approved versions are final and the one in effect is the latest effective one."""
    policy = _complaints_policy(officer)
    today = timezone.localdate()
    first = registers.draft_version(
        policy, body="Steps v1", change_summary="First.", effective_from=today, by=officer
    )
    with pytest.raises(DomainError, match="drafter"):
        registers.approve_version(first, by=officer)
    assert registers.current_version(policy) is None  # drafted is not in effect
    registers.approve_version(first, by=approver)
    with pytest.raises(DomainError, match="already approved"):
        registers.approve_version(first, by=approver)
    later = registers.draft_version(
        policy,
        body="Steps v2",
        change_summary="Faster answers.",
        effective_from=today + dt.timedelta(days=10),
        by=officer,
    )
    registers.approve_version(later, by=approver)
    assert registers.current_version(policy) == first
    assert registers.current_version(policy, on=today + dt.timedelta(days=10)) == later
    first.refresh_from_db()
    assert (first.policy.owner, first.drafted_by, first.approved_by) == (officer, officer, approver)
    assert AuditEvent.objects.filter(action__startswith="policy.").count() == 5
    with pytest.raises(PermissionDenied):
        registers.draft_version(
            policy, body="x", change_summary="x", effective_from=today, by=_agent(officer)
        )


def _agent(officer):
    from clearline.accounts.services import create_staff

    return create_staff(email="agent-x@firm.test", role=Role.AGENT, password="correct horse battery staple")[
        0
    ]


def test_the_complaint_procedure_in_effect_is_published_without_login_NYCRR_01(
    organisation, officer, approver
) -> None:
    """NYCRR-01: an approved complaint-handling policy in effect, published on the help centre."""
    assert registers.register_gaps()[0].requirement == "NYCRR-01"
    policy = _complaints_policy(officer)
    version = registers.draft_version(
        policy,
        body="1. **Tell us.**\n2. We answer.<script>x</script>",
        change_summary="First.",
        effective_from=timezone.localdate(),
        by=officer,
    )
    assert Client().get("/complaints/procedure/").status_code == 404
    registers.approve_version(version, by=approver)
    page = Client().get("/complaints/procedure/").content.decode()
    assert "<strong>Tell us.</strong>" in page and "<script>x" not in page
    assert "NYCRR-01" not in [gap.requirement for gap in registers.register_gaps()]


def test_approving_a_complaints_policy_opens_a_7_day_task_closed_only_with_the_receipt_NYCRR_05(
    organisation, officer, approver
) -> None:
    """NYCRR-05: due 7 calendar days after approval, escalated on day 5, listed as overdue after day 7, and
    closed only with the submission receipt."""
    start = timezone.now()
    policy = _complaints_policy(officer)
    version = registers.draft_version(
        policy, body="v1", change_summary="First.", effective_from=start.date(), by=officer
    )
    registers.approve_version(version, by=approver)
    task = RegulatorTask.objects.get(policy_version=version)
    assert task.due_at - task.opened_at == dt.timedelta(days=7)
    assert registers.escalate_due_tasks(start + dt.timedelta(days=4)) == 0
    assert registers.escalate_due_tasks(start + dt.timedelta(days=5, minutes=1)) == 1
    with time_machine.travel(start + dt.timedelta(days=8)):
        assert "NYCRR-05" in [gap.requirement for gap in registers.register_gaps()]
    with pytest.raises(DomainError, match="receipt"):
        registers.close_task(task, receipt_reference="DFS-2026-123", receipt=None, by=officer)
    with pytest.raises(DomainError, match="receipt"):
        registers.close_task(
            task, receipt_reference=" ", receipt=SimpleUploadedFile("r.pdf", b"%PDF"), by=officer
        )
    closed = registers.close_task(
        task,
        receipt_reference="DFS-2026-123",
        receipt=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt"),
        by=officer,
    )
    assert closed.closed_at and closed.receipt.read() == b"%PDF-1.4 receipt"
    other = registers.create_policy(
        key="fees", title="Fees", tags=["pricing"], is_public=False, owner=officer, by=officer
    )
    fees = registers.draft_version(
        other, body="x", change_summary="x", effective_from=start.date(), by=officer
    )
    registers.approve_version(fees, by=approver)
    assert not RegulatorTask.objects.filter(policy_version=fees).exists()  # only complaint policies notify


def test_exactly_one_accountable_owner_at_all_times_and_changes_notify_the_regulator_DFS_32(
    organisation, officer
) -> None:
    """DFS-32: named persons with role and dates; a new accountable owner takes over from the old one the day
    before; an owner cannot just be ended; every change opens a notify-DFS task."""
    day = dt.date(2026, 1, 1)
    assert "DFS-32" in [gap.requirement for gap in registers.register_gaps(on=day)]
    first = registers.appoint(
        name="Ana Owner", email="ana@firm.test", role="accountable_owner", starts_on=day, by=officer
    )
    lead = registers.appoint(
        name="Lee Lead", email="lee@firm.test", role="complaints_officer", starts_on=day, by=officer
    )
    successor = registers.appoint(
        name="Bo Owner",
        email="bo@firm.test",
        role="accountable_owner",
        starts_on=day + dt.timedelta(days=100),
        by=officer,
    )
    first.refresh_from_db()
    assert first.ends_on == day + dt.timedelta(days=99)
    for check in (
        day,
        day + dt.timedelta(days=99),
        day + dt.timedelta(days=100),
        day + dt.timedelta(days=400),
    ):
        assert "DFS-32" not in [gap.requirement for gap in registers.register_gaps(on=check)], check
    with pytest.raises(DomainError, match="always be one accountable owner"):
        registers.end_appointment(successor, ends_on=day + dt.timedelta(days=200), by=officer)
    with pytest.raises(DomainError, match="later accountable owner"):  # would overlap Bo from day 100
        registers.appoint(
            name="C",
            email="c@firm.test",
            role="accountable_owner",
            starts_on=day + dt.timedelta(days=50),
            by=officer,
        )
    with pytest.raises(DomainError, match="after the current one"):
        registers.appoint(
            name="D",
            email="d@firm.test",
            role="accountable_owner",
            starts_on=day + dt.timedelta(days=100),
            by=officer,
        )
    registers.end_appointment(lead, ends_on=day + dt.timedelta(days=30), by=officer)
    assert RegulatorTask.objects.filter(person__isnull=False).count() == 4
    assert ResponsiblePerson.objects.count() == 3


def test_the_register_over_the_api_with_a_receipt_upload_DFS_31_NYCRR_05(
    organisation, officer, approver, make_staff, api_client_for
) -> None:
    """DFS-31, NYCRR-05, DFS-33: compliance drafts and another approves over the API; the task closes with an
    uploaded receipt; examiners read the whole register and change nothing."""
    drafter, checker = api_client_for(officer), api_client_for(approver)
    json_post = {"content_type": "application/json"}
    assert (
        drafter.post(
            "/api/v1/compliance/policies",
            {
                "key": "complaints",
                "title": "Complaints",
                "tags": ["complaints"],
                "is_public": True,
                "owner_email": officer.email,
            },
            **json_post,
        ).status_code
        == 201
    )
    drafted = drafter.post(
        "/api/v1/compliance/policies/complaints/versions",
        {"body": "Steps.", "change_summary": "First.", "effective_from": str(timezone.localdate())},
        **json_post,
    )
    assert drafted.status_code == 201
    version_id = drafted.json()["id"]
    assert drafter.post(f"/api/v1/compliance/versions/{version_id}/approve").status_code == 422  # four eyes
    assert (
        checker.post(f"/api/v1/compliance/versions/{version_id}/approve").json()["approved_by"]
        == approver.email
    )
    examiner = api_client_for(make_staff(Role.EXAMINER))
    register = examiner.get("/api/v1/compliance/register").json()
    assert register["policies"][0]["in_effect"] == 1
    task_id = register["regulator_tasks"][0]["id"]
    forbidden = examiner.post(
        f"/api/v1/compliance/tasks/{task_id}/close",
        {"receipt_reference": "x", "receipt": SimpleUploadedFile("r.pdf", b"%PDF")},
    )
    assert forbidden.status_code == 403
    closed = drafter.post(
        f"/api/v1/compliance/tasks/{task_id}/close",
        {"receipt_reference": "DFS-SUB-42", "receipt": SimpleUploadedFile("receipt.pdf", b"%PDF-1.4")},
    )
    assert closed.status_code == 200 and closed.json()["receipt_reference"] == "DFS-SUB-42"
    assert "DFS-32" in [
        gap["requirement"] for gap in examiner.get("/api/v1/compliance/register").json()["gaps"]
    ]


def test_current_programme_policies_as_one_pdf_for_dfs_DFS_31(
    organisation, officer, approver, api_client_for
) -> None:
    """DFS-31: the customer-service and complaint policies in effect, with register entries and change log,
    as one PDF an examiner downloads (and in the examiner export)."""
    policy = _complaints_policy(officer)
    for number in (1, 2):
        version = registers.draft_version(
            policy,
            body=f"Procedure text {number}.",
            change_summary=f"Change {number}.",
            effective_from=timezone.localdate(),
            by=officer,
        )
        registers.approve_version(version, by=approver)
    [current] = registers.current_programme_policies()
    assert current["version"] == 2 and [c["summary"] for c in current["changes"]] == [
        "Change 1.",
        "Change 2.",
    ]
    response = api_client_for(approver).get("/api/v1/compliance/policies.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
