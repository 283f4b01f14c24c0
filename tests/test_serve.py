"""End to end through the real server: `clearline serve` (uvicorn + job consumer child) on a fresh data
directory, 16 concurrent intakes over HTTP, acknowledgements delivered by the real job consumer, and an
intact audit chain afterwards. Runs on SQLite, and on PostgreSQL + Redis when DATABASE_URL/REDIS_URL are set.
"""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from .installation import CLEARLINE, free_port, installation, run


@pytest.fixture
def served(tmp_path: Path):
    with installation(tmp_path, CLEARLINE_SUPPORT_DOMAIN="firm.test") as env:
        run(
            env,
            "createstaff",
            "intake@firm.test",
            "--role",
            "agent",
            "--password-stdin",
            stdin="a long test passphrase\n",
        )
        token = run(env, "token", "create", "intake@firm.test").strip()
        port = free_port()
        server = subprocess.Popen([*CLEARLINE, "serve", "--port", str(port)], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base)
            yield base, token, env, tmp_path
        finally:
            server.terminate()
            server.wait(timeout=20)


def wait_until_healthy(base: str) -> None:
    for _ in range(150):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("clearline serve did not start")


def test_sixteen_concurrent_intakes_are_all_stored_acknowledged_and_audited_dfs_12(served):
    base, token, env, home = served
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}/readyz", timeout=5).json()["status"] == "ready"

    def intake(n: int) -> httpx.Response:
        body = {
            "topic": "withdrawal_delayed",
            "method": "in_app",
            "customer": {"email": f"c{n}@customer.test"},
            "subject": f"Withdrawal {n}",
            "body": "My withdrawal has been pending since Monday, please check.",
        }
        return httpx.post(f"{base}/api/v1/cases", json=body, headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(intake, range(16)))
    assert [r.status_code for r in responses] == [201] * 16
    references = {r.json()["reference"] for r in responses}
    assert len(references) == 16

    # the real job consumer (child of serve) hands each acknowledgement to the outbox
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((home / "outbox").glob("*.eml"))) < 16:
        time.sleep(0.2)
    mails = [p.read_text() for p in (home / "outbox").glob("*.eml")]
    assert len(mails) == 16
    assert {ref for ref in references if any(ref in mail for mail in mails)} == references
    case = httpx.get(
        f"{base}/api/v1/cases/{responses[0].json()['reference']}", headers=headers, timeout=10
    ).json()
    assert case["acknowledged_at"] is not None and case["messages"][1]["author_type"] == "system"
    assert "Audit trail intact" in run(env, "audit", "verify")
