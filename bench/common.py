"""Shared plumbing for benchmarks: a fresh Clearline server on a fresh database, and a load generator."""

from __future__ import annotations

import http.client
import json
import os
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
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become ready")


def stop_server(installation: Installation) -> None:
    if installation.server is not None:
        installation.server.terminate()
        installation.server.wait(timeout=30)
        installation.server = None


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the serve command and its job consumer)."""
    total_kb = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


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
