"""The DFS quarterly pack (DFS-27, DFS-28, DFS-29) against an independent computation on generated data with
known answers: quarter boundaries in New York time, institutional customers, reopened, open and imported
cases; and the historic import (DFS-34), all or nothing and idempotent."""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from clearline.cases.models import Case
from clearline.cases.services import Author, add_message, open_case, resolve_case
from clearline.cases.services.history import import_cases
from clearline.compliance.reports import dfs_pack, pack_csv, pack_json, parse_quarter

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
Q3_START, Q3_END = dt.datetime(2025, 7, 1, tzinfo=NY), dt.datetime(2025, 10, 1, tzinfo=NY)
METHODS = ["email", "phone_live", "web_form", "chat_human", "chat_ai", "regulator_dfs"]
TOPICS = ["deposit_not_credited", "withdrawal_delayed", "account_access", "fees"]


def _generate(agent, seed: int) -> list[dict]:
    """Cases around Q3 2025 with their facts recorded independently of the database."""
    rng = random.Random(seed)
    facts = []
    edges = [  # New York midnight at both ends: the minute before and after
        dt.datetime(2025, 6, 30, 23, 59, tzinfo=NY),
        dt.datetime(2025, 7, 1, 0, 0, tzinfo=NY),
        dt.datetime(2025, 9, 30, 23, 59, tzinfo=NY),
        dt.datetime(2025, 10, 1, 0, 0, tzinfo=NY),
    ]
    for n in range(40):
        received = edges[n] if n < len(edges) else Q3_START + dt.timedelta(minutes=rng.randrange(0, 132_000))
        fact = {
            "kind": rng.choice(["request", "complaint"]),
            "method": rng.choice(METHODS),
            "topic": rng.choice(TOPICS),
            "segment": "institutional" if rng.random() < 0.15 else "individual",
            "received": received,
            "resolved": None,
        }
        case = open_case(
            by=Author.system(),
            customer_email=f"{fact['segment']}-{n}@example.test",
            customer_segment=fact["segment"],
            subject="Case",
            body="Please look into this.",
            topic=fact["topic"],
            method=fact["method"],
            kind=fact["kind"],
            language="en",
            received_at=received,
        )
        fact["kind"] = case.kind  # regulator referrals are complaints whatever was asked
        roll = rng.random()
        if roll < 0.7:  # resolved, some after the quarter ended
            first = received + dt.timedelta(minutes=rng.randrange(30, 40_000))
            with time_machine.travel(first, tick=False):
                resolve_case(case, by=agent, outcome="resolved", rationale="Done.")
            fact["resolved"] = first
            if rng.random() < 0.3:  # the customer writes back: reopened, resolved again later
                with time_machine.travel(first + dt.timedelta(hours=1), tick=False):
                    add_message(
                        Case.objects.get(pk=case.pk),
                        by=Author.of_customer(case.customer),
                        body="Still wrong.",
                    )
                again = first + dt.timedelta(hours=rng.randrange(2, 300))
                with time_machine.travel(again, tick=False):
                    resolve_case(
                        Case.objects.get(pk=case.pk), by=agent, outcome="resolved", rationale="Fixed."
                    )
                fact["resolved"] = again
                fact["kind"] = Case.objects.get(
                    pk=case.pk
                ).kind  # writing back unhappy may make it a complaint
        facts.append(fact)
    return facts


def _expected(facts: list[dict]) -> dict:
    cohort = [f for f in facts if Q3_START <= f["received"] < Q3_END]
    included = [f for f in cohort if f["segment"] != "institutional"]
    expected = {
        "excluded": sum(f["segment"] == "institutional" for f in cohort),
        "received": Counter(f["kind"] for f in included),
        "by_method": Counter((f["kind"], f["method"]) for f in included),
        "by_topic": Counter((f["kind"], f["topic"]) for f in included),
        "ai_involved": Counter(f["kind"] for f in included if f["method"] == "chat_ai"),
        "resolution": {},
        "distribution": {},
    }
    bounds = [("under_4h", 0, 4), ("4h_to_24h", 4, 24), ("1d_to_3d", 24, 72), ("3d_to_7d", 72, 168)]
    bounds += [("7d_to_30d", 168, 720), ("over_30d", 720, float("inf"))]
    for kind in ("request", "complaint"):
        hours = [
            (f["resolved"] - f["received"]).total_seconds() / 3600
            for f in included
            if f["kind"] == kind and f["resolved"] is not None and f["resolved"] < Q3_END
        ]
        expected["distribution"][kind] = {
            name: sum(lower <= h < upper for h in hours) for name, lower, upper in bounds
        }
        expected["resolution"][kind] = {
            "resolved": len(hours),
            "open_at_end": sum(f["kind"] == kind for f in included) - len(hours),
            "mean_hours": round(statistics.fmean(hours), 2) if hours else None,
            "median_hours": round(statistics.median(hours), 2) if hours else None,
            "p90_hours": round(statistics.quantiles(hours, n=10, method="inclusive")[8], 2)
            if len(hours) > 1
            else (round(hours[0], 2) if hours else None),
        }
    return expected


@pytest.mark.parametrize("seed", [1, 2])
def test_pack_figures_match_an_independent_computation_DFS_27_DFS_28(organisation, agent, seed) -> None:
    """DFS-27, DFS-28, DFS-01, DFS-17: counts by kind x method and x topic, resolution per kind, scope,
    and the cases the AI assistant took part in."""
    facts = _generate(agent, seed)
    expected = _expected(facts)
    pack = dfs_pack("2025Q3")
    assert pack["quarter"] == "2025Q3" and pack["timezone"] == "America/New_York"
    assert pack["period"] == {"start": "2025-07-01T00:00:00-04:00", "end": "2025-10-01T00:00:00-04:00"}
    assert pack["scope"] == {"included_segment": "individual", "excluded_institutional": expected["excluded"]}
    assert pack["received"] == {kind: expected["received"][kind] for kind in ("request", "complaint")}
    assert {(r["kind"], r["method"]): r["received"] for r in pack["by_method"]} == dict(expected["by_method"])
    assert {(r["kind"], r["topic"]): r["received"] for r in pack["by_topic"]} == dict(expected["by_topic"])
    assert sum(r["received"] for r in pack["by_method"]) == sum(pack["received"].values())
    assert pack["resolution"] == expected["resolution"]
    assert pack["resolution_time_distribution"] == expected["distribution"]
    assert pack["ai_involved"] == dict(sorted(expected["ai_involved"].items()))
    assert pack["regulator_referrals"] == sum(
        1
        for f in facts
        if Q3_START <= f["received"] < Q3_END
        and f["segment"] != "institutional"
        and f["method"] == "regulator_dfs"
    )
    assert "calendar hours" in pack["methodology"]


def test_same_data_gives_byte_identical_json_and_csv_and_a_change_changes_the_digest_DFS_27(
    organisation, agent
) -> None:
    """DFS-27: re-running on the same data gives the same bytes; changing the data changes the digest."""
    _generate(agent, 3)
    first_json, first_csv = pack_json(dfs_pack("2025Q3")), pack_csv(dfs_pack("2025Q3"))
    with time_machine.travel(dt.datetime(2026, 1, 5, tzinfo=NY)):
        assert pack_json(dfs_pack("2025Q3")) == first_json
        assert pack_csv(dfs_pack("2025Q3")) == first_csv
    open_case(
        by=Author.system(),
        customer_email="late@example.test",
        subject="x",
        body="Question.",
        topic="fees",
        method="email",
        kind="request",
        received_at=Q3_START + dt.timedelta(days=3),
    )
    assert json.loads(pack_json(dfs_pack("2025Q3")))["sha256"] != json.loads(first_json)["sha256"]
    assert first_csv.splitlines()[0] == "quarter,section,kind,key,metric,value"


def test_satisfaction_figures_are_in_the_pack_DFS_29(organisation, agent) -> None:
    """DFS-29: surveys sent, responses, mean score and satisfied share for the quarter."""
    history = "\n".join(
        json.dumps(
            {
                "external_id": f"s{n}",
                "kind": "request",
                "topic": "fees",
                "method": "email",
                "received_at": "2025-08-01T10:00:00-04:00",
                "resolved_at": "2025-08-02T10:00:00-04:00",
                "outcome": "resolved",
                "customer": {"email": f"s{n}@example.test", "segment": "individual"},
                "language": "en",
                "csat": score,
                "subject": "Fee",
                "body": "Fee question",
            }
        )
        for n, score in enumerate([5, 4, 2])
    )
    assert import_cases(history.splitlines(), source="test").imported == 3
    pack = dfs_pack("2025Q3")
    assert pack["satisfaction"] == {
        "surveys_sent": 3,
        "responses": 3,
        "mean_score": 3.67,
        "satisfied_share": 0.6667,
    }
    assert pack["resolution"]["request"]["mean_hours"] == 24.0  # imported history counts like any case


def _line(external_id: str, **overrides) -> str:
    record = {
        "external_id": external_id,
        "kind": "complaint",
        "topic": "withdrawal_delayed",
        "method": "phone_live",
        "received_at": "2025-09-30T23:30:00-04:00",
        "resolved_at": "2025-10-02T09:30:00-04:00",
        "outcome": "partially_resolved",
        "customer": {"email": "Legacy@Example.test", "segment": "individual"},
        "language": "es",
        "csat": None,
        "subject": "Retiro",
        "body": "Mi retiro no llega.",
    }
    record.update(overrides)
    return json.dumps(record)


def test_import_is_all_or_nothing_with_line_numbers_and_idempotent_DFS_34(
    organisation, tmp_path: Path
) -> None:
    """DFS-34: one bad line imports nothing and names its line; a good one imports once, however often run."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        "\n".join(
            [
                _line("a1"),
                _line("a2", topic="lambo"),
                "{not json",
                _line("a4", resolved_at="2025-09-01T00:00:00-04:00"),
                _line("a1"),
                _line("a6", received_at="2025-09-30T23:30:00"),
            ]
        )
        + "\n"
    )
    with pytest.raises(CommandError):
        call_command("import-cases", str(bad))
    assert Case.objects.count() == 0
    report = import_cases(bad.read_text().splitlines(), source="bad.jsonl")
    assert [error.split(":")[0] for error in report.errors] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ]
    good = tmp_path / "good.jsonl"
    good.write_text(_line("a1") + "\n" + _line("a2", kind="request", resolved_at=None, outcome=None) + "\n")
    call_command("import-cases", str(good))
    call_command("import-cases", str(good))
    assert Case.objects.count() == 2
    resolved = Case.objects.get(external_id="a1")
    assert resolved.customer.email == "legacy@example.test" and resolved.language == "es"
    assert (
        resolved.messages.count() == 1 and resolved.acknowledged_at is None
    )  # no acknowledgement for history
    assert Case.objects.get(external_id="a2").status == "open"
    assert dfs_pack("2025Q3")["resolution"]["complaint"] == {
        "resolved": 0,
        "open_at_end": 1,
        "mean_hours": None,
        "median_hours": None,
        "p90_hours": None,
    }  # received 30 Sep 23:30 New York (Q3), resolved in Q4: open at the end of Q3


def test_report_command_prints_the_pack_and_refuses_a_bad_quarter_DFS_27(organisation, capsys) -> None:
    """DFS-27: ``clearline report dfs --quarter 2025Q3 --format json|csv``."""
    call_command("report", "dfs", "--quarter", "2025Q3", "--format", "json")
    assert json.loads(capsys.readouterr().out)["quarter"] == "2025Q3"
    call_command("report", "dfs", "--quarter", "2025q3", "--format", "csv")
    assert capsys.readouterr().out.startswith("quarter,section,kind,key,metric,value\n")
    with pytest.raises(CommandError, match="2025Q3"):
        call_command("report", "dfs", "--quarter", "2025-3")
    assert parse_quarter("2025Q4").end == dt.datetime(2026, 1, 1, tzinfo=NY)


def test_pack_as_xlsx_and_pdf_offline_DFS_27(organisation, agent, tmp_path) -> None:
    """DFS-27, DFS-28: the same pack as a workbook (summary, by method, by topic, resolution, time to
    resolution, satisfaction scores) and a PDF with a chart of each, written offline by the report command."""
    from openpyxl import load_workbook

    _generate(agent, 4)
    xlsx, pdf = tmp_path / "pack.xlsx", tmp_path / "pack.pdf"
    call_command("report", "dfs", "--quarter", "2025Q3", "--format", "xlsx", "--output", str(xlsx))
    call_command("report", "dfs", "--quarter", "2025Q3", "--format", "pdf", "--output", str(pdf))
    book = load_workbook(xlsx)
    assert book.sheetnames == [
        "Summary",
        "By method",
        "By topic",
        "Resolution",
        "Resolution time",
        "Satisfaction",
    ]
    pack = dfs_pack("2025Q3")
    by_method = sum(row[2] for row in book["By method"].iter_rows(min_row=2, values_only=True))
    assert by_method == sum(pack["received"].values())
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 1500
    assert sum(pack["satisfaction_scores"].values()) == pack["satisfaction"]["responses"]
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "dfs", "--quarter", "2025Q3", "--format", "pdf")
