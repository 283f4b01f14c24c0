"""Inbound email: store + process throughput, stdlib parsing alone, django-helpdesk's get_email, and the
acknowledgement latency of mail arriving at a steady rate.

1. Ingest throughput. A corpus of ``--messages`` realistic 4-5 KB messages (``email_corpus.py``) is stored
   and processed (``record_inbound_email`` + ``process_inbound_email``, i.e. ``ingest_email``) by 2 worker
   processes, then by 1, each a separate Python process with the production settings and a disjoint share
   of the corpus; rate = messages / (last worker done - first worker started). PostgreSQL + Redis (Huey
   queues the acknowledgements, nothing sends them), then SQLite (the embedded default). Each run gets a
   fresh database and data directory. Before the clock each worker files one extra message outside the
   corpus (imports, the language model, connections: a long-running worker has paid for them already).
2. Stdlib parsing alone over the same corpus, one process: ``message_from_bytes(policy.default)``, the body
   (``get_body(("plain", "html")).get_content()``) and every attachment's content; reported per core and as
   ingest rate / (parse rate x 2 cores).
3. django-helpdesk 2.6.1's ``manage.py get_email`` over the same corpus (``peer/helpdesk_peer.py``).
4. Acknowledgement latency: ``clearline worker`` (Huey consumer; 1, then 2 processes) running, a feeder
   process stores each message with ``record_inbound_email`` and enqueues ``tasks.process_inbound_email``
   (the SMTP receiver's path) on a fixed open-loop schedule of ``--rate`` messages/s for ``--seconds``;
   latency per message = mtime of its acknowledgement ``.eml`` in CLEARLINE_HOME/outbox (matched by
   ``In-Reply-To`` = the customer's Message-ID) - the time the message was due to arrive. PostgreSQL +
   Redis; SQLite too with ``--sqlite``. Eight warm-up messages are acknowledged before the schedule starts
   and not counted.

    .venv/bin/python bench/email_ingest.py [--messages 3000] [--seconds 30] [--rate 50] [--no-peer]
        [--no-sqlite] [--sqlite] [--ack-workers 1,2] [--processes 2,1] [--profile N | --no-profile]

``--processes 3,2,1`` also measures 3 ingest processes: each waits on the disk (a stored original is synced)
and on PostgreSQL for about a third of its time, which a third process fills on 2 cores.

When PostgreSQL with 2 processes misses 250 messages/s (or with ``--profile N``), one process then files 500
(N) messages on PostgreSQL under cProfile: the top 25 functions by cumulative time and the top 15 by own time
go to stderr, and a JSON line gives the top 25 and the time under the pipeline's parts (parsing, language
detection, redaction, case writes, audit, storage, SQL, commits, Huey), per message.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email import message_from_bytes, policy
from email.parser import BytesHeaderParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, installation, process_cpu_seconds
from email_corpus import corpus_bytes, write_corpus

THIS = str(Path(__file__).resolve())
TARGET_RATE = 250.0  # messages/s on PostgreSQL with 2 worker processes
TARGET_ACK_P99_S = 5.0
WARMUP_ACKS = 8
_MESSAGE_ID = re.compile(rb"<[^<>\s]{1,900}>")
_INBOUND_COUNTS = "SELECT status, count(*) FROM channels_email_inboundemail GROUP BY status"
_CASE_COUNTS = "SELECT count(*) FROM cases_case WHERE method = 'email'"


def log(message: str) -> None:
    print(f"[email_ingest] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------
# The parent: installations, Redis, the corpus on disk.
# ---------------------------------------------------------------------------------------------------------


def redis_queue_length(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        return sum(
            int(client.llen(key)) for key in client.keys("huey.redis.*") if client.type(key) == b"list"
        )
    finally:
        client.close()


def db_counts(inst) -> dict:
    if inst.database == "sqlite":
        import sqlite3

        conn = sqlite3.connect(inst.home / "clearline.sqlite3")
        try:
            inbound = dict(conn.execute(_INBOUND_COUNTS).fetchall())
            cases = conn.execute(_CASE_COUNTS).fetchone()[0]
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(inst.database) as conn:
            inbound = dict(conn.execute(_INBOUND_COUNTS).fetchall())
            cases = conn.execute(_CASE_COUNTS).fetchone()[0]
    return {"inbound_by_status": inbound, "email_cases": cases}


def quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def spawn(inst, role: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, THIS, "--role", role, *args],
        env=inst.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def wait_ready(proc: subprocess.Popen[str], what: str) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        raise RuntimeError(f"{what} did not start (exit {proc.wait()}): {line!r}")


def go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def result_of(proc: subprocess.Popen[str], what: str) -> dict:
    out, _ = proc.communicate(timeout=3600)
    if proc.returncode:
        raise RuntimeError(f"{what} failed (exit {proc.returncode})")
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------------------
# 1. Ingest throughput.
# ---------------------------------------------------------------------------------------------------------


def bench_ingest(database: str, *, processes: int, messages: int, corpus_dir: Path, redis_base: str) -> dict:
    with installation(database, redis_base) as inst:
        workers = [
            spawn(
                inst,
                "ingest",
                "--corpus",
                str(corpus_dir),
                "--share",
                f"{k}/{processes}",
                "--messages",
                str(messages),
            )
            for k in range(processes)
        ]
        try:
            for k, worker in enumerate(workers):
                wait_ready(worker, f"ingest worker {k}")
            busy0, total0 = machine_busy()
            for worker in workers:
                go(worker)
            results = [result_of(worker, f"ingest worker {k}") for k, worker in enumerate(workers)]
            busy1, total1 = machine_busy()
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
        counts = db_counts(inst)
        queued = redis_queue_length(inst.env["REDIS_URL"]) if database != "sqlite" else None
    started = min(r["start"] for r in results)
    done = max(r["end"] for r in results)
    wall = done - started
    statuses: Counter[str] = Counter()
    for r in results:
        statuses.update(r["statuses"])
    processed = sum(r["messages"] for r in results)
    cores = os.cpu_count() or 1
    machine_pct = 100 * cores * (busy1 - busy0) / (total1 - total0)  # in % of one core, like the others
    workers_pct = 100 * sum(r["cpu_seconds"] for r in results) / wall
    return {
        "measurement": "ingest",
        "database": "sqlite" if database == "sqlite" else "postgresql",
        "processes": processes,
        "messages": processed,
        "seconds": round(wall, 3),
        "rate_per_s": round(processed / wall, 1),
        "per_process_rate_per_s": [round(r["messages"] / (r["end"] - r["start"]), 1) for r in results],
        "per_process_cpu_pct": [round(100 * r["cpu_seconds"] / (r["end"] - r["start"]), 1) for r in results],
        "per_process_warmup_s": [round(r["warmup_seconds"], 2) for r in results],
        # the whole machine (of one core; 2 cores = 200 %), and what is not the workers: PostgreSQL, Redis,
        # this script, anything else running
        "machine_cpu_pct": round(machine_pct, 1),
        "other_processes_cpu_pct": round(machine_pct - workers_pct, 1),
        "cpu_ms_per_message": {
            "workers": round(1000 * sum(r["cpu_seconds"] for r in results) / processed, 2),
            "machine": round(10 * machine_pct * wall / processed, 2),
        },
        "statuses": dict(statuses),
        "errors": sum(r["errors"] for r in results),
        "error_sample": next((r["error_sample"] for r in results if r["error_sample"]), None),
        # what the database holds afterwards: the corpus + one warm-up message per process
        "db": counts,
        "acknowledgements_queued_in_redis": queued,
    }


def role_ingest(args: argparse.Namespace) -> None:
    k, processes = (int(x) for x in args.share.split("/"))
    paths = sorted(Path(args.corpus).glob("msg-*.eml"))
    mine = [paths[i].read_bytes() for i in range(k, args.messages, processes)]
    warmup = paths[args.messages + k].read_bytes()  # outside the corpus: a message of its own
    t0 = time.perf_counter()
    import django

    django.setup()
    from clearline.channels.email.models import Source
    from clearline.channels.email.services import ingest_email

    ingest_email(warmup, source=Source.PIPE)
    warmup_seconds = time.perf_counter() - t0
    print("ready", flush=True)
    sys.stdin.readline()
    statuses: Counter[str] = Counter()
    errors, sample = 0, ""
    profiler = cProfile.Profile() if args.profile_out else None
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.time()
    if profiler:
        profiler.enable()
    for raw in mine:
        try:
            statuses[str(ingest_email(raw, source=Source.PIPE).status)] += 1
        except Exception as error:  # counted and shown, never silently dropped
            errors += 1
            sample = sample or f"{type(error).__name__}: {error}"[:500]
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile_out)
    end = time.time()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    print(
        json.dumps(
            {
                "start": start,
                "end": end,
                "messages": len(mine),
                "statuses": statuses,
                "errors": errors,
                "error_sample": sample,
                "cpu_seconds": cpu,
                "warmup_seconds": warmup_seconds,
            }
        ),
        flush=True,
    )


# (label, file suffix, function): cumulative time under each, for the profile's breakdown.
PROFILE_PARTS = [
    ("ingest_email (all)", "channels/email/services.py", "ingest_email"),
    ("record_inbound_email (raw file + row)", "channels/email/services.py", "record_inbound_email"),
    ("parse_email (stdlib email + nh3 + html to text)", "channels/email/parsing.py", "parse_email"),
    ("find_thread", "channels/email/services.py", "find_thread"),
    ("open_case (all)", "cases/services/intake.py", "open_case"),
    ("redact_secrets", "crypto/redaction.py", "redact_secrets"),
    ("detect_language (lingua)", "cases/language.py", "detect_language"),
    ("detect_dissatisfaction", "cases/complaint_detection.py", "detect_dissatisfaction"),
    ("_prepare_new_case (reads, deadlines, ack text)", "cases/services/intake.py", "_prepare_new_case"),
    ("_store_new_case (case writes)", "cases/services/intake.py", "_store_new_case"),
    ("audit.record", "audit/services.py", "record"),
    ("_store_attachments", "channels/email/services.py", "_store_attachments"),
    ("_redact_stored_original", "channels/email/services.py", "_redact_stored_original"),
    ("storage writes (FileSystemStorage._save)", "django/core/files/storage/filesystem.py", "_save"),
    ("SQL statements (CursorWrapper._execute)", "django/db/backends/utils.py", "_execute"),
    ("SQL bulk statements (_execute_many)", "django/db/backends/utils.py", "_executemany"),
    ("commits (BaseDatabaseWrapper.commit)", "django/db/backends/base/base.py", "commit"),
    ("Huey enqueue", "huey/api.py", "enqueue"),
]


def bench_profile(database: str, *, messages: int, corpus_dir: Path, redis_base: str) -> dict:
    """One ingest process under cProfile; top 25 by cumulative time to stderr, and in the JSON line."""
    with installation(database, redis_base) as inst:
        out = inst.home / "ingest.prof"
        worker = spawn(
            inst,
            "ingest",
            "--corpus",
            str(corpus_dir),
            "--share",
            "0/1",
            "--messages",
            str(messages),
            "--profile-out",
            str(out),
        )
        wait_ready(worker, "profiled ingest worker")
        go(worker)
        result = result_of(worker, "profiled ingest worker")
        stats = pstats.Stats(str(out))
        text = io.StringIO()
        stats.stream = text
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
        print(text.getvalue(), file=sys.stderr, flush=True)
        entries = stats.stats  # type: ignore[attr-defined]
        total = stats.total_tt  # type: ignore[attr-defined]
        top = []
        for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in sorted(
            entries.items(), key=lambda item: item[1][3], reverse=True
        )[:25]:
            where = filename.split("/site-packages/")[-1].split("/src/")[-1]
            top.append(
                {
                    "function": f"{where}:{line}({name})",
                    "calls": calls,
                    "cumulative_s": round(cumtime, 3),
                    "cumulative_pct": round(100 * cumtime / total, 1) if total else None,
                    "own_s": round(tottime, 3),
                }
            )
        breakdown = {}
        for label, suffix, function in PROFILE_PARTS:
            cumulative = sum(
                stat[3]
                for (filename, _line, name), stat in entries.items()
                if name == function and filename.endswith(suffix)
            )
            breakdown[label] = {
                "ms_per_message": round(1000 * cumulative / max(result["messages"], 1), 2),
                "pct": round(100 * cumulative / total, 1) if total else None,
            }
    return {
        "measurement": "profile",
        "database": "sqlite" if database == "sqlite" else "postgresql",
        "messages": result["messages"],
        "seconds_under_profiler": round(result["end"] - result["start"], 2),
        "parts_cumulative": breakdown,  # overlapping: audit.record and open_case include SQL, etc.
        "top_cumulative": top,
    }


# ---------------------------------------------------------------------------------------------------------
# 2. Stdlib parsing alone.
# ---------------------------------------------------------------------------------------------------------


def parse_once(raw: bytes) -> int:
    message = message_from_bytes(raw, policy=policy.default)
    body = message.get_body(("plain", "html"))
    size = len(body.get_content()) if body is not None else 0
    for part in message.iter_attachments():
        size += len(part.get_content())
    return size


def bench_parse(corpus: list[bytes]) -> dict:
    for raw in corpus[:200]:  # warm the interpreter's caches (header registry, codecs)
        parse_once(raw)
    t0 = time.perf_counter()
    for raw in corpus:
        parse_once(raw)
    seconds = time.perf_counter() - t0
    return {
        "measurement": "stdlib_parse",
        "messages": len(corpus),
        "seconds": round(seconds, 3),
        "rate_per_s_per_core": round(len(corpus) / seconds, 1),
        "what": 'message_from_bytes(policy.default) + get_body(("plain", "html")).get_content() + attachments',
    }


# ---------------------------------------------------------------------------------------------------------
# 4. Acknowledgement latency at a steady arrival rate.
# ---------------------------------------------------------------------------------------------------------


def outbox_acks(outbox: Path) -> dict[bytes, float]:
    """In-Reply-To (the customer's Message-ID) -> mtime of the acknowledgement file."""
    found: dict[bytes, float] = {}
    if not outbox.exists():
        return found
    parser = BytesHeaderParser(policy=policy.compat32)
    for path in outbox.glob("*.eml"):
        with path.open("rb") as file:
            headers = parser.parse(file)
        match = _MESSAGE_ID.search(str(headers.get("In-Reply-To", "")).encode())
        if match:
            found[match.group(0)] = path.stat().st_mtime
    return found


def count_outbox(outbox: Path) -> int:
    return sum(1 for _ in outbox.glob("*.eml")) if outbox.exists() else 0


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return float(sum(values) - idle), float(sum(values))


def bench_ack(
    database: str,
    *,
    rate: float,
    seconds: float,
    workers: int,
    corpus_dir: Path,
    drain: float,
    redis_base: str,
) -> dict:
    total = int(rate * seconds)
    with installation(database, redis_base) as inst:
        outbox = inst.home / "outbox"
        logs = [(inst.home / f"worker-{n}.log").open("wb") for n in range(workers)]
        consumers = [
            subprocess.Popen(
                [PYTHON, "-m", "clearline", "worker"], env=inst.env, stdout=log_, stderr=subprocess.STDOUT
            )
            for log_ in logs
        ]
        feeder = None
        try:
            feeder = spawn(
                inst,
                "feed",
                "--corpus",
                str(corpus_dir),
                "--messages",
                str(total),
                "--rate",
                str(rate),
            )
            wait_ready(feeder, "feeder")  # it has stored and enqueued the warm-up messages
            deadline = time.monotonic() + 180
            while count_outbox(outbox) < WARMUP_ACKS:
                if time.monotonic() > deadline or any(c.poll() is not None for c in consumers):
                    raise RuntimeError("the warm-up messages were not acknowledged: " + worker_log(inst))
                time.sleep(0.2)
            cpu0 = [process_cpu_seconds(c.pid) for c in consumers]
            t0 = time.monotonic()
            go(feeder)
            sent = result_of(feeder, "feeder")
            deadline = time.monotonic() + drain
            while count_outbox(outbox) < WARMUP_ACKS + total and time.monotonic() < deadline:
                time.sleep(0.5)
            busy = time.monotonic() - t0
            cpu = [process_cpu_seconds(c.pid) - before for c, before in zip(consumers, cpu0, strict=True)]
            alive = all(c.poll() is None for c in consumers)
        finally:
            if feeder is not None and feeder.poll() is None:
                feeder.kill()
                feeder.wait()
            for consumer in consumers:
                consumer.terminate()
            for consumer in consumers:
                try:
                    consumer.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    consumer.kill()
                    consumer.wait()
            for log_ in logs:
                log_.close()
        acks = outbox_acks(outbox)
        counts = db_counts(inst)
        if not alive:
            log("a worker died: " + worker_log(inst))
    latencies, stored_to_ack = [], []
    missing = 0
    for message_id, due, stored in sent["rows"]:
        delivered = acks.get(message_id.encode())
        if delivered is None:
            missing += 1
            continue
        latencies.append(delivered - due)
        stored_to_ack.append(delivered - stored)
    latencies.sort()
    late = sorted(stored - due for _, due, stored in sent["rows"])
    return {
        "measurement": "ack_latency",
        "database": "sqlite" if database == "sqlite" else "postgresql",
        "worker_processes": workers,
        "target_rate_per_s": rate,
        "achieved_rate_per_s": round(total / sent["elapsed"], 1),
        "messages": total,
        "acknowledged": len(latencies),
        "missing_acknowledgements": missing,
        "ack_latency_s": {
            "p50": round(quantile(latencies, 50), 3),
            "p95": round(quantile(latencies, 95), 3),
            "p99": round(quantile(latencies, 99), 3),
            "max": round(latencies[-1], 3) if latencies else None,
        },
        # from record_inbound_email having committed (the SMTP 250) to the acknowledgement in the outbox
        "stored_to_ack_s_p99": round(quantile(sorted(stored_to_ack), 99), 3),
        "feeder_store_after_due_s": {"p99": round(quantile(late, 99), 3), "max": round(late[-1], 3)},
        "worker_cpu_pct": [round(100 * c / busy, 1) for c in cpu],
        "db": counts,
    }


def worker_log(inst) -> str:
    return " | ".join(p.read_text(errors="replace")[-1500:] for p in sorted(inst.home.glob("worker-*.log")))


def role_feed(args: argparse.Namespace) -> None:
    paths = sorted(Path(args.corpus).glob("msg-*.eml"))
    corpus = [paths[i].read_bytes() for i in range(args.messages)]
    warmup = [paths[args.messages + i].read_bytes() for i in range(WARMUP_ACKS)]
    import django

    django.setup()
    from clearline.channels.email.models import Source
    from clearline.channels.email.services import record_inbound_email
    from clearline.channels.email.tasks import process_inbound_email

    recipients = ("support@example.com",)
    for raw in warmup:
        inbound = record_inbound_email(raw, source=Source.SMTP, envelope_recipients=recipients)
        process_inbound_email(inbound.pk)
    print("ready", flush=True)
    sys.stdin.readline()
    rows = []
    wall0, mono0 = time.time(), time.monotonic() + 0.5
    for i, raw in enumerate(corpus):
        due = mono0 + i / args.rate
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        inbound = record_inbound_email(raw, source=Source.SMTP, envelope_recipients=recipients)
        process_inbound_email(inbound.pk)  # enqueued (Huey), as the SMTP receiver does after its 250
        stored = time.time()
        rows.append((inbound.message_id, wall0 + 0.5 + i / args.rate, stored))
    elapsed = time.monotonic() - mono0
    print(json.dumps({"rows": rows, "elapsed": elapsed}), flush=True)


# ---------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000, help="corpus size for the throughput runs")
    parser.add_argument("--seconds", type=float, default=30, help="length of the acknowledgement run")
    parser.add_argument("--rate", type=float, default=50, help="arrivals/s in the acknowledgement run")
    parser.add_argument(
        "--ack-workers", default="1,2", help="`clearline worker` process counts to run the latency test with"
    )
    parser.add_argument(
        "--processes", default="2,1", help="ingest process counts for the throughput runs (2 is the target's)"
    )
    parser.add_argument("--drain", type=float, default=120, help="seconds to wait for the last acks")
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="an empty database is picked")
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk's get_email")
    parser.add_argument("--no-sqlite", action="store_true", help="skip every SQLite measurement")
    parser.add_argument("--sqlite", action="store_true", help="also measure ack latency on SQLite")
    parser.add_argument("--no-ack", action="store_true", help="skip the acknowledgement latency runs")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="cProfile one process over N messages (default: "
        "500 when the PostgreSQL 2-process rate misses the target)",
    )
    parser.add_argument("--no-profile", action="store_true")
    # internal: the worker and feeder processes
    parser.add_argument("--role", choices=("ingest", "feed"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--share", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "ingest":
        return role_ingest(args)
    if args.role == "feed":
        return role_feed(args)

    ack_total = int(args.rate * args.seconds)
    needed = max(args.messages, args.profile, 500, ack_total) + WARMUP_ACKS
    work = Path(tempfile.mkdtemp(prefix="clearline-email-bench-"))
    results: dict[str, dict] = {}

    def emit(key: str, result: dict) -> None:
        results[key] = result
        print(json.dumps(result), flush=True)

    try:
        log(f"writing a corpus of {needed} messages (the first {args.messages} are measured)")
        corpus = corpus_bytes(needed)
        corpus_dir = work / "corpus"
        corpus_dir.mkdir()
        for i, data in enumerate(corpus, 1):
            (corpus_dir / f"msg-{i:05d}.eml").write_bytes(data)
        sizes = [len(m) for m in corpus[: args.messages]]
        emit(
            "corpus",
            {
                "measurement": "corpus",
                "messages": args.messages,
                "mean_bytes": round(statistics.fmean(sizes), 1),
                "replies": sum(
                    b"\r\nIn-Reply-To: " in m.split(b"\r\n\r\n", 1)[0] for m in corpus[: args.messages]
                ),
                "with_attachment": sum(b"multipart/mixed" in m[:4000] for m in corpus[: args.messages]),
            },
        )
        options = {"messages": args.messages, "corpus_dir": corpus_dir, "redis_base": args.redis}
        databases = [args.postgres] + ([] if args.no_sqlite else ["sqlite"])
        for database in databases:
            name = "sqlite" if database == "sqlite" else "postgresql"
            for processes in (int(count) for count in args.processes.split(",")):
                log(f"ingest: {name}, {processes} process(es), {args.messages} messages")
                emit(f"ingest_{name}_{processes}", bench_ingest(database, processes=processes, **options))
        emit("parse", bench_parse(corpus[: args.messages]))
        missed = results.get("ingest_postgresql_2", {}).get("rate_per_s", TARGET_RATE) < TARGET_RATE
        profile = args.profile or (min(args.messages, 500) if missed and not args.no_profile else 0)
        if profile:
            log(f"profile: postgresql, 1 process, {profile} messages under cProfile")
            emit("profile", bench_profile(args.postgres, **{**options, "messages": profile}))
        if not args.no_peer:
            sys.path.insert(0, str(Path(__file__).resolve().parent / "peer"))
            from helpdesk_peer import run_get_email

            peer_dir = work / "helpdesk-corpus"
            write_corpus(peer_dir, args.messages)
            log(f"django-helpdesk get_email over {args.messages} messages")
            emit("helpdesk", {"measurement": "helpdesk_get_email", **run_get_email(peer_dir, sqlite="wal")})
        if not args.no_ack:
            ack_dbs = [args.postgres] + (["sqlite"] if args.sqlite and not args.no_sqlite else [])
            for database in ack_dbs:
                name = "sqlite" if database == "sqlite" else "postgresql"
                for workers in [int(n) for n in args.ack_workers.split(",")]:
                    log(
                        f"acknowledgement latency: {name}, {workers} worker process(es), "
                        f"{args.rate}/s for {args.seconds} s"
                    )
                    emit(
                        f"ack_{name}_{workers}",
                        bench_ack(
                            database,
                            rate=args.rate,
                            seconds=args.seconds,
                            workers=workers,
                            corpus_dir=corpus_dir,
                            drain=args.drain,
                            redis_base=args.redis,
                        ),
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(summary(results)), flush=True)


def summary(results: dict[str, dict]) -> dict:
    pg2 = results.get("ingest_postgresql_2", {}).get("rate_per_s")
    parse = results.get("parse", {}).get("rate_per_s_per_core")
    peer = results.get("helpdesk", {}).get("rate_per_s")
    out: dict = {"summary": True}
    for key, result in results.items():
        if key.startswith("ingest_"):
            out[f"{key}_per_s"] = result["rate_per_s"]
    if pg2 is not None:
        out["target_per_s"] = TARGET_RATE
        out["target_met"] = pg2 >= TARGET_RATE
    if parse:
        out["stdlib_parse_per_s_per_core"] = parse
        if pg2 is not None:
            out["ingest_over_parse_2_cores"] = round(pg2 / (parse * 2), 3)
    if peer:
        out["helpdesk_get_email_per_s"] = peer
        for key in ("ingest_postgresql_2", "ingest_sqlite_1"):
            if key in results:
                out[f"{key}_over_helpdesk"] = round(results[key]["rate_per_s"] / peer, 2)
    for key, result in results.items():
        if key.startswith("ack_"):
            out[f"{key}_workers_p99_s"] = result["ack_latency_s"]["p99"]
            out[f"{key}_workers_target_met"] = (
                result["ack_latency_s"]["p99"] < TARGET_ACK_P99_S and not result["missing_acknowledgements"]
            )
    return out


if __name__ == "__main__":
    main()
