"""The agent queue (open cases, what is due next first, first page) with 1,000,000 cases in PostgreSQL.

Fills a fresh database with SQL (generate_series), then times the first page through the real selector
in-process and through GET /api/v1/cases on a running server, and reports p50/p95/p99 and queries per page.

    .venv/bin/python bench/queue_page.py [--cases 1000000] [--postgres URL] [--iterations 300]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, fill_cases, fresh_installation, run_load, start_server

TIMER = """
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from clearline.accounts.models import Staff
from clearline.cases.selectors import list_queue
staff = Staff.objects.get(email="bench@firm.test")
timings = []
for _ in range(int(sys.argv[1])):
    t0 = time.perf_counter()
    page = list_queue(staff=staff, limit=50)
    timings.append((time.perf_counter() - t0) * 1000)
with CaptureQueriesContext(connection) as ctx:
    list_queue(staff=staff, limit=50)
    list_queue(staff=staff, limit=50, cursor=page.next_cursor)
q = statistics.quantiles(timings[10:], n=100)
print(json.dumps({"path": "selector list_queue (in-process)", "rows": len(page.cases), "p50_ms": round(q[49], 2),
                  "p95_ms": round(q[94], 2), "p99_ms": round(q[98], 2),
                  "queries_for_two_pages": len(ctx.captured_queries)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    with fresh_installation(args.postgres) as inst:
        fill_cases(
            inst.env["DATABASE_URL"],
            args.cases,
            explain="SELECT * FROM cases_case WHERE status IN ('new','open','waiting_on_customer') "
            "ORDER BY next_due_at, id LIMIT 51",
        )
        env = {**inst.env, "DJANGO_SETTINGS_MODULE": "clearline.config.settings"}
        out = subprocess.run(
            [PYTHON, "-c", TIMER, str(args.iterations)], env=env, capture_output=True, text=True, check=True
        )
        print(out.stdout.strip(), flush=True)
        start_server(inst, "--no-worker")
        headers = {"Authorization": f"Bearer {inst.token}"}
        load = run_load(
            inst.base_url,
            method="GET",
            path="/api/v1/cases?limit=50",
            headers=headers,
            body_for=lambda c, i: None,
            clients=1,
            seconds=10,
            expect=200,
        )
        print(
            json.dumps({"path": "GET /api/v1/cases?limit=50 (HTTP, 1 client)", **load.summary()}), flush=True
        )


if __name__ == "__main__":
    main()
