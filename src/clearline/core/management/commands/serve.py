"""``clearline serve``: the web app (HTTP + WebSocket) and, as child processes, the job consumer and the
SMTP receiver (when ``CLEARLINE_SMTP_LISTEN`` is set)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

PR_SET_PDEATHSIG = 1
# The job consumer runs a little behind requests when both want the CPU: a burst of intake is answered
# first and its acknowledgements follow (queued and durable); when the CPU is free the consumer runs at once.
CONSUMER_NICENESS = 5


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if ``serve`` dies, even by SIGKILL, so no consumer is orphaned."""
    with contextlib.suppress(OSError):  # not Linux: the finally block still stops the child on a normal exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start_consumer() -> None:
    _die_with_parent()
    os.nice(CONSUMER_NICENESS)


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
            type=int,
            default=int(os.environ.get("CLEARLINE_WEB_PROCESSES", "1")),
            help="Web processes sharing the port (default 1; more use more cores).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children: list[subprocess.Popen[bytes]] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            # uvicorn restores this handler and re-raises the signal once it has shut down gracefully.
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
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
        try:
            uvicorn.run(
                "clearline.config.asgi:application",
                host=options["host"],
                port=options["port"],
                lifespan="off",
                access_log=False,
                log_level="warning",
                server_header=False,
                backlog=2048,
                workers=max(1, options["web_processes"]),
            )
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
