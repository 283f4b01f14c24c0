"""The DFS pack as XLSX and as a PDF with charts, made offline from the same pack dict as JSON and CSV."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .reports import pack_csv, pack_json

if TYPE_CHECKING:
    from fpdf import FPDF

BAR = (11, 92, 173)
# fpdf and openpyxl are imported where a document is made: together they hold 50 MB in every web and job
# process, and most never make one.


def pack_xlsx(pack: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    rows: list[tuple[Any, ...]] = [
        ("Quarter", pack["quarter"]),
        ("Period start", pack["period"]["start"]),
        ("Period end", pack["period"]["end"]),
        ("Time zone", pack["timezone"]),
        ("Institutional customers excluded", pack["scope"]["excluded_institutional"]),
        *((f"Received: {kind}", count) for kind, count in pack["received"].items()),
        *((f"Satisfaction: {key}", value) for key, value in pack["satisfaction"].items()),
        ("Regulator referrals", pack["regulator_referrals"]),
        ("Data SHA-256", pack["sha256"]),
        ("Methodology", pack["methodology"]),
    ]
    for row in rows:
        summary.append(row)
    for name, key in (("By method", "method"), ("By topic", "topic")):
        sheet = book.create_sheet(name)
        sheet.append(("kind", key, "received"))
        for row in pack[f"by_{key}"]:
            sheet.append((row["kind"], row[key], row["received"]))
    resolution = book.create_sheet("Resolution")
    resolution.append(("kind", "resolved", "open_at_end", "mean_hours", "median_hours", "p90_hours"))
    for kind, figures in pack["resolution"].items():
        resolution.append((kind, *figures.values()))
    times = book.create_sheet("Resolution time")
    times.append(("kind", "hours", "resolved"))
    for kind, buckets in pack["resolution_time_distribution"].items():
        for bucket, count in buckets.items():
            times.append((kind, bucket, count))
    scores = book.create_sheet("Satisfaction")
    scores.append(("score", "responses"))
    for score, count in pack["satisfaction_scores"].items():
        scores.append((int(score), count))
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    book.properties.created = book.properties.modified = datetime.fromisoformat(pack["generated_at"]).replace(
        tzinfo=None
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _latin(text: Any) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")  # the PDF core fonts are Latin-1


def _bars(pdf: FPDF, title: str, values: dict[str, float]) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    top = max(values.values(), default=0) or 1
    for label, value in values.items():
        y = pdf.get_y()
        pdf.cell(55, 5, _latin(label))
        pdf.set_fill_color(*BAR)
        pdf.rect(pdf.l_margin + 55, y + 1, 110 * value / top, 3.5, style="F")
        pdf.set_x(pdf.l_margin + 168)
        pdf.cell(0, 5, f"{value:g}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def pack_pdf(pack: dict[str, Any], *, organisation: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime.fromisoformat(pack["generated_at"]))
    pdf.set_title(f"DFS customer service tabulation {pack['quarter']}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(
        0,
        10,
        _latin(f"{organisation}: DFS customer-service tabulation, {pack['quarter']}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    facts = [
        f"Period {pack['period']['start']} to {pack['period']['end']} ({pack['timezone']})",
        f"Received: {pack['received']['request']} requests, {pack['received']['complaint']} complaints; "
        f"{pack['scope']['excluded_institutional']} institutional contacts excluded",
        f"Regulator referrals: {pack['regulator_referrals']}",
        "Satisfaction: " + ", ".join(f"{k} {v}" for k, v in pack["satisfaction"].items()),
        f"Data SHA-256: {pack['sha256']}",
    ]
    for line in facts:
        pdf.multi_cell(0, 5, _latin(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    by_method: Counter[str] = Counter()
    for row in pack["by_method"]:
        by_method[row["method"]] += row["received"]
    by_topic: Counter[str] = Counter()
    for row in pack["by_topic"]:
        by_topic[row["topic"]] += row["received"]
    _bars(pdf, "Contacts received by method", dict(by_method.most_common()))
    _bars(pdf, "Contacts received by topic", dict(by_topic.most_common()))
    hours = {
        f"{kind} {metric.removesuffix('_hours')}": figures[metric] or 0
        for kind, figures in pack["resolution"].items()
        for metric in ("mean_hours", "median_hours", "p90_hours")
    }
    _bars(pdf, "Hours from receipt to resolution (mean, median, 90th percentile)", hours)
    distribution = {
        f"{kind} {bucket.replace('_', ' ')}": count
        for kind, buckets in pack["resolution_time_distribution"].items()
        for bucket, count in buckets.items()
    }
    _bars(pdf, "Resolved cases by time from receipt to resolution", distribution)
    scores = {f"score {score}": count for score, count in pack["satisfaction_scores"].items()}
    _bars(pdf, "Satisfaction survey responses by score (1 = very dissatisfied, 5 = very satisfied)", scores)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, "Methodology", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _latin(pack["methodology"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def policies_pdf(policies: list[dict[str, Any]], *, organisation: str, generated_at: datetime) -> bytes:
    """DFS-31: the current customer-service and complaint policies, each with its register entry and log."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(generated_at)
    pdf.set_title("Customer-service and complaint policies")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(
        0,
        8,
        _latin(f"{organisation}: customer-service and complaint policies"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 6, f"Generated {generated_at.isoformat(timespec='minutes')}", new_x="LMARGIN", new_y="NEXT")
    for policy in policies:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(
            0, 7, _latin(f"{policy['title']} (version {policy['version']})"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", "", 8)
        register = (
            f"Owner {policy['owner']}; drafted by {policy['drafted_by']}; "
            f"approved by {policy['approved_by']} on "
            f"{policy['approved_at']}; effective from {policy['effective_from']}."
        )
        pdf.multi_cell(0, 4, _latin(register), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _latin(policy["body"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "I", 8)
        for change in policy["changes"]:
            pdf.multi_cell(
                0,
                4,
                _latin(f"v{change['version']} {change['approved_at']}: {change['summary']}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    return bytes(pdf.output())


PACK_FORMATS = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render_pack(pack: dict[str, Any], fmt: str, *, organisation: str) -> bytes:
    """The pack in one of ``PACK_FORMATS``: the command, the API and the console all call this."""
    if fmt == "json":
        return pack_json(pack).encode()
    if fmt == "csv":
        return pack_csv(pack).encode()
    if fmt == "xlsx":
        return pack_xlsx(pack)
    if fmt == "pdf":
        return pack_pdf(pack, organisation=organisation)
    raise ValueError(f"Unknown pack format {fmt!r}")
