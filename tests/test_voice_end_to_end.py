"""The phone channel through a real `clearline serve`: webhooks signed for the URL the server is reached at,
an after-hours voicemail whose case, SMS acknowledgement and recording go through the job consumer to a
Twilio-compatible carrier on loopback (DFS-10, DFS-12, DFS-25), and a caller on hold told the wait (DFS-09).
Runs on SQLite, and on a throw-away PostgreSQL database when DATABASE_URL is set.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from clearline.channels.voice.tests.carrier import ACCOUNT_SID, RECORDING_AUDIO, running_carrier

from .installation import CLEARLINE, free_port, installation, run
from .test_serve import wait_until_healthy

TOKEN = "e2e-auth-token-0123456789abcdef"
SETUP = """
from clearline.channels.voice.models import PhoneLine
from clearline.org.models import Organisation
from clearline.sla.models import BusinessCalendar, CalendarClosure
from datetime import date, timedelta
Organisation.objects.create(name="Hudson Digital Assets", website="{base}", support_email="help@example.com")
week = {{day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
always = BusinessCalendar.objects.create(name="Always", timezone="UTC", weekly_hours=week)
closed = BusinessCalendar.objects.create(name="Closed these days", timezone="UTC", weekly_hours=week)
for offset in (-1, 0, 1):
    CalendarClosure.objects.create(calendar=closed, date=date.today() + timedelta(offset), reason="test")
PhoneLine.objects.create(number="+12125550100", calendar=closed)
PhoneLine.objects.create(number="+12125550142", calendar=always)
"""
STATE = """
import json
from clearline.channels.voice.models import Call, Callback
from clearline.cases.models import Case
call = Call.objects.get(call_sid="CA-vm")
print(json.dumps({
    "cases": list(Case.objects.values_list("reference", "method")),
    "recording": call.recording.read().decode("latin-1") if call.recording else None,
    "callbacks": list(Callback.objects.values_list("reason", flat=True)),
}))
"""


def _post(client: httpx.Client, base: str, event: str, **fields: str) -> httpx.Response:
    url = f"{base}/hooks/voice/{event}"
    signature = RequestValidator(TOKEN).compute_signature(url, fields)
    return client.post(url, data=fields, headers={"X-Twilio-Signature": signature})


def test_voicemail_and_hold_through_a_real_server_and_carrier(tmp_path: Path) -> None:
    """DFS-10, DFS-12, DFS-25 (voicemail case, SMS acknowledgement, recording fetched), DFS-09 (wait told);
    the webhooks are answered past the page middleware."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        running_carrier() as carrier,
        installation(
            tmp_path, TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_API_URL=carrier.url
        ) as env,
    ):
        run(env, "shell", "-c", SETUP.format(base=base))
        server = subprocess.Popen([*CLEARLINE, "serve", "--port", str(port)], env=env)
        try:
            wait_until_healthy(base)
            with httpx.Client(timeout=10) as client:
                forged = client.post(f"{base}/hooks/voice/incoming", data={"CallSid": "CA-x"})
                closed = _post(
                    client, base, "incoming", CallSid="CA-vm", From="+15551230001", To="+12125550100"
                )
                saved = _post(
                    client,
                    base,
                    "voicemail",
                    CallSid="CA-vm",
                    RecordingUrl=carrier.recording_url("RE1"),
                    RecordingSid="RE1",
                    RecordingDuration="25",
                )
                _post(client, base, "incoming", CallSid="CA-hold", From="+15551230002", To="+12125550142")
                _post(client, base, "language", CallSid="CA-hold", Digits="3")
                hold = _post(client, base, "wait", CallSid="CA-hold", QueuePosition="1", QueueTime="0")
                help_centre = client.get(f"{base}/")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                carrier.sent("Messages.json")
                and any(path.endswith(".mp3") for _m, path, _f in carrier.requests)
            ):
                time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=20)
        state = json.loads(run(env, "shell", "-c", STATE).strip().splitlines()[-1])

    assert forged.status_code == 403
    assert closed.status_code == 200 and "<Record" in closed.text
    # webhooks skip the page middleware (sessions, locale, page headers); pages keep it
    assert "content-security-policy" in help_centre.headers and "vary" not in closed.headers
    assert "content-security-policy" not in closed.headers and "set-cookie" not in closed.headers
    [(reference, method)] = state["cases"]
    assert method == "phone_voicemail" and ", ".join(reference.replace("-", "")) in saved.text
    [text] = carrier.sent("Messages.json")
    assert text["To"] == "+15551230001" and reference in text["Body"]
    assert state["recording"] == RECORDING_AUDIO.decode("latin-1") and state["callbacks"] == ["voicemail"]
    # the voicemail's callback is ahead of the caller; nobody staffed yet: one agent's 5 minutes per place
    assert (
        'language="ro-RO"' in hold.text and "aproximativ 10 minute. Sunteți numărul 2 la rând." in hold.text
    )
