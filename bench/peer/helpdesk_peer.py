"""Peer benchmark: ticket creation over HTTP in django-helpdesk 2.6.1, on this machine, side by side.

Standalone (stdlib only); it drives a separate virtualenv and a demo Django project as subprocesses:

* ``bench/.work/helpdesk-venv``  -- django-helpdesk 2.6.1 + uvicorn (pinned below), created once and reused;
* ``bench/.work/helpdesk-demo``  -- ``django-admin startproject demo .`` plus the settings helpdesk needs,
  migrated once into a template SQLite file (superuser + a public "support" queue) that every run copies,
  so each run starts from the same empty database, as Clearline's benchmark does.

Each run starts one ``uvicorn demo.asgi:application`` process, logs every client in once through the
session login form, then has ``--clients`` threads (one keep-alive ``http.client`` connection, session
cookie and CSRF token each) POST tickets to ``/helpdesk/api/tickets/`` for 2 s of warm-up and
``--seconds`` of measurement, and prints one JSON line.

    python3 bench/peer/helpdesk_peer.py [--seconds 20] [--clients 16] [--sqlite wal|default]

``run_peer(clients=16, seconds=20) -> dict`` is the same thing for other scripts (bench/intake.py).

Mail intake: ``--get-email DIR`` (``run_get_email(eml_dir) -> dict``) copies the ``.eml`` files of DIR (for
instance a corpus from ``bench/email_corpus.py``) into a local mailbox folder, adds a queue reading it
(``email_box_type="local"``) to a fresh copy of the template database, and times one ``manage.py get_email``
over it; ``manage.py check`` is timed once beforehand as the start-up (interpreter + Django set-up + system
checks, which get_email also runs), so the rate can be given with and without it.

    python3 bench/peer/helpdesk_peer.py --get-email DIR [--sqlite wal|default]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HELPDESK_VERSION = "2.6.1"
# What `pip install django-helpdesk==2.6.1 uvicorn` resolved to here; pinned so later runs measure the same.
DJANGO_VERSION = "5.2.19"
# Clearline serves with uvicorn[standard]==0.54.0 (uvloop + httptools); the peer gets the same server stack,
# not plain uvicorn's pure-Python h11 parser and asyncio loop.
UVICORN_VERSION = "0.54.0"
REQUIREMENTS = [
    f"django-helpdesk=={HELPDESK_VERSION}",
    f"Django=={DJANGO_VERSION}",
    f"uvicorn[standard]=={UVICORN_VERSION}",
]

BENCH = Path(__file__).resolve().parent.parent
WORK = BENCH / ".work"
VENV = WORK / "helpdesk-venv"
DEMO = WORK / "helpdesk-demo"
VENV_PY = VENV / "bin" / "python"
STATE = DEMO / "bench-state.json"  # written last by the set-up: its presence means the demo is ready
TEMPLATE_DB = DEMO / "template.sqlite3"
RUN_DB = DEMO / "run.sqlite3"
OUTBOX = DEMO / "outbox"
SERVER_LOG = DEMO / "server.log"
MAILBOX = DEMO / "mailbox"  # the local mail folder get_email reads (and empties: it deletes what it took)
MEDIA = DEMO / "media"  # MEDIA_ROOT: get_email stores each message's HTML part and attachments here

USERNAME = "bench"
PASSWORD = "a long benchmark passphrase"
API_PATH = "/helpdesk/api/tickets/"
LOGIN_PATH = "/helpdesk/login/"

# The same text Clearline's intake benchmark sends (bench/intake.py), padded to ~300 characters.
DESCRIPTION = (
    "Hello, I sent 0.25 ETH from my hardware wallet to my deposit address four hours ago. The "
    "transaction shows as confirmed on the explorer but my balance has not changed. Could you "
    "please check what is happening and let me know when it will be credited? Thank you."
)

SETTINGS_BLOCK = """

# ---- added by bench/peer/helpdesk_peer.py ----
import os as _os

INSTALLED_APPS += [
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1
HELPDESK_TEAMS_MODE_ENABLED = False
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGIN_URL = "helpdesk:login"

# PEER_SQLITE=wal gives the peer the same SQLite settings Clearline runs with (WAL, synchronous=NORMAL,
# BEGIN IMMEDIATE, 20 s busy timeout); PEER_SQLITE=default leaves Django's defaults (rollback journal,
# synchronous=FULL, 5 s timeout).
_OPTIONS = {}
if _os.environ.get("PEER_SQLITE", "default") == "wal":
    _OPTIONS = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _os.environ.get("PEER_DB", str(BASE_DIR / "template.sqlite3")),
        "OPTIONS": _OPTIONS,
    }
}

# Helpdesk mails the submitter synchronously inside the request; write those mails to files (as Clearline
# writes .eml files to its outbox) instead of failing to reach an SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = _os.environ.get("PEER_OUTBOX", str(BASE_DIR / "outbox"))
DEFAULT_FROM_EMAIL = "support@demo.test"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_ROOT = BASE_DIR / "media"
"""

URLS_PY = """from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("helpdesk/", include("helpdesk.urls")),
]
"""

SEED = f"""
from django.contrib.auth import get_user_model
from helpdesk.models import Queue
User = get_user_model()
if not User.objects.filter(username={USERNAME!r}).exists():
    User.objects.create_superuser({USERNAME!r}, "bench@demo.test", {PASSWORD!r})
queue, _ = Queue.objects.get_or_create(
    slug="support", defaults={{"title": "Support", "allow_public_submission": True}})
print(queue.id)
"""


# The queue get_email reads. helpdesk.email.process_email() only takes queues with an email_box_type and
# allow_email_submission, and only when email_box_last_check + email_box_interval (minutes, default 5) is in
# the past, so the interval is 0 and the last check a day ago. email_address is the address the corpus is
# sent to, so helpdesk does not add it to each ticket as a CC; logging_type "none" acts as the default (null)
# (no queue log file).
MAIL_QUEUE = """
import datetime
from django.utils import timezone
from helpdesk.models import Queue
queue = Queue.objects.create(
    title="Mail",
    slug="mail",
    email_address="support@example.com",
    allow_email_submission=True,
    email_box_type="local",
    email_box_local_dir={mailbox!r},
    email_box_interval=0,
    email_box_last_check=timezone.now() - datetime.timedelta(days=1),
    logging_type="none",
)
print(queue.id)
"""


def log(message: str) -> None:
    print(f"[helpdesk-peer] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200, check=False)
    if done.returncode:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout[-2000:]}"
            f"\n{done.stderr[-4000:]}"
        )
    return done.stdout


def demo_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV", "PEER_"))
    }
    env.update(extra)
    return env


def installed_versions() -> dict[str, str]:
    out = run([str(VENV_PY), "-m", "pip", "freeze"])
    return {name.lower(): version for name, _, version in (line.partition("==") for line in out.split())}


def ensure_venv() -> dict[str, str]:
    marker = VENV / "bench-ready.json"  # written last: its presence means the venv is complete
    wanted = {"python": sys.version.split()[0], "requirements": REQUIREMENTS}
    if not marker.exists() or json.loads(marker.read_text()) != wanted:
        if VENV.exists():
            shutil.rmtree(VENV)  # half-made, or made for other pins
        WORK.mkdir(parents=True, exist_ok=True)
        log(f"creating {VENV} and installing {' '.join(REQUIREMENTS)}")
        run([sys.executable, "-m", "venv", str(VENV)])
        run([str(VENV_PY), "-m", "pip", "install", "--quiet", *REQUIREMENTS])
        marker.write_text(json.dumps(wanted))
    versions = installed_versions()
    log(
        f"peer venv: django-helpdesk {versions.get('django-helpdesk')}, Django {versions.get('django')}, "
        f"uvicorn {versions.get('uvicorn')}, uvloop {versions.get('uvloop')}, "
        f"httptools {versions.get('httptools')}"
    )
    return versions


def setup_fingerprint() -> str:
    return hashlib.sha256(f"{REQUIREMENTS}{SETTINGS_BLOCK}{URLS_PY}{SEED}".encode()).hexdigest()[:16]


def ensure_demo() -> dict:
    if STATE.exists():
        state = json.loads(STATE.read_text())
        if state.get("fingerprint") == setup_fingerprint():
            return state
        log("the demo project was made by another version of this script: remaking it")
    if DEMO.exists():
        shutil.rmtree(DEMO)  # a half-made demo from an interrupted run
    DEMO.mkdir(parents=True)
    log(f"creating the demo project in {DEMO}")
    env = demo_env()
    run([str(VENV / "bin" / "django-admin"), "startproject", "demo", "."], cwd=DEMO, env=env)
    settings = DEMO / "demo" / "settings.py"
    settings.write_text(settings.read_text() + SETTINGS_BLOCK)
    (DEMO / "demo" / "urls.py").write_text(URLS_PY)
    # The template is made in SQLite's default journal mode; PEER_SQLITE=wal switches each run's copy.
    env = demo_env(PEER_DB=str(TEMPLATE_DB), PEER_SQLITE="default")
    run([str(VENV_PY), "manage.py", "check"], cwd=DEMO, env=env)
    run([str(VENV_PY), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=DEMO, env=env)
    queue_id = int(run([str(VENV_PY), "manage.py", "shell", "-c", SEED], cwd=DEMO, env=env).split()[-1])
    state = {
        "fingerprint": setup_fingerprint(),
        "queue_id": queue_id,
        "username": USERNAME,
        "password": PASSWORD,
    }
    STATE.write_text(json.dumps(state))
    return state


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{RUN_DB}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(TEMPLATE_DB, RUN_DB)
    shutil.rmtree(OUTBOX, ignore_errors=True)
    OUTBOX.mkdir()


def start_server(port: int, sqlite_mode: str) -> subprocess.Popen:
    env = demo_env(PEER_DB=str(RUN_DB), PEER_OUTBOX=str(OUTBOX), PEER_SQLITE=sqlite_mode)
    logfile = SERVER_LOG.open("wb")
    server = subprocess.Popen(
        [
            str(VENV / "bin" / "uvicorn"),
            "demo.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=DEMO,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    logfile.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"peer server exited ({server.returncode}):\n{SERVER_LOG.read_text()[-4000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", LOGIN_PATH)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"peer server did not answer within 60 s:\n{SERVER_LOG.read_text()[-4000:]}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.msg.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value


def session_login(
    port: int, username: str, password: str
) -> tuple[http.client.HTTPConnection, dict[str, str]]:
    """Log in through the helpdesk login form; returns the connection and the API headers to reuse."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    jar: dict[str, str] = {}
    conn.request("GET", LOGIN_PATH)
    response = conn.getresponse()
    page = response.read().decode()
    _cookies(response, jar)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not match or "csrftoken" not in jar:
        raise RuntimeError(f"login page: HTTP {response.status}, no CSRF token")
    form = urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": match.group(1),
            "next": "/helpdesk/",
        }
    )
    conn.request(
        "POST",
        LOGIN_PATH,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
        },
    )
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login failed: HTTP {response.status}")
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"csrftoken={jar['csrftoken']}; sessionid={jar['sessionid']}",
        "X-CSRFToken": jar["csrftoken"],
    }
    return conn, headers


def run_load(port: int, state: dict, *, clients: int, seconds: float, warmup: float = 2.0) -> dict:
    """``clients`` threads, one keep-alive connection and session each.

    Counts requests started inside the measured window (as bench/common.py's run_load does)."""
    queue_id = state["queue_id"]
    sessions = []
    log(f"logging {clients} clients in (one password check each, before the clock starts)")
    for _ in range(clients):
        sessions.append(session_login(port, state["username"], state["password"]))

    lock = threading.Lock()
    totals = {"ok": 0, "errors": 0, "latencies": [], "statuses": {}, "error_samples": []}
    start_line = threading.Barrier(clients + 1)
    window: dict[str, float] = {}

    def worker(n: int) -> None:
        conn, headers = sessions[n]
        # Bodies are formatted from a prefix, so a request costs one string join and an encode.
        prefix = f'{{"queue": {queue_id}, "priority": 3, "submitter_email": "c{n}-'
        middle = '@customer.test", "title": "Deposit not credited #'
        suffix = f'", "description": {json.dumps(DESCRIPTION)}}}'
        ok = errors = 0
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        samples: list[str] = []
        i = 0
        start_line.wait()
        start_measure, stop_at = window["start"], window["stop"]
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            payload = f"{prefix}{i % 500}{middle}{i}{suffix}".encode()
            t0 = time.perf_counter()
            try:
                conn.request("POST", API_PATH, body=payload, headers=headers)
                response = conn.getresponse()
                data = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status, data = 0, repr(exc).encode()
            elapsed = (time.perf_counter() - t0) * 1000.0
            if now >= start_measure:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    ok += 1
                    latencies.append(elapsed)
                else:
                    errors += 1
                    if len(samples) < 3:
                        samples.append(f"{status}: {data[:300]!r}")
            i += 1
        conn.close()
        with lock:
            totals["ok"] += ok
            totals["errors"] += errors
            totals["latencies"] += latencies
            for k, v in statuses.items():
                totals["statuses"][k] = totals["statuses"].get(k, 0) + v
            totals["error_samples"] += samples[: max(0, 3 - len(totals["error_samples"]))]

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    window["start"] = time.monotonic() + warmup
    window["stop"] = window["start"] + seconds
    start_line.wait()
    time.sleep(max(0.0, window["start"] - time.monotonic()))
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.monotonic()
    time.sleep(max(0.0, window["stop"] - time.monotonic()))
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic() - wall0
    for t in threads:
        t.join()
    loader_cpu = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    totals["loader_cpu_pct"] = round(100.0 * loader_cpu / wall, 1) if wall else 0.0
    return totals


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    lat = sorted(latencies) or [0.0]
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return round(q[49], 1), round(q[94], 1), round(q[98], 1)


def run_peer(clients: int = 16, seconds: float = 20, sqlite: str = "wal") -> dict:
    """Set up (once), start the peer server, load it, stop it, and return the result line as a dict."""
    if sqlite not in ("wal", "default"):
        raise ValueError("sqlite must be 'wal' or 'default'")
    versions = ensure_venv()
    state = ensure_demo()
    fresh_database()
    port = free_port()
    log(f"starting uvicorn demo.asgi:application on 127.0.0.1:{port} (SQLite: {sqlite})")
    server = start_server(port, sqlite)
    try:
        cpu_before = cpu_seconds(server.pid)
        t0 = time.monotonic()
        load = run_load(port, state, clients=clients, seconds=seconds)
        server_cpu_pct = round(100.0 * (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - t0), 1)
        alive = server.poll() is None
    finally:
        stop_server(server)
    with sqlite3.connect(RUN_DB) as db:
        tickets_in_db = db.execute("SELECT COUNT(*) FROM helpdesk_ticket").fetchone()[0]
    if load["error_samples"]:
        log("sample errors: " + " | ".join(load["error_samples"]))
    if not alive:
        log(f"the peer server died during the run; see {SERVER_LOG}")
    p50, p95, p99 = percentiles(load["latencies"])
    return {
        "system": f"django-helpdesk {versions.get('django-helpdesk', HELPDESK_VERSION)}",
        "path": f"POST {API_PATH}",
        "clients": clients,
        "seconds": seconds,
        "created": load["ok"],
        "errors": load["errors"],
        "rate_per_s": round(load["ok"] / seconds, 1) if seconds else 0.0,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "statuses": {str(k): v for k, v in sorted(load["statuses"].items())},
        "django": versions.get("django"),
        "server": f"uvicorn[standard] {versions.get('uvicorn')}, 1 process (Django sync views on ASGI)",
        "database": (
            "sqlite, WAL + synchronous=NORMAL (as Clearline)"
            if sqlite == "wal"
            else "sqlite, Django defaults (rollback journal, synchronous=FULL)"
        ),
        "auth": "session cookie + CSRF, one login per client",
        "tickets_in_db": tickets_in_db,  # includes warm-up tickets and requests in flight at the edges
        "server_cpu_pct": server_cpu_pct,  # of one core, over logins + warm-up + measurement
        "loader_cpu_pct": load["loader_cpu_pct"],  # this script's own CPU during the measured window
    }


def run_get_email(eml_dir: Path, sqlite: str = "wal") -> dict:
    """Set up (once), then time ``manage.py get_email`` over a copy of ``eml_dir``'s ``.eml`` files.

    ``seconds`` is the wall clock of the get_email subprocess alone (queue creation and copying are outside
    it); ``startup_seconds`` is one ``manage.py check`` run just before, the fixed cost any management
    command pays before its first message."""
    if sqlite not in ("wal", "default"):
        raise ValueError("sqlite must be 'wal' or 'default'")
    sources = sorted(p for p in Path(eml_dir).glob("*.eml") if p.is_file())
    if not sources:
        raise ValueError(f"no .eml files in {eml_dir}")
    versions = ensure_venv()
    ensure_demo()
    fresh_database()
    shutil.rmtree(MAILBOX, ignore_errors=True)
    MAILBOX.mkdir()
    for source in sources:
        shutil.copyfile(source, MAILBOX / source.name)
    shutil.rmtree(MEDIA, ignore_errors=True)  # attachments stored by earlier runs
    env = demo_env(PEER_DB=str(RUN_DB), PEER_OUTBOX=str(OUTBOX), PEER_SQLITE=sqlite)
    manage = [str(VENV_PY), "manage.py"]
    run([*manage, "shell", "-c", MAIL_QUEUE.format(mailbox=str(MAILBOX))], cwd=DEMO, env=env)

    t0 = time.perf_counter()
    run([*manage, "check"], cwd=DEMO, env=env)
    startup = time.perf_counter() - t0
    log(f"get_email over {len(sources)} messages in {MAILBOX} (SQLite: {sqlite}; start-up {startup:.2f} s)")
    t0 = time.perf_counter()
    run([*manage, "get_email", "--quiet"], cwd=DEMO, env=env)
    seconds = time.perf_counter() - t0

    with sqlite3.connect(RUN_DB) as db:
        tickets, followups, attachments = (
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("helpdesk_ticket", "helpdesk_followup", "helpdesk_followupattachment")
        )
    left = sum(
        1 for p in MAILBOX.iterdir() if p.is_file()
    )  # get_email deletes each message it turned into a ticket
    # Django's file backend appends each mail and a line of 79 dashes to a file per connection and second.
    separator = b"\n" + b"-" * 79 + b"\n"
    mails_out = sum(p.read_bytes().count(separator) for p in OUTBOX.iterdir() if p.is_file())
    if tickets != len(sources):
        log(
            f"{len(sources)} messages gave {tickets} tickets and {followups} follow-ups; {left} left in the folder"
        )
    messages = len(sources)
    return {
        "system": "django-helpdesk",
        "version": versions.get("django-helpdesk", HELPDESK_VERSION),
        "path": "get_email (local folder)",
        "messages": messages,
        "tickets": tickets,
        "followups": followups,
        "attachments": attachments,  # each message's HTML part is stored as one too
        "left_in_folder": left,
        "mails_sent": mails_out,  # acknowledgements to the submitters, written synchronously to files
        "seconds": round(seconds, 3),
        "rate_per_s": round(messages / seconds, 1),
        "startup_seconds": round(startup, 3),
        "rate_per_s_without_startup": round(messages / (seconds - startup), 1) if seconds > startup else None,
        "django": versions.get("django"),
        "database": (
            "sqlite, WAL + synchronous=NORMAL (as Clearline)"
            if sqlite == "wal"
            else "sqlite, Django defaults (rollback journal, synchronous=FULL)"
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--sqlite",
        choices=("wal", "default"),
        default="wal",
        help="wal: Clearline's SQLite settings (default); default: Django's stock settings",
    )
    parser.add_argument(
        "--get-email",
        metavar="DIR",
        type=Path,
        help="time manage.py get_email over the .eml files in DIR instead of the HTTP load",
    )
    args = parser.parse_args(argv)
    if args.get_email is not None:
        mail = run_get_email(args.get_email, sqlite=args.sqlite)
        print(json.dumps(mail), flush=True)
        if not mail["tickets"]:
            sys.exit(1)  # nothing was created: the set-up is broken, not slow
        return
    result = run_peer(clients=args.clients, seconds=args.seconds, sqlite=args.sqlite)
    print(json.dumps(result), flush=True)
    if not result["created"]:
        sys.exit(1)  # nothing was created: the peer set-up is broken, not slow


if __name__ == "__main__":
    main()
