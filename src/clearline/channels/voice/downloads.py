"""Call recordings handed to staff as downloads."""

from __future__ import annotations

from django.http import FileResponse

from .models import Call


def recording_response(call: Call) -> FileResponse:
    response = FileResponse(call.recording.open("rb"), as_attachment=True, filename=f"{call.call_sid}.mp3")
    response["Content-Type"] = "audio/mpeg"
    response["X-Content-Type-Options"] = "nosniff"
    return response
