"""The examiner export of 100,000 cases (with three messages each) from PostgreSQL: wall time and the peak
resident memory of the exporting process (target: streams, peak RSS under 500 MB).

    .venv/bin/python bench/examiner_export.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, fill_cases, fresh_installation, process_tree_rss_mb

MESSAGES = """
INSERT INTO cases_message (case_id, direction, author_type, visibility, purpose, channel, language, subject, body,
    redacted_kinds, complaint_rules, delivery_status, delivery_error, created_at, author_staff_id, delivered_at)
SELECT c.id, d.direction, d.author_type, d.visibility, d.purpose, c.method, 'en', '',
       d.body || ' ' || c.reference || ' ' || repeat('The customer wrote about the transfer and the fee. ', 8),
       '[]', '[]', 'n/a', '', c.received_at + d.n * interval '1 hour', NULL, NULL
FROM cases_case c CROSS JOIN (VALUES
    (0, 'inbound', 'customer', 'public', 'customer_message', 'My withdrawal has not arrived.'),
    (1, 'outbound', 'system', 'public', 'acknowledgement', 'We have your message.'),
    (2, 'outbound', 'agent', 'internal', 'note', 'Checked the wallet.')) AS d(n, direction, author_type, visibility,
    purpose, body);
ANALYZE cases_message;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with fresh_installation(args.postgres) as inst:
        fill_cases(inst.env["DATABASE_URL"], args.cases, explain="SELECT count(*) FROM cases_case")
        import psycopg

        with psycopg.connect(inst.env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(MESSAGES)
        output = Path(tempfile.mkdtemp()) / "bundle.zip"
        t0 = time.perf_counter()
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "clearline",
                "compliance",
                "export",
                "--from",
                "2000-01-01",
                "--to",
                "2100-01-01",
                "--output",
                str(output),
            ],
            env=inst.env,
            stdout=subprocess.PIPE,
        )
        peak = 0.0
        while process.poll() is None:
            with contextlib.suppress(OSError):  # the process may end between poll and read
                peak = max(peak, process_tree_rss_mb(process.pid))
            time.sleep(0.2)
        out = process.stdout.read().decode().strip() if process.stdout else ""
        print(
            json.dumps(
                {
                    "cases": args.cases,
                    "seconds": round(time.perf_counter() - t0, 1),
                    "peak_rss_mb": round(peak, 1),
                    "bundle_mb": round(output.stat().st_size / 2**20, 1),
                    "exit": process.returncode,
                    "output": out,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
