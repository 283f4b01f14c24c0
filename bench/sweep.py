"""The due-work sweep with 1,000,000 cases (300,000 open) in PostgreSQL: nothing due, then N cases due.

Fills a fresh database like bench/queue_page.py, then times ``sla.services.sweep_due_clocks`` in-process:
repeatedly when nothing is due (the target is under 100 ms), then with 10, 100 and 1,000 cases made due,
to show the cost grows with the due cases only.

    .venv/bin/python bench/sweep.py [--cases 1000000] [--postgres URL] [--iterations 200]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, fill_cases, fresh_installation

TIMER = """
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from clearline.sla.services import sweep_due_clocks
iterations = int(sys.argv[1])
timings = []
for _ in range(iterations):
    t0 = time.perf_counter()
    result = sweep_due_clocks()
    timings.append((time.perf_counter() - t0) * 1000)
assert result.cases == 0, result
with CaptureQueriesContext(connection) as ctx:
    sweep_due_clocks()
q = statistics.quantiles(timings[5:], n=100)
print(json.dumps({"sweep": "nothing due", "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2),
                  "max_ms": round(max(timings[5:]), 2), "queries": len(ctx.captured_queries)}), flush=True)
for due in (10, 100, 1000):
    with connection.cursor() as cursor:  # make `due` open cases due: their first response is already late
        cursor.execute(
            "UPDATE cases_case SET sweep_at = now() - interval '1 second', "
            "first_response_due_at = now() - interval '1 hour' WHERE id IN (SELECT id FROM cases_case "
            "WHERE status IN ('new','open','waiting_on_customer') AND sweep_at > now() ORDER BY id LIMIT %s)",
            [due],
        )
    t0 = time.perf_counter()
    result = sweep_due_clocks()
    elapsed = (time.perf_counter() - t0) * 1000
    print(json.dumps({"sweep": f"{due} due", "cases": result.cases, "events": result.events,
                      "ms": round(elapsed, 1), "ms_per_case": round(elapsed / max(1, result.cases), 2)}),
          flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    with fresh_installation(args.postgres) as inst:
        fill_cases(
            inst.env["DATABASE_URL"],
            args.cases,
            explain="SELECT id FROM cases_case WHERE status IN ('new','open','waiting_on_customer') "
            "AND sweep_at <= now() ORDER BY sweep_at LIMIT 200",
        )
        env = {**inst.env, "DJANGO_SETTINGS_MODULE": "clearline.config.settings"}
        out = subprocess.run(
            [PYTHON, "-c", TIMER, str(args.iterations)], env=env, capture_output=True, text=True, check=False
        )
        print(out.stdout.strip(), out.stderr[-3000:], sep="\n", flush=True)


if __name__ == "__main__":
    main()
