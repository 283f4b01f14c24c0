"""Real mail peers for the email tests: a dovecot IMAP server and an aiosmtpd SMTP server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    username: str
    password: str


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    """dovecot as in ../shared/testing.md, one per test process, on a free port."""
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (make test installs dovecot-imapd)")
    base = Path(tempfile.mkdtemp(prefix="clearline-dovecot-"))  # pytest's tmp is 0700: dovecot's user
    base.chmod(0o755)  # must reach the users file and the mail folder
    port = free_port()
    for name in ("run", "state", "mail"):
        (base / name).mkdir()
    shutil.chown(base / "mail", "dovecot", "dovecot")
    (base / "users").write_text("support@test.local:{PLAIN}secret\n")
    (base / "dovecot.conf").write_text(
        f"""base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={base}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    subprocess.run([DOVECOT, "-c", str(base / "dovecot.conf")], check=True)
    _wait_for_port(port)
    yield ImapServer("127.0.0.1", port, "support@test.local", "secret")
    pid = int((base / "run" / "master.pid").read_text())
    subprocess.run(["kill", str(pid)], check=False)
    shutil.rmtree(base, ignore_errors=True)


@dataclass
class SmtpSink:
    """A real SMTP server that keeps what it receives: (envelope sender, recipients, bytes)."""

    port: int
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def ingest(django_capture_on_commit_callbacks: Any) -> Any:
    """``ingest(raw)``: the pipe path, with what runs after commit (the acknowledgement's delivery) run
    as a real commit would run it; pytest-django's transaction never commits."""
    from clearline.channels.email import services

    def run(raw: bytes, *, source: str = "pipe") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            inbound = services.ingest_email(raw, source=source)
        inbound.refresh_from_db()
        return inbound

    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """``with committed(): ...`` runs the block's after-commit work (deliveries) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
