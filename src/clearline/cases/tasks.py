"""Background jobs of the cases app: thin wrappers named after what they do."""

from __future__ import annotations

import logging

from huey import RetryTask, crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from clearline.channels.email.outbound import send_case_message, send_email
from clearline.channels.voice.outbound import send_case_text
from clearline.core.rows import row_and_parents

from . import services
from .models import Case, DeliveryStatus, Message
from .services import routing
from .templates_text import render_message_template

logger = logging.getLogger(__name__)


@db_task(retries=5, retry_delay=30)
def deliver_message(message_id: int) -> None:
    """Send a public outbound message to the customer's email address, or by SMS to a customer known only by
    phone number (a caller); retried on a mail-system error, marked failed for a message no retry can send."""
    # One plain SELECT of the message, its case and the customer (core.rows), run for every acknowledgement
    # and reply: the ORM compiled a SELECT over the three tables' columns for each, the largest single part
    # of a delivery's time.
    try:
        message = row_and_parents(Message, message_id, ("case", "customer"))
    except Message.DoesNotExist:
        return
    if message.delivery_status != DeliveryStatus.PENDING:
        return  # already delivered (a retry after success) or not meant for delivery
    try:
        if message.case.customer.email:
            send_case_message(message)
        else:
            send_case_text(message)
    except OSError as error:  # SMTP and file errors: kept pending and retried by Huey, the error recorded
        Message.objects.filter(pk=message_id).update(delivery_error=str(error)[:500])
        logger.warning("delivery of message %s failed: %s", message_id, error)
        raise RetryTask() from error
    except ValueError as error:  # a malformed message (Django's BadHeaderError...): a retry cannot succeed
        services.mark_delivery(message_id, delivered=False, error=f"{type(error).__name__}: {error}")
        logger.error("delivery of message %s failed for good: %s", message_id, error)
        return
    services.mark_delivery(message_id, delivered=True)


@db_periodic_task(crontab(minute="*/10"))
def redeliver_stalled_messages() -> None:
    """Acknowledgements and replies whose delivery job was lost or gave up are sent again (DFS-12)."""
    with lock_task("delivery-sweep"):
        services.redeliver_stalled_messages()


@db_task(retries=5, retry_delay=30)
def send_tracking_link(case_id: int, link: str) -> None:
    """The one-time status link (DFS-19), to the address on file only; never stored on the case."""
    case = Case.objects.select_related("customer").get(pk=case_id)
    if not case.customer.email:
        return  # the link goes to an address on file only; a caller asks on the phone
    text = render_message_template(
        "tracking_link", language=case.language, context={"reference": case.reference, "link": link}
    )
    send_email(
        to=case.customer.email,
        subject=text.subject,
        body=text.body,
        headers={"Auto-Submitted": "auto-generated", "X-Clearline-Reference": case.reference},
    )


@db_task(retries=2, retry_delay=10)
def route_new_case(case_id: int) -> None:
    routing.route_case(case_id)


@db_periodic_task(crontab(minute="*"))
def route_unassigned_cases_every_minute() -> None:
    """Cases that found nobody at intake are offered again as agents come on (PRD-04)."""
    with lock_task("case-routing"):
        routing.route_unassigned_cases()
