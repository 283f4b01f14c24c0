"""Intake over HTTP: POST /api/v1/cases with N concurrent clients against one `clearline serve` (with the web
processes it forks: one per core by default).

Each case is written in one transaction with its messages, acknowledgement, deadlines and audit event.
Also measured in the same run: the raw single-row commit rate of the same database, the idle resident
memory of `clearline serve` (its web processes + job consumer; proportional, and RSS summed per process), and
django-helpdesk's ticket API on the same machine, with as many clients and with one (as ../shared/testing.md
measured it). PostgreSQL runs with Redis when REDIS_URL is set.

    .venv/bin/python bench/intake.py [--seconds 20] [--clients 16] [--postgres URL] [--no-peer]
        [--web-processes N|auto (serve's default: auto)]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    fresh_installation,
    process_tree_pss_mb,
    process_tree_rss_mb,
    run_load,
    start_server,
    stop_server,
)

TOPICS = ["withdrawal_delayed", "deposit_not_credited", "account_access", "transaction_failed", "fees"]
BODY = (
    "Hello, I sent 0.25 ETH from my hardware wallet to my deposit address four hours ago. The transaction "
    "shows as confirmed on the explorer but my balance has not changed. Could you please check what is "
    "happening and let me know when it will be credited? Thank you."
)


def intake_body(client: int, i: int) -> dict:
    return {
        "topic": TOPICS[i % len(TOPICS)],
        "method": "in_app",
        "customer": {"email": f"c{client}-{i % 500}@customer.test", "segment": "individual"},
        "subject": f"Deposit not credited #{i}",
        "body": BODY,
        "language": "en",
    }


def raw_commit_rate(database: str, seconds: float = 3.0) -> float:
    """Single-row INSERT + COMMIT per row, with the same durability settings Clearline uses."""
    if database == "sqlite":
        import tempfile

        path = Path(tempfile.mkdtemp()) / "raw.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        n, stop = 0, time.monotonic() + seconds
        while time.monotonic() < stop:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (body) VALUES (?)", (BODY,))
            conn.execute("COMMIT")
            n += 1
        return n / seconds
    import psycopg

    with psycopg.connect(database) as conn:
        conn.execute("CREATE TEMP TABLE t (id bigserial PRIMARY KEY, body text)")
        conn.commit()
        n, stop = 0, time.monotonic() + seconds
        while time.monotonic() < stop:
            conn.execute("INSERT INTO t (body) VALUES (%s)", (BODY,))
            conn.commit()
            n += 1
    return n / seconds


def bench_clearline(
    database: str, *, clients: int, seconds: float, worker: bool = True, web_processes: str = "auto"
) -> dict:
    with fresh_installation(database) as inst:
        start_server(inst, "--web-processes", web_processes, *([] if worker else ["--no-worker"]))
        time.sleep(3)  # let both processes settle before reading idle memory
        idle_rss, idle_pss = process_tree_rss_mb(inst.server.pid), process_tree_pss_mb(inst.server.pid)
        headers = {"Authorization": f"Bearer {inst.token}", "Content-Type": "application/json"}
        load = run_load(
            inst.base_url,
            method="POST",
            path="/api/v1/cases",
            headers=headers,
            body_for=intake_body,
            clients=clients,
            seconds=seconds,
        )
        busy_rss, busy_pss = process_tree_rss_mb(inst.server.pid), process_tree_pss_mb(inst.server.pid)
        stop_server(inst)
        raw = raw_commit_rate(inst.database)
    summary = load.summary()
    return {
        "system": "clearline",
        "database": "sqlite" if database == "sqlite" else "postgresql",
        "clients": clients,
        "web_processes": web_processes,
        **summary,
        "statuses": load.statuses,
        "raw_single_row_commits_per_s": round(raw, 1),
        "ratio_to_raw_commit_rate": round(summary["rate_per_s"] / raw, 3) if raw else None,
        "idle_pss_mb": round(idle_pss, 1),
        "pss_after_load_mb": round(busy_pss, 1),
        "idle_rss_summed_mb": round(idle_rss, 1),
        "rss_summed_after_load_mb": round(busy_rss, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-worker", action="store_true", help="serve without the job consumer (diagnosis)")
    parser.add_argument("--web-processes", default="auto")
    args = parser.parse_args()
    options = {"clients": args.clients, "seconds": args.seconds, "worker": not args.no_worker}
    options["web_processes"] = args.web_processes
    results = [bench_clearline("sqlite", **options)]
    print(json.dumps(results[-1]), flush=True)
    if not args.no_postgres:
        results.append(bench_clearline(args.postgres, **options))
        print(json.dumps(results[-1]), flush=True)
    if not args.no_peer:
        sys.path.insert(0, str(Path(__file__).resolve().parent / "peer"))
        from helpdesk_peer import run_peer

        # The peer under the same load as Clearline, then as ../shared/testing.md measured it (one client,
        # about 12 tickets/s), the condition the 25x was set against.
        peers = [run_peer(clients=args.clients, seconds=args.seconds)]
        if args.clients != 1:
            peers.append(run_peer(clients=1, seconds=args.seconds))
        for peer in peers:
            print(json.dumps(peer), flush=True)
        for result in results:
            for peer in peers:
                print(
                    f"clearline/{result['database']} ({args.clients} clients): {result['rate_per_s']} cases/s vs "
                    f"django-helpdesk ({peer['clients']} clients) {peer['rate_per_s']} tickets/s = "
                    f"{result['rate_per_s'] / max(peer['rate_per_s'], 0.001):.1f}x"
                )


if __name__ == "__main__":
    main()
