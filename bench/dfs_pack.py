"""The DFS quarterly pack over 1,000,000 cases in PostgreSQL (targets: JSON/CSV under 5 s, PDF under 30 s).

Fills a fresh database with the million-case SQL of ``common.FILL`` (400 days of cases, so the last complete
quarter holds about a quarter of a million), then times the pack in-process (three runs) and the
`clearline report dfs` command end to end (JSON, CSV, and the PDF with its charts), and prints the cohort size and the figures' digest.

    .venv/bin/python bench/dfs_pack.py [--cases 1000000] [--quarter 2026Q3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, fill_cases, fresh_installation

TIMER = """
import json, sys, time
import django
django.setup()
from clearline.compliance.reports import dfs_pack, pack_csv, pack_json
runs = []
for _ in range(3):
    t0 = time.perf_counter()
    pack = dfs_pack(sys.argv[1])
    text, table = pack_json(pack), pack_csv(pack)
    runs.append(round(time.perf_counter() - t0, 2))
print(json.dumps({"path": "dfs_pack + json + csv (in-process)", "seconds": runs,
                  "cohort": sum(pack["received"].values()) + pack["scope"]["excluded_institutional"],
                  "csv_rows": table.count(chr(10)), "sha256": pack["sha256"][:16]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with fresh_installation(args.postgres) as inst:
        fill_cases(inst.env["DATABASE_URL"], args.cases, explain="SELECT count(*) FROM cases_case")
        env = {**inst.env, "DJANGO_SETTINGS_MODULE": "clearline.config.settings"}
        out = subprocess.run(
            [PYTHON, "-c", TIMER, args.quarter], env=env, capture_output=True, text=True, check=True
        )
        print(out.stdout.strip(), flush=True)
        for fmt in ("json", "csv", "pdf"):
            output = ["--output", str(inst.home / f"pack.{fmt}")] if fmt == "pdf" else []
            t0 = time.perf_counter()
            subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "clearline",
                    "report",
                    "dfs",
                    "--quarter",
                    args.quarter,
                    "--format",
                    fmt,
                    *output,
                ],
                env=inst.env,
                capture_output=True,
                check=True,
            )
            wall = round(time.perf_counter() - t0, 2)
            print(
                json.dumps({"path": f"clearline report dfs --format {fmt} (process)", "seconds": wall}),
                flush=True,
            )


if __name__ == "__main__":
    main()
