"""Where intake's CPU goes: CPU time per case of each kind of process under the intake load of ``intake.py``.

Web processes, the job consumer, PostgreSQL (every server process), Redis and this load generator are read
from /proc at the start and the end of the measured window. When the machine is saturated, their sum per
case is what bounds the rate: two cores give 2,000 ms of CPU a second.

    .venv/bin/python bench/cpu_split.py [--database sqlite|postgres URL] [--seconds 15] [--clients 16]

PostgreSQL runs with Redis when REDIS_URL is set, as in ``intake.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    child_pids,
    fresh_installation,
    named_cpu_seconds,
    postgres_cpu_seconds,
    process_cpu_seconds,
    run_load,
    start_server,
    stop_server,
)
from intake import intake_body


def snapshot(serve_pid: int) -> dict[str, float]:
    seconds = {"web": process_cpu_seconds(serve_pid), "job_consumer": 0.0}
    for pid in child_pids(serve_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        seconds["job_consumer" if b"worker" in command else "web"] += process_cpu_seconds(pid)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        **seconds,
        "postgresql": postgres_cpu_seconds(),
        "redis": named_cpu_seconds("redis-server"),
        "load_generator": usage.ru_utime + usage.ru_stime,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    with fresh_installation(args.database) as inst:  # PostgreSQL gets REDIS_URL when it is set
        start_server(inst)
        time.sleep(3)
        assert inst.server is not None
        serve_pid = inst.server.pid
        marks: dict[str, dict[str, float]] = {}

        def measure() -> None:  # inside the load's measured window (it starts after a 2 s warm-up)
            time.sleep(2.2)
            marks["start"] = snapshot(serve_pid)
            time.sleep(args.seconds - 0.5)
            marks["end"] = snapshot(serve_pid)
            marks["window"] = {"seconds": args.seconds - 0.5}

        meter = threading.Thread(target=measure)
        meter.start()
        load = run_load(
            inst.base_url,
            method="POST",
            path="/api/v1/cases",
            headers={"Authorization": f"Bearer {inst.token}", "Content-Type": "application/json"},
            body_for=intake_body,
            clients=args.clients,
            seconds=args.seconds,
        )
        meter.join()
        stop_server(inst)
    summary = load.summary()
    cases = float(summary["rate_per_s"]) * marks["window"]["seconds"]
    per_case = {
        kind: round((marks["end"][kind] - marks["start"][kind]) * 1000 / cases, 3) for kind in marks["end"]
    }
    print(
        json.dumps(
            {
                "database": "sqlite" if args.database == "sqlite" else "postgresql",
                "rate_per_s": summary["rate_per_s"],
                "p99_ms": summary["p99_ms"],
                "cpu_ms_per_case": per_case,
                "cpu_ms_per_case_total": round(sum(per_case.values()), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
