"""Email in the console: the trimmed view with the whole text a click away, attachments and originals as
downloads for whoever may see the case, and the quarantine for admins only."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.db import OperationalError

from clearline.accounts.models import Role
from clearline.channels.email import services
from clearline.channels.email.models import InboundEmail, InboundStatus
from clearline.channels.email.services import ingest_email

pytestmark = pytest.mark.django_db


def _mail() -> bytes:
    message = EmailMessage()
    message["From"] = "Alice <alice@customer.test>"
    message["To"] = "support@example.com"
    message["Subject"] = "Deposit missing"
    message["Message-ID"] = "<console-1@customer.test>"
    message.set_content(
        "My deposit of 300 USDC is missing since this morning.\n\n-- \nAlice\n\n"
        "On Mon, 30 Nov 2026 at 10:00, Support <support@example.com> wrote:\n> Earlier answer text."
    )
    message.add_attachment(b"%PDF-1.4 receipt", maintype="application", subtype="pdf", filename="receipt.pdf")
    return bytes(message)


def test_the_case_page_shows_the_new_words_first_and_the_attachment_as_a_download(signed_in, organisation):
    inbound = ingest_email(_mail(), source="pipe")
    assert inbound.case is not None
    client, _agent = signed_in(Role.AGENT)

    page = client.get(f"/console/cases/{inbound.case.reference}").content.decode()
    attachment = inbound.attachments.get()
    download = client.get(f"/console/mail/attachments/{attachment.pk}")
    original = client.get(f"/console/mail/inbound/{inbound.pk}/original")

    assert "<pre>My deposit of 300 USDC is missing since this morning.</pre>" in page
    assert "Show the whole message" in page and "Earlier answer text." in page
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 receipt"
    assert (
        download["Content-Type"] == "application/octet-stream"
        and "attachment" in download["Content-Disposition"]
    )
    assert original["Content-Type"] == "message/rfc822"


def test_only_admins_see_and_release_the_quarantine(signed_in, organisation):
    inbound = ingest_email(b"Subject: nobody\r\n\r\nno sender at all\r\n", source="pipe")
    agent_client, _ = signed_in(Role.AGENT)
    admin_client, _ = signed_in(Role.ADMIN)

    assert agent_client.get("/console/mail/quarantine").status_code == 403
    assert agent_client.get(f"/console/mail/inbound/{inbound.pk}/original").status_code == 403
    page = admin_client.get("/console/mail/quarantine").content.decode()
    released = admin_client.post(f"/console/mail/quarantine/{inbound.pk}/release")

    assert "No valid sender address" in page and released.status_code == 302
    filed = ingest_email(_mail(), source="pipe")  # an agent may see it, not release anything
    assert agent_client.post(f"/console/mail/quarantine/{filed.pk}/release").status_code == 403
    assert InboundEmail.objects.get(pk=inbound.pk).status == InboundStatus.QUARANTINED


def test_a_release_that_fails_to_file_this_time_tells_the_admin_and_leaves_it_to_the_sweep(
    signed_in, organisation, monkeypatch
):
    """DFS-25: a release is never lost to an error page: the message waits, received, for the sweep."""
    inbound = ingest_email(b"Subject: nobody\r\n\r\nno sender at all\r\n", source="pipe")
    admin_client, _ = signed_in(Role.ADMIN)

    def database_went_away(_inbound_id: int) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "process_inbound_email", database_went_away)
    released = admin_client.post(f"/console/mail/quarantine/{inbound.pk}/release", follow=True)

    assert released.status_code == 200
    assert "retried within minutes" in released.content.decode()
    assert InboundEmail.objects.get(pk=inbound.pk).status == InboundStatus.RECEIVED


def test_an_html_email_is_shown_sanitised_without_scripts_or_remote_images(signed_in, organisation):
    html = (
        "<html><head><style>p{color:red}</style></head><body><p onclick='x()'>My <b>deposit</b> of 2 ETH is "
        "missing since this morning, please check it.</p><script>steal()</script>"
        "<img src='https://tracker.example/pixel.gif'></body></html>"
    )
    raw = (
        "From: alice@customer.test\r\nTo: support@example.com\r\nSubject: HTML only\r\n"
        "Message-ID: <html-1@customer.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    ).encode()
    inbound = ingest_email(raw, source="pipe")
    client, _agent = signed_in(Role.AGENT)

    response = client.get(f"/console/mail/inbound/{inbound.pk}/formatted")
    page = response.content.decode()

    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "base-uri 'none'" in policy and "form-action 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "<b>deposit</b>" in page
    assert "steal()" not in page and "tracker.example" not in page and "onclick" not in page
