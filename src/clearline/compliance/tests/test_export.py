"""The examiner export (NYCRR-07, NYCRR-08, DFS-33): a synthetic case round-trips with nothing missing, the
audit chains in the bundle verify offline, every file is in the manifest with its SHA-256, and the export
runs in the background with its progress for examiners, who change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from clearline.accounts.models import Role
from clearline.audit.chain import GENESIS, event_hash
from clearline.cases.services import Author, add_message, open_case, reclassify_case, resolve_case
from clearline.compliance.export import write_export
from clearline.notices.services import declare_notice

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
TX = "0x" + "5e" * 32


@pytest.fixture
def investigated(organisation, agent, supervisor):
    """A transaction complaint with notes, a reclassification, an incident tag and an adverse decision."""
    declare_notice(
        by=supervisor,
        kind="incident",
        titles={"en": "Ethereum withdrawals delayed"},
        impact="degraded",
        components=["ethereum"],
        first_update={"en": "Investigating."},
    )
    case = open_case(
        by=Author.system(),
        customer_email="eve@example.test",
        subject="Withdrawal never arrived",
        body="My ETH withdrawal is missing.",
        topic="withdrawal_delayed",
        method="web_form",
        details={"network": "ethereum", "tx_hash": TX},
        kind="request",
    )
    add_message(
        case,
        by=Author.of_staff(agent),
        body="Checked the hot wallet: broadcast at 10:02.",
        visibility="internal",
    )
    add_message(case, by=Author.of_staff(agent), body="Your transfer is confirmed on chain.")
    reclassify_case(case, by=supervisor, kind="complaint", reason="Customer disputes the delay.")
    resolve_case(
        case,
        by=agent,
        outcome="partially_resolved",
        rationale="Fee refunded, delay stands.",
        explanation="We refunded the network fee; the delay came from network congestion.",
    )
    return case


def _bundle(start: dt.date, end: dt.date) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_export(start, end, buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_a_complaint_investigation_round_trips_with_nothing_missing_NYCRR_07(investigated) -> None:
    """NYCRR-07: every message and internal note, the decision and its explanation, the classification
    history, the transaction reference and the incident tag are in the export."""
    today = investigated.received_at.astimezone(NY).date()
    bundle = _bundle(today, today)
    [record] = [json.loads(line) for line in bundle.read("cases.jsonl").decode().splitlines()]
    assert record["reference"] == investigated.reference and record["kind"] == "complaint"
    assert record["details"]["tx_hash"] == TX and record["details"]["explorer_links"]["tx_hash"].endswith(TX)
    bodies = {(m["purpose"], m["visibility"]): m["body"] for m in record["messages"]}
    assert bodies[("customer_message", "public")] == "My ETH withdrawal is missing."
    assert bodies[("note", "internal")] == "Checked the hot wallet: broadcast at 10:02."
    assert bodies[("reply", "public")] == "Your transfer is confirmed on chain."
    assert "network congestion" in bodies[("explanation", "public")]
    assert ("acknowledgement", "public") in bodies
    assert [c["to_kind"] for c in record["classification_history"]] == ["request", "complaint"]
    assert record["resolutions"][0]["outcome"] == "partially_resolved"
    assert record["outcome"] == "partially_resolved" and len(record["incidents"]) == 1
    assert _bundle(today + dt.timedelta(days=1), today + dt.timedelta(days=2)).read("cases.jsonl") == b""


def test_bundle_manifest_digests_every_file_and_the_chains_verify_offline_DFS_33_NYCRR_08(
    investigated,
) -> None:
    """DFS-33, NYCRR-08: the manifest lists each file with its SHA-256; the case's audit chain in the bundle
    recomputes from genesis to its last event; the trail's verification is included."""
    today = investigated.received_at.astimezone(NY).date()
    bundle = _bundle(today, today)
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["cases"] == 1 and manifest["range"]["from"] == today.isoformat()
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name
    assert {
        "cases.jsonl",
        "audit_events.jsonl",
        "audit_verification.json",
        "registers.json",
        "policies.pdf",
    } <= set(manifest["files"])
    events = [json.loads(line) for line in bundle.read("audit_events.jsonl").decode().splitlines()]
    assert {e["stream"] for e in events} == {f"case:{investigated.reference}"}
    previous = GENESIS
    for seq, event in enumerate(events, start=1):
        assert event["seq"] == seq and event["prev_hash"] == previous
        recomputed = event_hash(
            stream=event["stream"],
            seq=event["seq"],
            occurred_at=dt.datetime.fromisoformat(event["occurred_at"]),
            actor_type=event["actor_type"],
            actor_id=event["actor_id"],
            actor_label=event["actor_label"],
            action=event["action"],
            target_type=event["target_type"],
            target_id=event["target_id"],
            data=event["data"],
            prev_hash=event["prev_hash"],
        )
        assert recomputed == event["hash"]
        previous = event["hash"]
    assert json.loads(bundle.read("audit_verification.json"))["ok"] is True


def test_examiners_run_the_export_in_the_background_and_download_it_DFS_33_NYCRR_08(
    investigated, make_staff, api_client_for, django_capture_on_commit_callbacks
) -> None:
    """NYCRR-08, DFS-33: an examiner starts an export of a date range, follows its progress and downloads the
    bundle; another examiner cannot see it; examiners still change nothing."""
    examiner = api_client_for(make_staff(Role.EXAMINER))
    day = investigated.received_at.astimezone(NY).date().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        started = examiner.post(
            "/api/v1/compliance/exports", {"from": day, "to": day}, content_type="application/json"
        )
    assert started.status_code == 202
    job = examiner.get(f"/api/v1/compliance/exports/{started.json()['id']}").json()
    assert (job["status"], job["done"], job["total"]) == ("done", 1, 1)
    download = examiner.get(f"/api/v1/compliance/exports/{job['id']}/bundle")
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job["sha256"] == download["X-Content-SHA256"]
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    other = api_client_for(make_staff(Role.EXAMINER))
    assert other.get(f"/api/v1/compliance/exports/{job['id']}").status_code == 404
    refused = examiner.post(
        f"/api/v1/cases/{investigated.reference}/messages", {"body": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_export_command_writes_the_bundle(investigated, tmp_path, capsys) -> None:
    """NYCRR-08: ``clearline compliance export --from --to --output``."""
    day = investigated.received_at.astimezone(NY).date().isoformat()
    target = tmp_path / "bundle.zip"
    call_command("compliance", "export", "--from", day, "--to", day, "--output", str(target))
    assert "1 cases" in capsys.readouterr().out
    assert "cases.jsonl" in zipfile.ZipFile(target).namelist()


def test_the_bundle_carries_each_email_as_received_and_the_quarantined_ones_NYCRR_06_DFS_25(
    organisation,
) -> None:
    """NYCRR-06 / DFS-25: the original .eml files beside the case records, each digested in the manifest."""
    from clearline.channels.email.services import ingest_email

    raw = (
        b"From: alice@customer.test\r\nTo: support@example.com\r\nSubject: Deposit\r\n"
        b"Message-ID: <orig-1@customer.test>\r\n\r\nMy deposit of 2 ETH has not arrived after an hour.\r\n"
    )
    filed = ingest_email(raw, source="pipe")
    quarantined = ingest_email(b"Subject: no sender\r\n\r\nwho?\r\n", source="pipe")
    today = dt.datetime.now(ZoneInfo("America/New_York")).date()

    bundle = _bundle(today, today)

    assert filed.case is not None
    original = f"originals/{filed.case.reference}/{filed.pk}.eml"
    assert bundle.read(original) == raw
    assert bundle.read(f"originals/quarantine/{quarantined.pk}.eml").startswith(b"Subject: no sender")
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["files"][original] == hashlib.sha256(raw).hexdigest()


def test_the_bundle_carries_each_call_with_its_recording_DFS_25(organisation) -> None:
    """DFS-25: a voicemail's call record (times, duration, transcript) and its recording beside the case."""
    from clearline.channels.voice import services as voice
    from clearline.channels.voice.models import PhoneLine

    line = PhoneLine.objects.create(number="+12125550142")
    now = dt.datetime.now(NY)
    call = voice.start_call(call_sid="CA1", line=line, caller="+15551230001", at=now)
    case = voice.voicemail_case(
        call, recording_url="https://api.twilio.com/x", recording_sid="RE1", seconds=12, at=now
    )
    voice.store_recording(call.pk, b"ID3-audio")

    bundle = _bundle(now.date(), now.date())

    record = json.loads(bundle.read(f"calls/{case.reference}/CA1.json"))
    assert record["caller"] == "+15551230001" and record["recording_seconds"] == 12
    assert bundle.read(record["recording"]) == b"ID3-audio"
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["files"][record["recording"]] == hashlib.sha256(b"ID3-audio").hexdigest()
