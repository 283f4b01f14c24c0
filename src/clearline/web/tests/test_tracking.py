"""Case status without an account (DFS-19, PRD-03): reference + email, a one-time link to the address on
file, status, estimate, public history and reply; no enumeration, rate limited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from clearline.cases.models import Message, TrackingRequest, Visibility
from clearline.cases.services import Author, add_message, open_case


@pytest.fixture
def lookup(django_capture_on_commit_callbacks):
    """POST /track/ and run what it enqueued on commit (the link email), as a real transaction would."""

    def post(visitor: Client, reference: str, email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return visitor.post("/track/", {"reference": reference, "email": email})

    return post


@pytest.fixture
def filed_case(db, organisation, customer):
    case = open_case(
        by=Author.system(),
        customer_email=customer.email,
        subject="Deposit not credited",
        body="My 0.5 ETH deposit has not arrived.",
        topic="deposit_not_credited",
        method="web_form",
        language="en",
    )
    mail.outbox.clear()
    return case


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https://help\.hudson\.test/track/\S+", mail.outbox[0].body)
    assert match
    return match.group(0).removeprefix("https://help.hudson.test")


def test_customer_checks_status_with_reference_and_email_then_replies_DFS_19_PRD_03(
    filed_case, agent, lookup
):
    """Proves DFS-19, PRD-03."""
    add_message(filed_case, by=Author.of_staff(agent), body="We are checking with the network team.")
    add_message(filed_case, by=Author.of_staff(agent), body="internal only", visibility=Visibility.INTERNAL)
    mail.outbox.clear()
    visitor = Client()
    sent = lookup(visitor, filed_case.reference.lower(), "ALICE@customer.test")
    assert sent.status_code == 200 and "If the reference and the email address match" in sent.content.decode()
    assert mail.outbox[0].to == ["alice@customer.test"]
    link = _link_from_outbox()
    page = visitor.get(visitor.get(link)["Location"])
    html = page.content.decode()
    assert filed_case.reference in html and "Being worked on" in html
    assert "We are checking with the network team." in html and "internal only" not in html
    assert 'data-estimate="resolution"' in html
    visitor.post("/track/case/", {"body": "Here is the tx hash 0xabc; thank you."})
    reply = Message.objects.filter(case=filed_case).order_by("-id").first()
    assert reply is not None and reply.author_type == "customer" and "tx hash" in reply.body


def test_the_link_works_once_PRD_03(filed_case, lookup):
    """Proves PRD-03."""
    lookup(Client(), filed_case.reference, "alice@customer.test")
    link = _link_from_outbox()
    assert Client().get(link).status_code == 302
    again = Client().get(link)
    assert again.status_code == 410 and "already been used or has expired" in again.content.decode()


def test_unknown_reference_or_wrong_email_gets_the_same_answer_and_no_mail_PRD_03(filed_case, lookup):
    """PRD-03: No enumeration: the answer and the stored work are the same whether the case exists."""
    visitor = Client()
    match = lookup(visitor, filed_case.reference, "alice@customer.test")
    mail.outbox.clear()
    wrong_email = lookup(visitor, filed_case.reference, "mallory@evil.test")
    unknown = lookup(visitor, "CL-ZZZZZZZZ", "alice@customer.test")
    assert _without_csrf(match) == _without_csrf(wrong_email) == _without_csrf(unknown)
    assert mail.outbox == []
    assert TrackingRequest.objects.count() == 3  # every lookup is recorded alike
    assert Client().get("/track/not-a-token").status_code == 410


def test_lookups_are_rate_limited_per_address_PRD_03(filed_case):
    """Proves PRD-03."""
    visitor = Client()
    statuses = [
        visitor.post("/track/", {"reference": f"CL-{n:08d}", "email": "x@y.test"}).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


def test_tracked_case_page_needs_a_redeemed_link_DFS_19(filed_case):
    """Proves DFS-19."""
    assert Client().get("/track/case/")["Location"] == "/track/"


def test_the_status_page_speaks_spanish_PRD_05(filed_case, lookup):
    """Proves PRD-05."""
    visitor = Client(HTTP_ACCEPT_LANGUAGE="es")
    lookup(visitor, filed_case.reference, "alice@customer.test")
    html = visitor.get(visitor.get(_link_from_outbox())["Location"]).content.decode()
    assert "Estado" in html and "Recibido" in html
