"""Business-time deadline arithmetic: deadlines per second on one core over a year-long calendar.

New York support hours with a lunch break and US/NY public holidays; starts spread over a year; targets from
15 minutes to 15 business days. The target is 100,000 deadlines per second per core.

    .venv/bin/python bench/deadlines.py [--count 500000]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta

from clearline.sla.hours import BusinessHours, CalendarSpec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500_000)
    args = parser.parse_args()
    spec = CalendarSpec.build(
        timezone="America/New_York",
        weekly_hours={
            day: [["09:00", "12:30"], ["13:30", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
        },
        holiday_country="US",
        holiday_subdivision="NY",
    )
    hours = BusinessHours(spec)
    rng = random.Random(7)
    year = datetime(2026, 1, 1, tzinfo=UTC)
    starts = [year + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(args.count)]
    targets = [timedelta(minutes=rng.choice([15, 60, 240, 480, 2400, 4800, 7200])) for _ in range(args.count)]
    hours.add(starts[0], targets[0])  # build the timeline once, as a running process has
    t0 = time.perf_counter()
    for start, target in zip(starts, targets, strict=True):
        hours.add(start, target)
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    for start, target in zip(starts[:100_000], targets, strict=False):
        hours.between(start, start + target)
    between = time.perf_counter() - t1
    print(json.dumps({"deadlines": args.count, "seconds": round(elapsed, 3),
                      "deadlines_per_second": round(args.count / elapsed),
                      "between_per_second": round(min(args.count, 100_000) / between)}))  # fmt: skip


if __name__ == "__main__":
    main()
