"""Phone channel: the carrier's voice webhooks (``/hooks/voice/<event>``) answered under realistic call traffic.

One `clearline serve` process (web + job consumer) on a fresh database, with ``TWILIO_AUTH_TOKEN`` set; every
request is signed as the carrier signs it (``X-Twilio-Signature`` with twilio's ``RequestValidator``, over
``http://127.0.0.1:<port>/hooks/voice/<event>`` and the form fields). Set-up: the organisation (website = the
server's address), a support line (``PhoneLine``, menu in en/es/ro, a queue limit far above the load) on a
calendar open all hours (00:00-24:00 every day, no holidays) so no call goes to the closed-hours voicemail,
and 3 agents with a current HCSR training record signed in as available (``set_seat``), so the wait
estimates use 3 staffed agents.

Rate mode (default): open loop at ``--rate`` webhook requests/s for ``--seconds``. Each send slot (one
every 1/rate s) goes to the follow-up that has been ready longest, or else to a new call, so the rate is
exact and the mix is what the calls produce: ``incoming`` -> ~1 s later ``language`` (Digits 1/2/3) ->
``wait`` at once (the carrier fetches the wait URL on joining the queue) -> ``wait`` every 3-5 s while on
hold (a hold of 5-25 s) -> ``status`` (CallStatus=completed, CallDuration). A call's next request is only
sent once its previous answer has arrived, as the carrier does. Latency = answer fully read - the time the
request was due (queueing delay counts). Every ``incoming``/``language``/``wait`` answer is checked: TwiML,
no ``<Reject>``, no voicemail (``<Record>``) or safe "something went wrong" answer; the menu on ``incoming``,
``<Enqueue>`` on ``language``, an estimate (a ``<Say>`` with the wait in minutes) on every ``wait``; the empty
``<Response/>`` on ``status``. Target (the phone channel's issue): p99 under 100 ms at 200 requests/s.

Callers mode (``--callers N``): N callers at once against the 3 staffed agents, each on its own connection
sending ``incoming``, ``language`` and ``wait`` back to back, all released together: no caller rejected or
sent to voicemail as busy, every one told an estimated wait, and the largest estimate.

Profile (after a rate run that misses the target, or with ``--profile``; never with ``--no-profile``): the
same traffic at ``--profile-rate`` (default 20/s, below capacity) against the web process alone, started by
this script with ``PooledThreadASGIHandler._respond`` wrapped (no source change): every SQL statement of
each request counted and timed, every other request under cProfile per event, the others measured clean
(the web thread's CPU time), full garbage collections timed. A JSON line gives per event the clean CPU and
wall time, statements per request (each with its count and time), and the parts of the request as shares of
the profiled time; the pstats listings (top by cumulative and own time, with callers) go to stderr.
PostgreSQL: transactions per request from pg_stat_database.

SQLite (the embedded default) first, then PostgreSQL 127.0.0.1:5432 (a fresh database, dropped afterwards)
with Redis 127.0.0.1:6379 (an empty Redis database, flushed afterwards) when it answers.

    .venv/bin/python bench/voice_webhooks.py [--rate 200] [--seconds 20] [--connections 32] [--no-postgres]
        [--hold 5,25] [--profile | --no-profile] [--profile-rate 20] [--profile-seconds 15] [--gc-freeze]
    .venv/bin/python bench/voice_webhooks.py --callers 200 [--no-postgres]
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import os
import queue
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PYTHON,
    child_pids,
    free_port,
    installation,
    postgres_cpu_seconds,
    process_cpu_seconds,
    start_server,
    stop_server,
    wait_until_ready,
)
from twilio.request_validator import RequestValidator

TARGET_P99_MS = 100.0
ACCOUNT_SID = "AC" + "5" * 32
LINE_NUMBER = "+12125550142"
QUEUE_LIMIT = 100_000  # far above any load here: no caller goes to the "queue full" voicemail
AGENTS = 3
DIGITS = ("1", "1", "1", "1", "2", "2", "3")  # mostly English, some Spanish and Romanian
CITIES = [("NEW YORK", "NY", "10001"), ("BROOKLYN", "NY", "11201"), ("MIAMI", "FL", "33101")]
_NUMBER = re.compile(r"\d+")

SETUP = """
import json
import sys
from datetime import timedelta

import django

django.setup()
from django.conf import settings
from django.utils import timezone

from clearline.accounts.services import create_staff, record_training
from clearline.channels.voice import services
from clearline.channels.voice.models import PhoneLine
from clearline.org.models import Organisation
from clearline.org.selectors import clear_organisation_cache
from clearline.sla.hours.calendar import WEEKDAYS, parse_weekly_hours
from clearline.sla.models import BusinessCalendar

website, number, queue_limit, agents = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
all_hours = {day: [["00:00", "24:00"]] for day in WEEKDAYS}
parse_weekly_hours(all_hours)  # raises if 24:00 is refused
organisation = Organisation.objects.order_by("id").first() or Organisation(name="Clearline Bench")
organisation.website = website
organisation.support_email = "support@" + settings.SUPPORT_DOMAIN  # the system check wants the firm's domain
organisation.save()
clear_organisation_cache()
calendar = BusinessCalendar.objects.create(
    name="Phone, all hours", timezone="America/New_York", weekly_hours=all_hours, holiday_country=""
)
line = PhoneLine.objects.create(number=number, label="Support", calendar=calendar, queue_limit=queue_limit)
today = timezone.localdate()
for n in range(agents):
    staff, _ = create_staff(
        email=f"phone-agent-{n}@firm.test", role="agent", password="a long benchmark passphrase " + str(n)
    )
    record_training(
        staff, course="HCSR", completed_on=today - timedelta(days=30), expires_on=today + timedelta(days=335)
    )
    services.set_seat(staff, status="available", device=f"+1212555{7000 + n}")
now = timezone.now()
staffed, free = services.staffed_agents(on=now)
print(json.dumps({"open_now": services.is_open(line, now), "staffed_agents": staffed, "free_agents": free}))
"""


CARRIER_ENV = {"TWILIO_AUTH_TOKEN": "bench-" + uuid.uuid4().hex, "TWILIO_ACCOUNT_SID": ACCOUNT_SID}


def set_up_line(inst) -> dict:
    done = subprocess.run(
        [PYTHON, "-c", SETUP, f"http://{inst.base_url}", LINE_NUMBER, str(QUEUE_LIMIT), str(AGENTS)],
        env=inst.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"set-up failed: {done.stderr[-2000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    if not found["open_now"] or found["staffed_agents"] != AGENTS:
        raise RuntimeError(f"set-up: line not open or agents not staffed: {found}")
    return found


def db_counts(inst) -> dict:
    queries = {
        "calls_by_state": "SELECT state, count(*) FROM channels_voice_call GROUP BY state",
        "callbacks": "SELECT reason, count(*) FROM channels_voice_callback GROUP BY reason",
        "webhooks_with_problem": "SELECT problem, count(*) FROM channels_voice_voicewebhook "
        "WHERE problem <> '' GROUP BY problem",
    }
    if inst.database == "sqlite":
        conn = sqlite3.connect(inst.home / "clearline.sqlite3")
        try:
            return {name: dict(conn.execute(sql).fetchall()) for name, sql in queries.items()}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(inst.database) as conn:
        return {name: dict(conn.execute(sql).fetchall()) for name, sql in queries.items()}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live descendants (all threads): ``serve``, the web processes
    it forks and its job consumer (idle here)."""
    return process_cpu_seconds(pid) + sum(cpu_seconds(child) for child in child_pids(pid))


def machine_cpu() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores together, from /proc/stat."""
    ticks = [int(part) for part in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# ---------------------------------------------------------------------------------------------------------
# Requests: the carrier's fields, signed.
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Step:
    call: int
    event: str
    at: float  # seconds after the start of the schedule
    params: dict[str, str]
    previous: Step | None = None
    body: bytes = b""
    signature: str = ""
    done: threading.Event = field(default_factory=threading.Event)
    status: int = 0
    answer: str = ""
    latency_ms: float = 0.0  # answer read - due
    service_ms: float = 0.0  # answer read - sent
    late_ms: float = 0.0  # sent - due (the load generator or a previous answer held it back)
    held_for_previous: bool = False


@dataclass
class Call:
    number: int
    sid: str
    caller: str
    digits: str
    hold: float
    city: tuple[str, str, str]
    started: float = 0.0
    queued: float = 0.0
    last: Step | None = None
    waits: int = 0


def new_call(number: int, rng: random.Random, hold: tuple[float, float]) -> Call:
    return Call(
        number=number,
        sid="CA" + uuid.UUID(int=rng.getrandbits(128)).hex,
        caller=f"+1917{rng.randrange(10**7):07d}",
        digits=rng.choice(DIGITS),
        hold=rng.uniform(*hold),
        city=rng.choice(CITIES),
    )


def carrier_fields(call: Call, call_status: str) -> dict[str, str]:
    city, state, zip_code = call.city
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": call.sid,
        "CallStatus": call_status,
        "Called": LINE_NUMBER,
        "CalledCity": "NEW YORK",
        "CalledCountry": "US",
        "CalledState": "NY",
        "CalledZip": "10007",
        "Caller": call.caller,
        "CallerCity": city,
        "CallerCountry": "US",
        "CallerState": state,
        "CallerZip": zip_code,
        "Direction": "inbound",
        "From": call.caller,
        "FromCity": city,
        "FromCountry": "US",
        "FromState": state,
        "FromZip": zip_code,
        "To": LINE_NUMBER,
        "ToCity": "NEW YORK",
        "ToCountry": "US",
        "ToState": "NY",
        "ToZip": "10007",
    }


def step_for(call: Call, event: str, at: float, queue_size: int) -> Step:
    if event == "incoming":
        params = carrier_fields(call, "ringing")
        call.started = at
    elif event == "language":
        params = {**carrier_fields(call, "in-progress"), "Digits": call.digits, "msg": "Gather End"}
        params["FinishedOnKey"] = ""
        call.queued = at
    elif event == "wait":
        params = {
            **carrier_fields(call, "in-progress"),
            "QueueSid": "QU" + "7" * 32,
            "QueuePosition": str(max(1, queue_size)),
            "QueueTime": str(int(at - call.queued)),
            "AvgQueueTime": "0",
            "CurrentQueueSize": str(queue_size),
            "MaxQueueSize": str(QUEUE_LIMIT),
        }
        call.waits += 1
    else:
        seconds = max(1, round(at - call.started))
        params = {
            **carrier_fields(call, "completed"),
            "CallDuration": str(seconds),
            "Duration": str(max(1, (seconds + 59) // 60)),
            "CallbackSource": "call-progress-events",
            "SequenceNumber": "0",
            "Timestamp": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
        }
    step = Step(call=call.number, event=event, at=at, params=params, previous=call.last)
    call.last = step
    return step


def sign(steps: list[Step], base_url: str, token: str) -> None:
    validator = RequestValidator(token)
    for step in steps:
        url = f"http://{base_url}/hooks/voice/{step.event}"
        step.body = urlencode(step.params).encode()
        step.signature = validator.compute_signature(url, step.params)


def plan(
    rate: float,
    seconds: float,
    *,
    hold: tuple[float, float],
    wait_every: tuple[float, float] = (3.0, 5.0),
    seed: int = 7,
) -> tuple[list[Step], int]:
    """One request per slot (every 1/rate s): the follow-up ready longest, else a new call. Returns the
    steps in send order and the number of calls started."""
    rng = random.Random(seed)
    ready: list[tuple[float, int, str, Call]] = []  # (ready at, call number, next event, call)
    steps: list[Step] = []
    calls = 0
    in_queue = 0
    for slot in range(int(rate * seconds)):
        at = slot / rate
        if ready and ready[0][0] <= at:
            _, _, event, call = heapq.heappop(ready)
        else:
            call, event = new_call(calls, rng, hold), "incoming"
            calls += 1
        if event == "language":
            in_queue += 1
        elif event == "status":
            in_queue -= 1
        steps.append(step_for(call, event, at, in_queue))
        if event == "incoming":
            following, when = "language", at + rng.uniform(0.8, 1.5)  # the menu is heard, a key pressed
        elif event == "language":
            following, when = "wait", at + rng.uniform(0.1, 0.4)  # enqueued: the wait URL is fetched
        elif event == "wait":
            when = at + rng.uniform(*wait_every)
            following = "wait"
            if when - call.queued >= call.hold:
                following, when = "status", max(at + 0.2, call.queued + call.hold)
        else:
            continue
        heapq.heappush(ready, (when, call.number, following, call))
    return steps, calls


# ---------------------------------------------------------------------------------------------------------
# Sending and checking.
# ---------------------------------------------------------------------------------------------------------


def send(conn: http.client.HTTPConnection, step: Step) -> tuple[http.client.HTTPConnection, int, str]:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": step.signature,
        "User-Agent": "TwilioProxy/1.1",
    }
    try:
        conn.request("POST", f"/hooks/voice/{step.event}", body=step.body, headers=headers)
        response = conn.getresponse()
        answer = response.read().decode("utf-8", "replace")
        return conn, response.status, answer
    except (OSError, http.client.HTTPException):
        conn.close()
        return http.client.HTTPConnection(conn.host, conn.port, timeout=60), 0, ""


def run_schedule(base_url: str, steps: list[Step], *, connections: int) -> tuple[float, float]:
    """Send every step at its time (open loop) from ``connections`` keep-alive connections; returns the
    seconds from the first due time to the last answer, and the wall-clock time of the first due time."""
    host, port = base_url.split(":")
    todo: queue.Queue[Step | None] = queue.Queue()
    for step in steps:
        todo.put(step)
    for _ in range(connections):
        todo.put(None)
    start = time.monotonic() + 0.5
    started_at = time.time() + 0.5
    finished = [start]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        last = start
        while (step := todo.get()) is not None:
            due = start + step.at
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if step.previous is not None and not step.previous.done.is_set():
                step.held_for_previous = True
                step.previous.done.wait(60)
            sent = time.monotonic()
            conn, step.status, step.answer = send(conn, step)
            last = time.monotonic()
            step.latency_ms = (last - due) * 1000
            step.service_ms = (last - sent) * 1000
            step.late_ms = max(0.0, sent - due) * 1000
            step.done.set()
        conn.close()
        with lock:
            finished[0] = max(finished[0], last)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return finished[0] - start, started_at


def says(element: ET.Element) -> str:
    return " ".join((say.text or "") for say in element.iter("Say"))


def check(step: Step) -> tuple[str, int | None, int | None]:
    """(verdict, minutes, position): "ok" or what is wrong with the answer."""
    if step.status != 200:
        return f"http_{step.status}", None, None
    try:
        root = ET.fromstring(step.answer)
    except ET.ParseError:
        return "not_twiml", None, None
    if root.tag != "Response":
        return "not_twiml", None, None
    tags = {element.tag for element in root.iter()}
    if "Reject" in tags:
        return "rejected", None, None
    if step.event == "status":
        return ("ok" if len(root) == 0 else "unexpected"), None, None
    if "Record" in tags:
        return "voicemail", None, None  # closed, or "all representatives are busy" (queue full)
    if "Hangup" in tags:
        return "problem", None, None  # the safe "something went wrong" answer
    if step.event == "incoming":
        return ("ok" if "Gather" in tags else "no_menu"), None, None
    if step.event == "language":
        return ("ok" if "Enqueue" in tags else "not_enqueued"), None, None
    first = root.find("Say")
    text = (first.text or "") if first is not None else ""
    if "minut" not in text.lower():
        return "no_estimate", None, None
    numbers = [int(n) for n in _NUMBER.findall(text)]
    return "ok", (numbers[0] if numbers else 1), (numbers[1] if len(numbers) > 1 else None)


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else [ordered[0]] * 99
    return {
        "p50": round(q[49], 1),
        "p95": round(q[94], 1),
        "p99": round(q[98], 1),
        "max": round(ordered[-1], 1),
    }


def verdicts(steps: list[Step]) -> tuple[dict[str, dict[str, int]], list[int], list[int]]:
    counts: dict[str, dict[str, int]] = {}
    minutes: list[int] = []
    positions: list[int] = []
    for step in steps:
        verdict, told, position = check(step)
        by_event = counts.setdefault(step.event, {})
        by_event[verdict] = by_event.get(verdict, 0) + 1
        if told is not None:
            minutes.append(told)
        if position is not None:
            positions.append(position)
    return counts, minutes, positions


def warm_up(base_url: str, token: str, calls: int = 8) -> None:
    """A few whole calls before the clock (threads' database connections, imports, caches); not counted."""
    rng = random.Random(99)
    host, port = base_url.split(":")
    for n in range(calls):
        call = new_call(-1 - n, rng, (1.0, 1.0))
        # no language: the call never queues, so it leaves no dropped-call callback ahead of the callers
        steps = [step_for(call, event, 0.0, 1) for event in ("incoming", "wait", "status")]
        sign(steps, base_url, token)
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        for step in steps:
            conn, step.status, step.answer = send(conn, step)
            if step.status != 200:
                raise RuntimeError(f"warm-up {step.event} answered {step.status}: {step.answer[:300]}")
        conn.close()


# ---------------------------------------------------------------------------------------------------------
# The two modes.
# ---------------------------------------------------------------------------------------------------------


def label(database: str) -> str:
    return "sqlite" if database == "sqlite" else "postgresql"


def bench_rate(
    database: str, *, rate: float, seconds: float, connections: int, hold: tuple[float, float], redis: str
) -> dict:
    steps, calls = plan(rate, seconds, hold=hold)
    with installation(database, redis, **CARRIER_ENV) as inst:
        start_server(inst)
        setup = set_up_line(inst)
        token = inst.env["TWILIO_AUTH_TOKEN"]
        warm_up(inst.base_url, token)
        sign(steps, inst.base_url, token)
        time.sleep(1)
        load_before, machine = load_average(), machine_cpu()
        server_cpu, own_cpu, wall = cpu_seconds(inst.server.pid), time.process_time(), time.monotonic()
        database_cpu = postgres_cpu_seconds()
        elapsed, started_at = run_schedule(inst.base_url, steps, connections=connections)
        server_cpu = cpu_seconds(inst.server.pid) - server_cpu
        database_cpu = postgres_cpu_seconds() - database_cpu
        own_cpu, wall = time.process_time() - own_cpu, time.monotonic() - wall
        busy, total = (after - before for after, before in zip(machine_cpu(), machine, strict=True))
        cores = os.cpu_count() or 1
        machine_percent = 100 * cores * busy / max(total, 1)  # in % of one core, like the two above
        load_after = load_average()
        stop_server(inst)
        counts_in_db = db_counts(inst)
        redis_used = bool(inst.env.get("REDIS_URL"))
    statuses: dict[int, int] = {}
    for step in steps:
        statuses[step.status] = statuses.get(step.status, 0) + 1
    answers, minutes, positions = verdicts(steps)
    latencies = [step.latency_ms for step in steps if step.status == 200]
    by_event = {}
    for event in ("incoming", "language", "wait", "status"):
        chosen = [step for step in steps if step.event == event]
        by_event[event] = {
            "requests": len(chosen),
            **percentiles([step.latency_ms for step in chosen if step.status == 200]),
        }
    summary = percentiles(latencies)
    problems = sum(n for counts in answers.values() for verdict, n in counts.items() if verdict != "ok")
    return {
        "mode": "rate",
        "database": label(database),
        "redis": redis_used,
        "target_rate_per_s": rate,
        "seconds": seconds,
        "connections": connections,
        "requests": len(steps),
        "achieved_rate_per_s": round(len(steps) / elapsed, 1),
        "calls_started": calls,
        "calls_completed": sum(1 for step in steps if step.event == "status"),
        "staffed_agents": setup["staffed_agents"],
        "errors": statuses.get(0, 0),
        "non_200": sum(n for status, n in statuses.items() if status not in (0, 200)),
        "statuses": statuses,
        "latency_ms": summary,
        "latency_ms_by_event": by_event,
        "service_ms": percentiles([step.service_ms for step in steps if step.status == 200]),
        "schedule_started_utc": time.strftime("%H:%M:%S", time.gmtime(started_at)),
        "slowest": [  # when in the schedule (s), which event, how long (ms)
            [round(step.at, 2), step.event, round(step.latency_ms, 1)]
            for step in sorted(steps, key=lambda step: step.latency_ms)[-5:]
        ],
        "sent_late_over_10ms": sum(1 for step in steps if step.late_ms > 10),
        "held_for_previous_answer": sum(1 for step in steps if step.held_for_previous),
        "answers": answers,
        "bad_answers": problems,
        "wait_answers_with_estimate": sum(
            1 for step in steps if step.event == "wait" and check(step)[0] == "ok"
        ),
        "largest_estimate_minutes": max(minutes, default=None),
        "largest_position": max(positions, default=None),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / len(steps), 2),
        "server_cpu_percent": round(server_cpu * 100 / wall, 1),
        "load_generator_cpu_percent": round(own_cpu * 100 / wall, 1),
        "postgres_cpu_percent": round(database_cpu * 100 / wall, 1) if database != "sqlite" else None,
        # everything else, in % of one core: other users' processes (and the idle job consumer)
        "rest_of_machine_cpu_percent": round(
            machine_percent
            - (server_cpu + own_cpu + (database_cpu if database != "sqlite" else 0)) * 100 / wall,
            1,
        ),
        "cores": os.cpu_count(),
        "load_average_1m_before_after": [load_before, load_after],
        "database_after": counts_in_db,
        "p99_target_ms": TARGET_P99_MS,
        "p99_met": summary["p99"] is not None and summary["p99"] < TARGET_P99_MS and problems == 0,
    }


def bench_callers(database: str, *, callers: int, redis: str) -> dict:
    rng = random.Random(11)
    calls = [new_call(n, rng, (60.0, 60.0)) for n in range(callers)]
    per_call = [
        [step_for(call, event, 0.0, n + 1) for event in ("incoming", "language", "wait")]
        for n, call in enumerate(calls)
    ]
    with installation(database, redis, **CARRIER_ENV) as inst:
        start_server(inst)
        setup = set_up_line(inst)
        token = inst.env["TWILIO_AUTH_TOKEN"]
        warm_up(inst.base_url, token, calls=2)
        for steps in per_call:
            sign(steps, inst.base_url, token)
        host, port = inst.base_url.split(":")
        barrier = threading.Barrier(callers + 1)
        began = [0.0]
        done_ms: list[float] = []

        def caller(steps: list[Step]) -> None:
            conn = http.client.HTTPConnection(host, int(port), timeout=120)
            conn.connect()
            barrier.wait()
            for step in steps:
                sent = time.monotonic()
                conn, step.status, step.answer = send(conn, step)
                step.latency_ms = step.service_ms = (time.monotonic() - sent) * 1000
            done_ms.append((time.monotonic() - began[0]) * 1000)  # released -> told the estimate
            conn.close()

        threads = [threading.Thread(target=caller, args=(steps,)) for steps in per_call]
        for thread in threads:
            thread.start()
        load_before = load_average()
        barrier.wait()
        began[0] = time.monotonic()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began[0]
        stop_server(inst)
        counts_in_db = db_counts(inst)
        redis_used = bool(inst.env.get("REDIS_URL"))
    everything = [step for steps in per_call for step in steps]
    answers, minutes, positions = verdicts(everything)
    statuses: dict[int, int] = {}
    for step in everything:
        statuses[step.status] = statuses.get(step.status, 0) + 1
    told = sum(1 for steps in per_call if check(steps[-1])[0] == "ok")
    rejected = sum(counts.get("rejected", 0) for counts in answers.values())
    busy = sum(counts.get("voicemail", 0) for counts in answers.values())
    return {
        "mode": "callers",
        "database": label(database),
        "redis": redis_used,
        "callers": callers,
        "staffed_agents": setup["staffed_agents"],
        "free_agents": setup["free_agents"],
        "requests": len(everything),
        "errors": statuses.get(0, 0),
        "non_200": sum(n for status, n in statuses.items() if status not in (0, 200)),
        "statuses": statuses,
        "rejected": rejected,
        "busy_or_voicemail": busy,
        "answers": answers,
        "told_estimated_wait": told,
        "every_caller_told_estimate": told == callers,
        "largest_estimate_minutes": max(minutes, default=None),
        "largest_position": max(positions, default=None),
        "request_latency_ms_by_event": {
            event: percentiles([step.latency_ms for step in everything if step.event == event])
            for event in ("incoming", "language", "wait")
        },
        "caller_done_ms": percentiles(done_ms),
        "wall_seconds": round(wall, 2),
        "load_average_1m_before": load_before,
        "database_after": counts_in_db,
    }


# ---------------------------------------------------------------------------------------------------------
# Profile: where a webhook's time goes, per event.
# ---------------------------------------------------------------------------------------------------------

# (label, file suffix, function): cumulative time under each, per request of each event.
PROFILE_PARTS = [
    ("request: middleware + view (get_response)", "django/core/handlers/base.py", "get_response"),
    ("webhook view", "channels/voice/views.py", "webhook"),
    ("signature check (RequestValidator)", "channels/voice/provider.py", "signature_is_valid"),
    ("idempotency key (_key)", "channels/voice/views.py", "_key"),
    ("the flow (views._answer)", "channels/voice/views.py", "_answer"),
    ("safe_answer", "channels/voice/flows.py", "safe_answer"),
    ("_contact (organisation texts)", "channels/voice/flows.py", "_contact"),
    ("_call (Call + line lookup)", "channels/voice/flows.py", "_call"),
    ("services.start_call", "channels/voice/services.py", "start_call"),
    ("services.is_open", "channels/voice/services.py", "is_open"),
    ("services.queue_length", "channels/voice/services.py", "queue_length"),
    ("services.join_queue", "channels/voice/services.py", "join_queue"),
    ("services.estimate_wait", "channels/voice/services.py", "estimate_wait"),
    ("services.staffed_agents", "channels/voice/services.py", "staffed_agents"),
    ("services.recent_handle_seconds", "channels/voice/services.py", "recent_handle_seconds"),
    ("services.call_ended", "channels/voice/services.py", "call_ended"),
    ("audit.record", "audit/services.py", "record"),
    ("TwiML building (twilio verbs)", "twilio/twiml/__init__.py", "nest"),
    ("TwiML to XML (TwiML.to_xml)", "twilio/twiml/__init__.py", "to_xml"),
    ("SQL compile (SQLCompiler.as_sql)", "django/db/models/sql/compiler.py", "as_sql"),
    ("SQL statements (CursorWrapper._execute)", "django/db/backends/utils.py", "_execute"),
    ("commits (BaseDatabaseWrapper.commit)", "django/db/backends/base/base.py", "commit"),
    ("atomic blocks (Atomic.__exit__)", "django/db/transaction.py", "__exit__"),
    ("POST parsing (HttpRequest._load_post_and_files)", "django/http/request.py", "_load_post_and_files"),
]


def serve_profiled(port: int, out: Path) -> None:
    """The web process alone (no job consumer), as ``clearline serve`` runs it, with every SQL statement of
    each request counted and timed; every other request runs under cProfile (per event), the others are
    measured clean (the thread's CPU time). Written to ``out`` when it is stopped. The source is not
    changed: the handler's ``_respond`` is wrapped here."""
    import cProfile
    import itertools
    import signal

    import uvicorn

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.config.settings")
    from django.db import connection

    import clearline.config.asgi as asgi

    handler = asgi.django_application
    respond = handler._respond
    lock = threading.Lock()
    profiles: dict[tuple[int, str], cProfile.Profile] = {}
    events: dict[str, dict] = {}
    numbers = itertools.count()
    savepoint = re.compile(r'"s\d+_x\d+"')

    def profiled(scope: dict, body_file: object) -> object:
        if scope["path"] == "/readyz" and scope.get("query_string") == b"bench-reset":
            with lock:  # the warm-up is over: start counting from here
                profiles.clear()
                events.clear()
        event = scope["path"].rstrip("/").rsplit("/", 1)[-1]
        with lock:
            under_profiler = next(numbers) % 2 == 0
            profile = profiles.setdefault((threading.get_ident(), event), cProfile.Profile())
        statements: list[tuple[str, float]] = []

        def timed(execute, sql, params, many, context):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                statements.append((sql, time.perf_counter() - t0))

        wall, cpu = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(timed):
            if under_profiler:
                profile.enable()
            try:
                return respond(scope, body_file)
            finally:
                if under_profiler:
                    profile.disable()
                wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                with lock:
                    row = events.setdefault(
                        event,
                        {
                            "requests": 0,
                            "profiled": 0,
                            "profiled_wall_s": 0.0,
                            "clean": 0,
                            "clean_wall_s": 0.0,
                            "clean_cpu_s": 0.0,
                            "clean_sql_s": 0.0,
                            "statements": 0,
                            "by_sql": {},
                        },
                    )
                    row["requests"] += 1
                    row["statements"] += len(statements)
                    if under_profiler:
                        row["profiled"] += 1
                        row["profiled_wall_s"] += wall
                    else:
                        row["clean"] += 1
                        row["clean_wall_s"] += wall
                        row["clean_cpu_s"] += cpu
                    for sql, seconds in statements:
                        text = savepoint.sub('"sN"', " ".join(sql.split()))[:240]
                        counted = row["by_sql"].setdefault(text, [0, 0.0])
                        counted[0] += 1
                        if not under_profiler:
                            row["clean_sql_s"] += seconds
                            counted[1] += seconds

    handler._respond = profiled
    import gc

    collections: dict[str, list[float]] = {}  # generation -> [count, seconds, longest]
    gc_started = [0.0]

    def timed_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
            return
        took = time.perf_counter() - gc_started[0]
        row = collections.setdefault(str(info["generation"]), [0, 0.0, 0.0])
        row[0] += 1
        row[1] += took
        row[2] = max(row[2], took)

    gc.callbacks.append(timed_gc)
    if (
        os.environ.get("VOICE_BENCH_GC_FREEZE") == "1"
    ):  # diagnosis: start-up objects out of the collector's way
        gc.collect()
        gc.freeze()

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        uvicorn.run(
            asgi.application,
            host="127.0.0.1",
            port=port,
            lifespan="off",
            access_log=False,
            log_level="warning",
            server_header=False,
            backlog=2048,
        )
    finally:
        import pstats

        out.mkdir(parents=True, exist_ok=True)
        with lock:
            for event in events:
                chosen = [profile for (_thread, name), profile in profiles.items() if name == event]
                chosen = [profile for profile in chosen if profile.getstats()]
                if chosen:
                    pstats.Stats(*chosen).dump_stats(str(out / f"{event}.prof"))
            (out / "events.json").write_text(json.dumps(events))
            (out / "gc.json").write_text(
                json.dumps({"objects_tracked": len(gc.get_objects()), **collections})
            )


def start_profiled_server(inst, out: Path) -> None:
    port = free_port()
    inst.server = subprocess.Popen(
        [PYTHON, str(Path(__file__).resolve()), "--serve-profiled", str(port), str(out)], env=inst.env
    )
    inst.base_url = f"127.0.0.1:{port}"
    wait_until_ready(port)


def transactions_committed(inst) -> int | None:
    """PostgreSQL's count of committed transactions in the database (autocommit statements included)."""
    if inst.database == "sqlite":
        return None
    import psycopg

    with psycopg.connect(inst.database, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else None


def bench_profile(
    database: str,
    *,
    rate: float,
    seconds: float,
    connections: int,
    hold: tuple[float, float],
    redis: str,
    gc_freeze: bool = False,
) -> dict:
    """The same traffic at a rate the profiled server keeps up with. Per event: the web thread's CPU time and
    wall time per request measured clean (not under the profiler), SQL statements per request and their
    time, the parts of the request as shares of the profiled time (and those shares of the clean CPU time),
    and every statement with how many times a request runs it."""
    import io
    import pstats

    steps, calls = plan(rate, seconds, hold=hold)
    with installation(database, redis, **CARRIER_ENV) as inst:
        out = inst.home / "profile"
        if gc_freeze:
            inst.env["VOICE_BENCH_GC_FREEZE"] = "1"
        start_profiled_server(inst, out)
        set_up_line(inst)
        token = inst.env["TWILIO_AUTH_TOKEN"]
        warm_up(inst.base_url, token)
        reset = http.client.HTTPConnection(*inst.base_url.split(":"), timeout=10)
        reset.request("GET", "/readyz?bench-reset")
        reset.getresponse().read()
        reset.close()
        sign(steps, inst.base_url, token)
        time.sleep(1)
        committed = transactions_committed(inst)
        elapsed, _started_at = run_schedule(inst.base_url, steps, connections=connections)
        time.sleep(0.6)  # the statistics collector's delay
        if committed is not None:
            committed = (transactions_committed(inst) or 0) - committed
        stop_server(inst)
        recorded = json.loads((out / "events.json").read_text())
        collected = json.loads((out / "gc.json").read_text())
        tracked = collected.pop("objects_tracked")
        garbage_collection = {
            "objects_tracked_at_exit": tracked,
            **{
                f"generation_{generation}": {
                    "collections": int(count),
                    "total_ms": round(1000 * seconds, 1),
                    "longest_ms": round(1000 * longest, 1),
                }
                for generation, (count, seconds, longest) in sorted(collected.items())
            },
        }
        per_event = {}
        text = io.StringIO()
        for event in ("incoming", "language", "wait", "status"):
            row = recorded.get(event)
            if not row or not row["clean"] or not (out / f"{event}.prof").exists():
                continue
            n, clean = row["requests"], row["clean"]
            cpu_ms = 1000 * row["clean_cpu_s"] / clean
            stats = pstats.Stats(str(out / f"{event}.prof"), stream=text)
            print(f"===== {event}: {row['profiled']} requests under cProfile =====", file=text)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(15)
            stats.print_callers(5)
            entries = stats.stats  # type: ignore[attr-defined]
            profiled_total = row["profiled_wall_s"]
            parts = {}
            for part, suffix, function in PROFILE_PARTS:
                cumulative = sum(
                    stat[3]
                    for (filename, _line, name), stat in entries.items()
                    if name == function and filename.endswith(suffix)
                )
                if cumulative and profiled_total:
                    share = cumulative / profiled_total
                    parts[part] = {"pct": round(100 * share, 1), "est_clean_cpu_ms": round(share * cpu_ms, 2)}
            statements = sorted(row["by_sql"].items(), key=lambda item: item[1][0], reverse=True)
            per_event[event] = {
                "requests": n,
                "clean_cpu_ms_per_request": round(cpu_ms, 2),
                "clean_wall_ms_per_request": round(1000 * row["clean_wall_s"] / clean, 2),
                "profiled_wall_ms_per_request": round(1000 * profiled_total / max(row["profiled"], 1), 2),
                "statements_per_request": round(row["statements"] / n, 2),
                "clean_sql_ms_per_request": round(1000 * row["clean_sql_s"] / clean, 2),
                "parts": parts,
                "statements": [
                    {
                        "sql": sql,
                        "per_request": round(count / n, 2),
                        "clean_ms_per_request": round(1000 * t / clean, 3),
                    }
                    for sql, (count, t) in statements
                ],
            }
        print(text.getvalue(), file=sys.stderr, flush=True)
    total = sum(row["requests"] for row in recorded.values())
    return {
        "mode": "profile",
        "database": label(database),
        "gc_freeze": gc_freeze,
        "rate_per_s": rate,
        "requests": len(steps),
        "calls_started": calls,
        "achieved_rate_per_s": round(len(steps) / elapsed, 1),
        "measured_requests": total,
        "postgres_transactions_per_request": round(committed / total, 2) if committed and total else None,
        "garbage_collection": garbage_collection,  # the whole server run: set-up and warm-up included
        "events": per_event,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200, help="webhook requests per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections (threads)")
    parser.add_argument("--hold", default="5,25", help="seconds on hold per call: min,max")
    parser.add_argument("--callers", type=int, default=0, help="instead: N simultaneous callers")
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="an empty database is picked")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile the server even when p99 is met")
    parser.add_argument(
        "--no-profile", action="store_true", help="never profile (profiled when p99 is missed)"
    )
    parser.add_argument("--profile-rate", type=float, default=20, help="requests/s for the profiled run")
    parser.add_argument("--profile-seconds", type=float, default=15)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="diagnosis: the profiled server calls gc.freeze() after start-up",
    )
    parser.add_argument("--serve-profiled", nargs=2, metavar=("PORT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_profiled:
        serve_profiled(int(args.serve_profiled[0]), Path(args.serve_profiled[1]))
        return
    low, high = (float(part) for part in args.hold.split(","))
    databases = ["sqlite"] + ([] if args.no_postgres else [args.postgres])
    traffic = {"connections": args.connections, "hold": (low, high), "redis": args.redis}
    for database in databases:
        if args.callers:
            result = bench_callers(database, callers=args.callers, redis=args.redis)
        else:
            result = bench_rate(database, rate=args.rate, seconds=args.seconds, **traffic)
        print(json.dumps(result), flush=True)
        if not args.callers and not args.no_profile and (args.profile or not result["p99_met"]):
            profile = bench_profile(
                database,
                rate=args.profile_rate,
                seconds=args.profile_seconds,
                gc_freeze=args.gc_freeze,
                **traffic,
            )
            print(json.dumps(profile), flush=True)


if __name__ == "__main__":
    main()
