"""A Twilio-compatible carrier on loopback: a real HTTP server speaking the parts of Twilio's REST API that
Clearline calls (create and update calls, send messages, fetch a recording). Used by the phone tests and the
end-to-end test; the twilio library reaches it through ``TWILIO_API_URL``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

ACCOUNT_SID = "AC" + "0" * 32
RECORDING_AUDIO = b"ID3\x03\x00\x00\x00\x00\x00\x00fake-mp3-frames"


@dataclass
class Carrier:
    url: str
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def recording_url(self, sid: str = "RE0001") -> str:
        return f"{self.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"

    def sent(self, kind: str) -> list[dict[str, str]]:
        """Form fields of the requests to one resource: "Messages", "Calls" (created) or a call's update."""
        return [form for method, path, form in self.requests if method == "POST" and path.endswith(kind)]


class _CarrierHandler(BaseHTTPRequestHandler):
    carrier: Carrier

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.carrier.requests.append(("GET", path, {}))
        if "/Recordings/" in path and path.endswith(".mp3"):
            self._reply(200, RECORDING_AUDIO, "audio/mpeg")
        else:
            self._reply(404, b'{"message": "not found"}')

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        self.carrier.requests.append(("POST", path, form))
        sid_prefix = "SM" if path.endswith("Messages.json") else "CA"
        sid = f"{sid_prefix}{len(self.carrier.requests):032d}"
        if path.endswith(".json") and "/Calls/" in path:  # an update of a live call
            sid = path.rsplit("/", 1)[1].removesuffix(".json")
        body = {"sid": sid, "account_sid": ACCOUNT_SID, "status": "queued", **form}
        self._reply(201, json.dumps(body).encode())


@contextmanager
def running_carrier() -> Iterator[Carrier]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CarrierHandler)
    carrier = Carrier(url=f"http://127.0.0.1:{server.server_address[1]}")
    _CarrierHandler.carrier = carrier
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield carrier
    finally:
        server.shutdown()
        server.server_close()
