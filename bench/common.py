"""Shared plumbing for benchmarks: a fresh Clearline server on a fresh database, and a load generator."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clearline(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "clearline", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"clearline {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@dataclass
class Installation:
    env: dict[str, str]
    home: Path
    database: str  # "sqlite" or the PostgreSQL URL
    token: str = ""
    base_url: str = ""
    server: subprocess.Popen[bytes] | None = None


@contextmanager
def fresh_installation(database: str):
    """A new CLEARLINE_HOME and (for PostgreSQL) a new database, dropped afterwards."""
    home = Path(tempfile.mkdtemp(prefix="clearline-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "DJANGO_"))}
    env.update(
        {
            "CLEARLINE_HOME": str(home),
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CLEARLINE_SECURE_COOKIES": "0",
        }
    )
    admin_url = dbname = None
    if database != "sqlite":
        import psycopg

        parts = urlsplit(database)
        dbname = f"clearline_bench_{uuid.uuid4().hex[:8]}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{dbname}"))
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
    installation = Installation(env=env, home=home, database=env.get("DATABASE_URL", "sqlite"))
    try:
        clearline(env, "migrate", "-v", "0")
        clearline(
            env,
            "createstaff",
            "bench@firm.test",
            "--role",
            "agent",
            "--password-stdin",
            stdin="a long benchmark passphrase\n",
        )
        installation.token = clearline(env, "token", "create", "bench@firm.test").strip()
        yield installation
    finally:
        if installation.server is not None:
            stop_server(installation)
        if dbname and admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def start_server(installation: Installation, *extra: str) -> None:
    port = free_port()
    installation.server = subprocess.Popen(
        [PYTHON, "-m", "clearline", "serve", "--port", str(port), *extra], env=installation.env
    )
    installation.base_url = f"127.0.0.1:{port}"
    wait_until_ready(port)


def wait_until_ready(port: int) -> None:
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not become ready")


def stop_server(installation: Installation) -> None:
    if installation.server is not None:
        installation.server.terminate()
        installation.server.wait(timeout=30)
        installation.server = None


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the serve command and its job consumer), summed: a
    page shared by several processes (forked web processes) counts once per process."""
    return _process_tree_kb(pid, "status", "VmRSS:") / 1024


def process_tree_pss_mb(pid: int) -> float:
    """Proportional resident memory of a process and its children: each shared page divided among the
    processes that share it, so the sum is the memory the tree occupies."""
    return _process_tree_kb(pid, "smaps_rollup", "Pss:") / 1024


def _process_tree_kb(pid: int, source: str, label: str) -> int:
    total_kb = 0
    for p in [pid, *child_pids(pid)]:
        for line in Path(f"/proc/{p}/{source}").read_text().splitlines():
            if line.startswith(label):
                total_kb += int(line.split()[1])
    return total_kb


@dataclass
class LoadResult:
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict[str, float | int]:
        lat = sorted(self.latencies_ms) or [0.0]
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
        return {
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rate_per_s": round(self.ok / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(q[49], 1),
            "p95_ms": round(q[94], 1),
            "p99_ms": round(q[98], 1),
        }


def run_load(
    host_port: str,
    *,
    method: str,
    path: str,
    headers: dict[str, str],
    body_for,
    clients: int,
    seconds: float,
    warmup: float = 2.0,
    expect: int = 201,
) -> LoadResult:
    """``clients`` threads, each with one keep-alive connection, for ``seconds`` after a warm-up."""
    host, port = host_port.split(":")
    result = LoadResult()
    lock = threading.Lock()
    start_measure = time.monotonic() + warmup
    stop_at = start_measure + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        i = 0
        local_ok, local_err, local_lat, local_status = 0, 0, [], {}
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            body = body_for(n, i)
            payload = json.dumps(body).encode() if body is not None else None
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                status = 0
            elapsed = (time.perf_counter() - t0) * 1000
            if now >= start_measure:
                local_status[status] = local_status.get(status, 0) + 1
                if status == expect:
                    local_ok += 1
                    local_lat.append(elapsed)
                else:
                    local_err += 1
            i += 1
        with lock:
            result.ok += local_ok
            result.errors += local_err
            result.latencies_ms += local_lat
            for k, v in local_status.items():
                result.statuses[k] = result.statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = seconds
    return result


def python() -> str:
    return sys.executable


# A million-case PostgreSQL database for the queue and sweep benchmarks: 30% open, due times spread around now.
FILL = """
INSERT INTO accounts_customer (email, phone, name, segment, language, external_account_id, created_at)
SELECT 'bulk' || g || '@customer.test', '', '', CASE WHEN g % 20 = 0 THEN 'institutional' ELSE 'individual' END,
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


def fill_cases(database_url: str, cases: int, *, explain: str) -> None:
    """Fill with ``FILL`` and print the counts, the time it took and the plan of ``explain``."""
    import psycopg

    t0 = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(FILL.replace("%(cases)s", str(cases)))
        total = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status <> 'resolved') FROM cases_case"
        ).fetchone()
        plan = conn.execute(f"EXPLAIN ANALYZE {explain}").fetchall()
    assert total is not None
    print(
        json.dumps(
            {"cases": total[0], "open_cases": total[1], "fill_seconds": round(time.monotonic() - t0, 1)}
        )
    )
    print("\n".join(row[0] for row in plan), flush=True)


def _stat_cpu_seconds(stat: str) -> float:
    """User + system CPU from the text of ``/proc/<pid>/stat``."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (all its threads); 0 once it has gone."""
    try:
        return _stat_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())
    except OSError:
        return 0.0


def child_pids(pid: int) -> list[int]:
    """The live children of a process (of any of its threads)."""
    try:
        return [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except OSError:
        return []


def postgres_cpu_seconds() -> float:
    """User + system CPU of the live PostgreSQL server processes on this machine (its backends included)."""
    return named_cpu_seconds("postgres")


def named_cpu_seconds(name: str) -> float:
    """User + system CPU of the live processes on this machine whose command name is ``name``."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if text.split(" (", 1)[1].startswith(f"{name})"):
            total += _stat_cpu_seconds(text)
    return total


def free_redis_db(base_url: str) -> str:
    """A Redis database number with no keys in it (flushed again when the run is over)."""
    import redis

    base = base_url.rstrip("/")
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{base}/{number}")
        try:
            if client.dbsize() == 0:
                return f"{base}/{number}"
        finally:
            client.close()
    raise RuntimeError(f"no empty Redis database at {base_url}")


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def redis_reachable(base_url: str) -> bool:
    parts = urlsplit(base_url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5
        ) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def installation(database: str, redis_base: str, **env: str):
    """``fresh_installation`` with ``env`` added and, for PostgreSQL when Redis answers at ``redis_base``, an
    empty Redis database of its own; the data directory and the Redis database are removed afterwards."""
    home = None
    redis_url = ""
    try:
        with fresh_installation(database) as inst:
            home = inst.home
            inst.env.update({"DJANGO_SETTINGS_MODULE": "clearline.config.settings", **env})
            inst.env.pop("REDIS_URL", None)
            if database != "sqlite" and redis_base and redis_reachable(redis_base):
                redis_url = free_redis_db(redis_base)
                inst.env["REDIS_URL"] = redis_url
            yield inst
    finally:
        if redis_url:
            flush_redis(redis_url)
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)
