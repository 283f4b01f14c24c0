"""Acknowledgement latency: from the intake request leaving the client to the acknowledgement handed to the
outbox, while cases arrive at a steady rate (open loop: requests are sent on schedule, not when the last
one returns, so a slow server cannot slow the arrivals down).

One `clearline serve` process (web + job consumer) on a fresh database; the outbox is the file outbox of the
embedded set-up. Latency per case = Message.delivered_at of its acknowledgement - the wall-clock time the
request was due to start (so a server that falls behind shows its backlog); cases are matched by subject.

    .venv/bin/python bench/ack_latency.py [--rate 100] [--seconds 30] [--postgres URL] [--no-postgres]
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import sqlite3
import statistics
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    child_pids,
    fresh_installation,
    postgres_cpu_seconds,
    process_cpu_seconds,
    start_server,
    stop_server,
)
from intake import BODY, TOPICS

QUERY = """
SELECT c.subject, m.delivered_at, c.received_at
FROM cases_case c JOIN cases_message m ON m.case_id = c.id AND m.purpose = 'acknowledgement'
WHERE c.subject LIKE 'Ack latency #%'
"""


def send_paced(base_url: str, token: str, *, rate: float, seconds: float, connections: int) -> dict:
    """Send ``rate * seconds`` intake requests on a fixed schedule; return start times and statuses."""
    host, port = base_url.split(":")
    total = int(rate * seconds)
    start = time.monotonic() + 1.0
    schedule: queue.Queue[int | None] = queue.Queue()
    for i in range(total):
        schedule.put(i)
    for _ in range(connections):
        schedule.put(None)
    started: dict[str, float] = {}
    statuses: dict[int, int] = {}
    late: list[float] = []
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        while (i := schedule.get()) is not None:
            due = start + i / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            subject = f"Ack latency #{i}"
            body = {
                "topic": TOPICS[i % len(TOPICS)],
                "method": "in_app",
                "customer": {"email": f"ack-{i % 500}@customer.test", "segment": "individual"},
                "subject": subject,
                "body": BODY,
                "language": ["en", "es", "ro"][i % 3],
            }
            sent_at = time.time() - max(0.0, time.monotonic() - due)  # when it was due, if we are late
            try:
                conn.request("POST", "/api/v1/cases", body=json.dumps(body).encode(), headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                status = 0
            with lock:
                started[subject] = sent_at
                statuses[status] = statuses.get(status, 0) + 1
                late.append(max(0.0, time.monotonic() - due))

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return {"started": started, "statuses": statuses, "elapsed": elapsed, "total": total}


def acknowledgements(database: str, home: Path) -> list[tuple[str, datetime | None, datetime]]:
    if database == "sqlite":
        conn = sqlite3.connect(home / "clearline.sqlite3")
        rows = conn.execute(QUERY).fetchall()
        conn.close()
        parse = datetime.fromisoformat
        return [(s, parse(d) if d else None, parse(r)) for s, d, r in rows]
    import psycopg

    with psycopg.connect(database) as conn:
        return [tuple(row) for row in conn.execute(QUERY).fetchall()]  # type: ignore[misc]


def quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[q - 1]


def server_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the web processes (``serve`` itself and the web processes it forks, which run the same
    command line) and of its other children (the job consumer)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    web = process_cpu_seconds(pid)
    children = 0.0
    for child in child_pids(pid):
        if Path(f"/proc/{child}/cmdline").read_bytes() == command:
            web += process_cpu_seconds(child)
        else:
            children += process_cpu_seconds(child)
    return {"web": web, "children": children}


def bench(database: str, *, rate: float, seconds: float, connections: int, drain: float) -> dict:
    with fresh_installation(database) as inst:
        start_server(inst)
        time.sleep(2)
        cpu_before = server_cpu(inst.server.pid)
        database_before = postgres_cpu_seconds()
        sent = send_paced(inst.base_url, inst.token, rate=rate, seconds=seconds, connections=connections)
        deadline = time.monotonic() + drain
        while True:  # wait for the job consumer to hand every acknowledgement to the outbox
            rows = acknowledgements(inst.database, inst.home)
            pending = sum(1 for _, delivered, _ in rows if delivered is None)
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(1)
        cpu_after = server_cpu(inst.server.pid)
        database_cpu = postgres_cpu_seconds() - database_before
        stop_server(inst)
        outbox_files = len(list((inst.home / "outbox").glob("*"))) if (inst.home / "outbox").exists() else 0
    latencies = sorted(
        (delivered.timestamp() - sent["started"][subject]) * 1000
        for subject, delivered, _ in rows
        if delivered is not None and subject in sent["started"]
    )
    server_side = sorted(
        (delivered - received).total_seconds() * 1000 for _, delivered, received in rows if delivered
    )
    return {
        "database": "sqlite" if database == "sqlite" else "postgresql",
        "target_rate_per_s": rate,
        "achieved_rate_per_s": round(sent["total"] / sent["elapsed"], 1),
        "requests": sent["total"],
        "statuses": sent["statuses"],
        "cases_with_acknowledgement": len(rows),
        "acknowledgements_not_delivered": sum(1 for _, d, _ in rows if d is None),
        "outbox_files": outbox_files,
        "ack_latency_ms": {
            "p50": round(quantile(latencies, 50), 1),
            "p95": round(quantile(latencies, 95), 1),
            "p99": round(quantile(latencies, 99), 1),
            "max": round(latencies[-1], 1) if latencies else None,
        },
        "received_to_delivered_ms_p99": round(quantile(server_side, 99), 1),
        # CPU per case from the first request until the last acknowledgement is in the outbox
        "cpu_ms_per_case": {
            "web": round((cpu_after["web"] - cpu_before["web"]) * 1000 / max(len(rows), 1), 2),
            "job_consumer": round(
                (cpu_after["children"] - cpu_before["children"]) * 1000 / max(len(rows), 1), 2
            ),
            "postgres": round(database_cpu * 1000 / max(len(rows), 1), 2) if database != "sqlite" else None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--drain", type=float, default=120, help="seconds to wait for the outbox to catch up")
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    options = {
        "rate": args.rate,
        "seconds": args.seconds,
        "connections": args.connections,
        "drain": args.drain,
    }
    print(json.dumps(bench("sqlite", **options)), flush=True)
    if not args.no_postgres:
        print(json.dumps(bench(args.postgres, **options)), flush=True)


if __name__ == "__main__":
    main()
