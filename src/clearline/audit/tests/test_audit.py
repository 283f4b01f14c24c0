"""The audit trail is append-only, hash-chained per stream, sealed in order, and verifiable (DFS-33)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from clearline.audit import services as audit
from clearline.audit.models import AuditEvent, AuditSeal
from clearline.audit.verification import verify_audit_trail
from clearline.cases import services

pytestmark = pytest.mark.django_db


def open_two_cases(agent):
    cases = []
    for n in range(2):
        case = services.open_case(
            by=services.Author.of_staff(agent),
            customer_email=f"a{n}@c.test",
            subject="Help",
            body="Where is my deposit?",
            topic="deposit_not_credited",
            method="email",
        )
        services.add_message(case, by=services.Author.of_staff(agent), body="Looking into it.")
        cases.append(case)
    return cases


def test_each_case_has_its_own_contiguous_chain_dfs_33(agent):
    """DFS-33: each case has its own contiguous chain."""
    first, second = open_two_cases(agent)
    for case in (first, second):
        events = list(AuditEvent.objects.filter(stream=f"case:{case.reference}").order_by("seq"))
        assert [e.seq for e in events] == [1, 2]
        assert events[0].prev_hash == "0" * 64 and events[1].prev_hash == events[0].hash
    report = verify_audit_trail()
    assert report.ok and report.events_checked == AuditEvent.objects.count()


def test_update_and_delete_are_refused_by_the_database_dfs_33(agent):
    """DFS-33: update and delete are refused by the database."""
    open_two_cases(agent)
    event = AuditEvent.objects.filter(action="case.opened").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="case.nothing_happened")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == "case.opened"


def _without_triggers(sql: str) -> None:
    """Simulate a tamperer with database-owner rights (the test transaction rolls it all back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql)


def test_verify_finds_an_altered_event_and_exits_1_dfs_33(agent, capsys):
    """DFS-33: verify finds an altered event and exits 1."""
    first, _ = open_two_cases(agent)
    target = AuditEvent.objects.get(stream=f"case:{first.reference}", seq=1)
    _without_triggers(f'UPDATE audit_auditevent SET data = \'{{"kind": "request"}}\' WHERE id = {target.pk}')
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"event id={target.pk}" in capsys.readouterr().err


def test_verify_finds_a_deleted_event_in_the_middle_of_a_stream_dfs_33(agent):
    """DFS-33: verify finds a deleted event in the middle of a stream."""
    first, _ = open_two_cases(agent)
    target = AuditEvent.objects.get(stream=f"case:{first.reference}", seq=1)
    _without_triggers(f"DELETE FROM audit_auditevent WHERE id = {target.pk}")
    report = verify_audit_trail()
    assert not report.ok and "expected seq 1" in report.problems[0]


def test_seal_detects_removal_of_a_whole_stream_dfs_33(agent):
    """DFS-33: seal detects removal of a whole stream."""
    first, _ = open_two_cases(agent)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=5), tick=False):
        seal = audit.seal_audit_events()
    assert seal is not None and seal.event_count == AuditEvent.objects.count()
    assert verify_audit_trail().ok
    _without_triggers(f"DELETE FROM audit_auditevent WHERE stream = 'case:{first.reference}'")
    report = verify_audit_trail()
    assert not report.ok and "seal #1" in report.problems[0]


def test_seal_leaves_unsettled_events_for_later(agent):
    open_two_cases(agent)
    assert audit.seal_audit_events() is None  # everything is younger than the settle time
    assert AuditSeal.objects.count() == 0


def test_audit_verify_command_reports_intact_trail(agent, capsys):
    open_two_cases(agent)
    call_command("audit", "verify")
    assert "Audit trail intact" in capsys.readouterr().out
