"""Email through real processes: `clearline serve` with its SMTP receiver and job consumer, the MTA pipe
(`clearline ingest-email`), and a processing worker killed with SIGKILL in the middle of 1,000 messages.
Runs on SQLite, and on a throw-away PostgreSQL database when DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest

from .installation import CLEARLINE, free_port, installation, run
from .test_serve import wait_until_healthy

STATE = """
import json
from clearline.channels.email.models import InboundEmail
from clearline.cases.models import Case, Message
rows = list(InboundEmail.objects.values("status", "case_id", "case_message_id", "thread_match", "source"))
print(json.dumps({
    "inbound": rows,
    "cases": Case.objects.filter(method="email").count(),
    "customer_messages": Message.objects.filter(purpose="customer_message").count(),
}))
"""


def state(env: dict[str, str]) -> dict[str, object]:
    output = run(env, "shell", "-c", STATE)
    return dict(json.loads(output.strip().splitlines()[-1]))


def customer_mail(n: int, *, in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = f"Customer {n} <c{n}@customer.test>"
    message["To"] = "support@firm.test"
    message["Subject"] = f"Deposit {n} not credited"
    message["Message-ID"] = make_msgid(idstring=str(n), domain="customer.test")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(
        f"My deposit number {n} of 120 USDC has not been credited after two hours. Please check."
    )
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def test_serve_receives_by_smtp_acknowledges_and_the_pipe_threads_the_reply_dfs_12_prd_01(tmp_path: Path):
    """DFS-12 at any hour through the real SMTP receiver and job consumer; PRD-01 for the piped reply."""
    smtp_port, web_port = free_port(), free_port()
    with installation(
        tmp_path, CLEARLINE_SUPPORT_DOMAIN="firm.test", CLEARLINE_SMTP_LISTEN=f"127.0.0.1:{smtp_port}"
    ) as env:
        server = subprocess.Popen([*CLEARLINE, "serve", "--port", str(web_port)], env=env)
        try:
            wait_until_healthy(f"http://127.0.0.1:{web_port}")
            deadline = time.monotonic() + 30
            while True:
                try:
                    client = smtplib.SMTP("127.0.0.1", smtp_port, timeout=10)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the SMTP receiver did not start"
                    time.sleep(0.2)
            with client:
                for n in range(3):
                    client.sendmail(f"c{n}@customer.test", ["support@firm.test"], customer_mail(n))
                with pytest.raises(smtplib.SMTPRecipientsRefused):  # never an open relay
                    client.sendmail("c9@customer.test", ["someone@gmail.test"], customer_mail(9))
            outbox = tmp_path / "outbox"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(list(outbox.glob("*.eml"))) < 3:
                time.sleep(0.2)
            acknowledgements = [path.read_bytes() for path in sorted(outbox.glob("*.eml"))]
            assert len(acknowledgements) == 3
        finally:
            server.terminate()
            server.wait(timeout=20)

        first = next(mail for mail in acknowledgements if b"c0@customer.test" in mail)
        our_id = next(line for line in first.split(b"\r\n") if line.startswith(b"Message-ID:")).split(
            b" ", 1
        )[1]
        reply = customer_mail(0, in_reply_to=our_id.decode())  # customer 0 answers our acknowledgement
        reference = run(env, "ingest-email", stdin=reply).strip()
        again = run(env, "ingest-email", stdin=reply).strip()  # the MTA retried: stored once

        after = state(env)
    assert reference.startswith("CL-") and again == reference and reference.encode() in first
    assert [row["source"] for row in after["inbound"]] == ["smtp", "smtp", "smtp", "pipe"]  # type: ignore[index]
    assert after["cases"] == 3 and after["customer_messages"] == 4


def test_a_worker_killed_mid_batch_leaves_every_message_in_exactly_one_case_or_quarantine(tmp_path: Path):
    """Nothing is lost and nothing is doubled: 1,000 stored messages, SIGKILL while they are being filed,
    then a fresh process finishes the batch."""
    with installation(tmp_path, CLEARLINE_SUPPORT_DOMAIN="firm.test") as env:
        batch = tmp_path / "batch"
        batch.mkdir()
        for n in range(1000):
            raw = customer_mail(n)
            if n % 100 == 7:
                raw = b"Subject: no sender\r\n\r\nnobody to answer\r\n"  # to quarantine, one of each kind
                raw += str(n).encode()
            (batch / f"{n:04}.eml").write_bytes(raw)
        run(env, "shell", "-c", STORE.format(folder=str(batch)))
        worker = subprocess.Popen([*CLEARLINE, "shell", "-c", PROCESS], env=env, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill it once it is well into the batch
            filed = [row for row in state(env)["inbound"] if row["status"] != "received"]  # type: ignore[attr-defined]
            if len(filed) >= 150:
                break
            time.sleep(0.3)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        interrupted = state(env)
        assert any(row["status"] == "received" for row in interrupted["inbound"])  # type: ignore[attr-defined]

        run(env, "shell", "-c", PROCESS)  # the restart
        final = state(env)

    rows = final["inbound"]
    assert len(rows) == 1000  # type: ignore[arg-type]
    statuses = [row["status"] for row in rows]  # type: ignore[attr-defined]
    assert statuses.count("quarantined") == 10 and statuses.count("filed") == 990
    filed = [row for row in rows if row["status"] == "filed"]  # type: ignore[attr-defined]
    assert len({row["case_message_id"] for row in filed}) == 990  # one timeline entry each
    assert final["cases"] == 990 and final["customer_messages"] == 990  # no case twice, none missing


def test_two_workers_filing_the_same_messages_at_once_file_each_exactly_once_prd_01(tmp_path: Path):
    """The sweep and a job (or two workers) filing one stored message at the same moment: the guard on the
    stored email lets one write the case and the other write nothing. Two processes race through the same
    300 messages in the same order, so nearly every message is contended."""
    with installation(tmp_path, CLEARLINE_SUPPORT_DOMAIN="firm.test") as env:
        batch = tmp_path / "batch"
        batch.mkdir()
        for n in range(300):
            (batch / f"{n:04}.eml").write_bytes(customer_mail(n))
        run(env, "shell", "-c", STORE.format(folder=str(batch)))
        workers = [
            subprocess.Popen([*CLEARLINE, "shell", "-c", PROCESS], env=env, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outcomes = [worker.communicate(timeout=300) for worker in workers]
        final = state(env)

    assert [worker.returncode for worker in workers] == [0, 0], [err.decode()[-2000:] for _, err in outcomes]
    rows = final["inbound"]
    assert [row["status"] for row in rows] == ["filed"] * 300  # type: ignore[attr-defined,union-attr]
    assert len({row["case_message_id"] for row in rows}) == 300  # type: ignore[attr-defined,union-attr]
    assert final["cases"] == 300 and final["customer_messages"] == 300  # no case twice, none missing


STORE = """
from pathlib import Path
from clearline.channels.email.services import record_inbound_email
for path in sorted(Path({folder!r}).glob("*.eml")):
    record_inbound_email(path.read_bytes(), source="pipe")
"""

PROCESS = """
from datetime import timedelta
from clearline.channels.email.services import process_stale_inbound_email
while process_stale_inbound_email(older_than=timedelta(0), limit=100):
    pass
"""
