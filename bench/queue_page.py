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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, fresh_installation, run_load, start_server

FILL = """
INSERT INTO accounts_customer (email, name, segment, language, external_account_id, created_at)
SELECT 'bulk' || g || '@customer.test', '', CASE WHEN g % 20 = 0 THEN 'institutional' ELSE 'individual' END,
       'en', '', now()
FROM generate_series(1, 50000) g;

INSERT INTO cases_case (reference, kind, topic_id, method, language, status, priority, customer_id,
    customer_segment, subject, details, external_id, received_at, acknowledged_at, first_human_response_at,
    last_customer_update_at, resolved_at, first_response_due_at, resolution_due_at, next_due_at, outcome,
    resolution_rationale, reopened_count, ai_involved, escalated_from_ai, updated_at, assignee_id,
    related_case_id, explanation_message_id, update_due_at, resolution_started_at, resolution_paused_seconds,
    unassigned_alert_at, sweep_at, clock_marks, service_policy_id)
SELECT 'CL-' || upper(lpad(to_hex(g), 8, '0')),
       CASE WHEN g % 4 = 0 THEN 'complaint' ELSE 'request' END,
       (ARRAY['withdrawal_delayed','deposit_not_credited','account_access','fees','trading','other'])[1 + g % 6],
       (ARRAY['email','in_app','web_form','phone_live','chat_human'])[1 + g % 5],
       'en',
       CASE WHEN g % 10 < 7 THEN 'resolved' WHEN g % 10 = 7 THEN 'open' WHEN g % 10 = 8 THEN 'new'
            ELSE 'waiting_on_customer' END,
       'normal', 1 + g % 50000, 'individual', 'Bulk case ' || g, '{}', NULL,
       now() - (g % 400) * interval '1 day' - (g % 1440) * interval '1 minute',
       now() - (g % 400) * interval '1 day',
       NULL, NULL,
       CASE WHEN g % 10 < 7 THEN now() - (g % 390) * interval '1 day' END,
       now() + ((g * 7919) % 43200 - 21600) * interval '1 minute',
       now() + ((g * 7919) % 43200) * interval '1 minute',
       CASE WHEN g % 10 >= 7 THEN now() + ((g * 104729) % 86400 - 43200) * interval '1 minute' END,
       CASE WHEN g % 10 < 7 THEN 'resolved' ELSE '' END,
       '', 0, false, false, now(), NULL, NULL, NULL,
       CASE WHEN g % 10 >= 7 THEN now() + ((g * 15485863) % 43200) * interval '1 minute' END,
       now() - (g % 400) * interval '1 day' - (g % 1440) * interval '1 minute', 0, NULL,
       -- open cases: the sweep looks at them again 1 minute to 30 days from now (nothing due yet)
       CASE WHEN g % 10 >= 7 THEN now() + (1 + (g * 7919) % 43200) * interval '1 minute' END,
       '{}', (SELECT id FROM sla_servicepolicy WHERE name = 'Default')
FROM generate_series(1::bigint, %(cases)s) g;
ANALYZE accounts_customer;
ANALYZE cases_case;
"""

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
        import psycopg

        t0 = time.monotonic()
        with psycopg.connect(inst.env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(FILL.replace("%(cases)s", str(args.cases)))
            total = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE status <> 'resolved') FROM cases_case"
            ).fetchone()
            plan = conn.execute(
                "EXPLAIN ANALYZE SELECT * FROM cases_case WHERE status IN ('new','open','waiting_on_customer') "
                "ORDER BY next_due_at, id LIMIT 51"
            ).fetchall()
        fill_s = time.monotonic() - t0
        print(
            json.dumps({"cases": total[0], "open_cases": total[1], "fill_seconds": round(fill_s, 1)}),
            flush=True,
        )
        print("\n".join(row[0] for row in plan), flush=True)
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
