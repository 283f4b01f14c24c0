"""A fresh Clearline installation in a temporary data directory, driven through the ``clearline`` command:
SQLite by default, a throw-away PostgreSQL database when DATABASE_URL is set (the CI run)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

CLEARLINE = [sys.executable, "-m", "clearline"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(env: dict[str, str], *args: str, stdin: str | bytes | None = None) -> str:
    done = subprocess.run(
        [*CLEARLINE, *args],
        env=env,
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


CLAIM = "clearline:test-installation"


def own_redis_database(url: str) -> str:
    """A Redis database of its own (claimed atomically, flushed afterwards): an installation sharing the
    test run's database would run other tests' jobs, and they its own."""
    base = urlunsplit(urlsplit(url)._replace(path=""))
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{base}/{number}")
        try:
            if client.set(CLAIM, os.getpid(), nx=True, ex=3600):
                return f"{base}/{number}"
        finally:
            client.close()
    raise RuntimeError(f"no free Redis database at {base}")


def flush_redis_database(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


@contextlib.contextmanager
def installation(home: Path, **settings: str) -> Iterator[dict[str, str]]:
    """Migrated and ready; yields the environment that every ``clearline`` call of the test uses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update({"CLEARLINE_HOME": str(home), "DEBUG": "1", **settings})
    admin = database = None
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        database = f"clearline_e2e_{uuid.uuid4().hex[:10]}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    if env.get("REDIS_URL"):
        env["REDIS_URL"] = own_redis_database(env["REDIS_URL"])
    try:
        run(env, "migrate", "-v", "0")
        yield env
    finally:
        if env.get("REDIS_URL"):
            flush_redis_database(env["REDIS_URL"])
        if admin and database:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
