"""``clearline serve``: the web app (HTTP + WebSocket) and, as child processes, the job consumer and the
SMTP receiver (when ``CLEARLINE_SMTP_LISTEN`` is set).

With more than one web process, ``serve`` loads the application (Django, every view, the frozen heap) and
binds the port once, then forks the web processes: they share those pages instead of each loading its own
copy, and the kernel hands each new connection to one of them. A web process that dies is forked again.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import traceback
from socket import socket
from types import FrameType
from typing import Any

import uvicorn
from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from huey.contrib.djhuey import HUEY

PR_SET_PDEATHSIG = 1
# The job consumer runs a little behind requests when both want the CPU: a burst of intake is answered
# first and its acknowledgements follow (queued and durable); when the CPU is free the consumer runs at once.
CONSUMER_NICENESS = 5
STARTUP_FAILURE = 3  # uvicorn's exit code when it cannot start (the port is taken, the app fails to import)


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if ``serve`` dies, even by SIGKILL, so no consumer is orphaned."""
    with contextlib.suppress(OSError):  # not Linux: the finally block still stops the child on a normal exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start_consumer() -> None:
    _die_with_parent()
    os.nice(CONSUMER_NICENESS)


MAX_AUTO_WEB_PROCESSES = 4


def web_processes(value: str) -> int:
    """``auto``: one web process per usable core (a Python process runs its requests on one core at a time),
    at most 4; the processes share the loaded application's memory."""
    if value == "auto":
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, min(usable, MAX_AUTO_WEB_PROCESSES))
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"web processes must be a positive number or auto, not {value!r}")
    return int(value)


def _exit_quietly(signum: int, frame: FrameType | None) -> None:
    # uvicorn restores this handler and re-raises the signal once it has shut down gracefully.
    raise SystemExit(0)


def _serve_here(config: uvicorn.Config, sockets: list[socket] | None = None) -> None:
    server = uvicorn.Server(config)
    server.run(sockets=sockets)
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


def _fork_web_process(config: uvicorn.Config, listener: socket) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the child: serve until SIGTERM, then leave without running the parent's clean-up
        signal.signal(signal.SIGTERM, _exit_quietly)
        signal.signal(signal.SIGINT, _exit_quietly)
        _die_with_parent()
        _serve_here(config, [listener])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve_forked(config: uvicorn.Config, processes: int) -> None:
    config.load()  # imports the app: Django is set up, every view imported, the heap frozen (config/asgi.py)
    listener = config.bind_socket()
    # No connection may be shared by the forked processes (each opens its own on first use).
    connections.close_all()
    caches.close_all()
    HUEY.storage.close()
    web: set[int] = set()
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in web:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(processes):
        if not stopping:
            web.add(_fork_web_process(config, listener))
    while web:
        time.sleep(0.2)
        for pid in list(web):
            ended, status = os.waitpid(pid, os.WNOHANG)
            if not ended:
                continue
            web.discard(pid)
            code = os.waitstatus_to_exitcode(status)
            if code == STARTUP_FAILURE:
                stop(signal.SIGTERM, None)
                raise SystemExit(STARTUP_FAILURE)
            if not stopping:
                print(
                    f"web process {pid} ended ({code}); starting another",
                    file=sys.stderr,
                    flush=True,
                )
                web.add(_fork_web_process(config, listener))
    listener.close()


class Command(BaseCommand):
    help = (
        "Serve Clearline: web (HTTP + WebSocket) plus the job consumer and scheduler, in one process group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the job consumer (scale-out)."
        )
        parser.add_argument(
            "--web-processes",
            type=web_processes,
            default=os.environ.get("CLEARLINE_WEB_PROCESSES", "auto"),  # argparse applies the type to it
            help="Web processes sharing the port: a number, or auto (default): one per usable core, up to 4.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children: list[subprocess.Popen[bytes]] = []
        signal.signal(signal.SIGTERM, _exit_quietly)
        if not options["no_worker"]:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "clearline", "worker"],
                    env=os.environ.copy(),
                    preexec_fn=_start_consumer,  # noqa: PLW1509 - runs before any server thread starts
                )
            )
        if settings.SMTP_LISTEN:  # the inbound SMTP receiver, its own process beside the web
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "clearline", "smtp-receiver"],
                    env=os.environ.copy(),
                    preexec_fn=_die_with_parent,  # noqa: PLW1509
                )
            )
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Clearline on {address} (data in {settings.CLEARLINE_HOME})")
        config = uvicorn.Config(
            "clearline.config.asgi:application",
            host=options["host"],
            port=options["port"],
            lifespan="off",
            access_log=False,
            log_level="warning",
            server_header=False,
            backlog=2048,
        )
        try:
            if options["web_processes"] > 1:
                _serve_forked(config, options["web_processes"])
            else:
                _serve_here(config)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
