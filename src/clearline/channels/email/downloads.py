"""Stored files handed to staff: always as downloads, never rendered inline (they come from outside)."""

from __future__ import annotations

from django.http import FileResponse

from .models import EmailAttachment, InboundEmail


def original_response(inbound: InboundEmail) -> FileResponse:
    response = FileResponse(
        inbound.raw.open("rb"), as_attachment=True, filename=f"{inbound.raw_sha256[:16]}.eml"
    )
    response["Content-Type"] = "message/rfc822"
    return _hardened(response)


def attachment_response(attachment: EmailAttachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)
    response["Content-Type"] = "application/octet-stream"  # the sender's declared type is not trusted
    return _hardened(response)


def _hardened(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
