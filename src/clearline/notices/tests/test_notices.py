"""Planned events and incidents (DFS-22) and incidents linked to cases (CRY-05): the public status page, the
banner on every page, the intake notice, case tagging, and one update reaching every linked open case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from clearline.cases.models import Case, CaseStatus, Message, Purpose
from clearline.cases.services import Author, open_case, resolve_case
from clearline.core.errors import DomainError, PermissionDenied
from clearline.notices import services
from clearline.notices.models import Notice, NoticeCase, NoticeUpdate, Stage

pytestmark = pytest.mark.django_db

DELAYED = {
    "en": "Deposits on Ethereum are delayed; they will be credited automatically. No action is needed.",
    "es": "Los depósitos en Ethereum se retrasan; se acreditarán automáticamente. No tiene que hacer nada.",
}


@pytest.fixture
def incident(organisation, supervisor) -> Notice:
    return services.declare_notice(
        by=supervisor,
        kind="incident",
        titles={"en": "Ethereum deposits delayed", "es": "Depósitos de Ethereum retrasados"},
        impact="degraded",
        components=["ethereum"],
        topics=["deposit_not_credited"],
        intake_notices=DELAYED,
        first_update={"en": "We are investigating slow Ethereum deposits.", "es": "Estamos investigando."},
    )


def _file(email: str, network: str, *, topic: str = "deposit_not_credited", language: str = "en") -> Case:
    return open_case(
        by=Author.system(),
        customer_email=email,
        subject="Deposit",
        body="My deposit has not arrived.",
        topic=topic,
        method="email",
        language=language,
        details={"network": network} if network else {},
    )


def test_incident_on_a_network_is_shown_on_intake_and_tags_the_matching_case_CRY_05(incident) -> None:
    """CRY-05, DFS-22: filing a deposit case on the affected network shows the notice and links the case."""
    visitor = Client()
    assert DELAYED["en"] in visitor.get("/contact/new/?topic=deposit_not_credited").content.decode()
    assert DELAYED["en"] not in visitor.get("/contact/new/?topic=fees").content.decode()
    response = visitor.post(
        "/contact/new/?topic=deposit_not_credited",
        {"kind": "request", "email": "ana@example.test", "body": "Deposit missing", "network": "ethereum"},
    )
    assert DELAYED["en"] in visitor.get(response["Location"]).content.decode()
    case = Case.objects.get()
    assert list(NoticeCase.objects.filter(case=case).values_list("notice", flat=True)) == [incident.pk]
    other_network = _file("bo@example.test", "bitcoin")
    other_topic = _file("cy@example.test", "", topic="fees")
    assert not NoticeCase.objects.filter(case__in=[other_network, other_topic]).exists()


def test_one_incident_update_reaches_every_linked_open_case_in_its_language_CRY_05(
    incident, supervisor, agent, django_capture_on_commit_callbacks
) -> None:
    """CRY-05, DFS-18: an update becomes a customer-facing status update on each linked open case, once."""
    english, spanish, closed = (
        _file("en@example.test", "ethereum"),
        _file("es@example.test", "ethereum", language="es"),
        _file("done@example.test", "ethereum"),
    )
    resolve_case(closed, by=agent, outcome="resolved", rationale="Credited.", explanation="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update = services.post_update(
            incident,
            by=supervisor,
            stage=Stage.IDENTIFIED,
            bodies={
                "en": "A node fell behind and is catching up.",
                "es": "Un nodo se retrasó y se está poniendo al día.",
            },
        )
    updates = Message.objects.filter(purpose=Purpose.STATUS_UPDATE).order_by("case_id")
    assert [m.case_id for m in updates] == [english.pk, spanish.pk]
    assert "A node fell behind" in updates[0].body and "Un nodo se retrasó" in updates[1].body
    assert sorted(m.to[0] for m in mail.outbox) == ["en@example.test", "es@example.test"]
    english.refresh_from_db()
    assert english.last_customer_update_at == updates[0].created_at  # the cadence clock restarts (DFS-18)
    assert NoticeUpdate.objects.get(pk=update.pk).cases_updated == 2
    assert services.send_update_to_linked_cases(update.pk) == 0  # a retried job tells nobody twice
    assert Message.objects.filter(purpose=Purpose.STATUS_UPDATE).count() == 2


def test_status_page_is_public_with_components_incidents_and_planned_maintenance_DFS_22(
    incident, supervisor
) -> None:
    """DFS-22: /status without login lists component states, incident updates and planned maintenance."""
    start = timezone.now() + dt.timedelta(days=2)
    services.declare_notice(
        by=supervisor,
        kind="maintenance",
        titles={"en": "Solana node upgrade", "es": "Actualización de nodos de Solana"},
        impact="maintenance",
        components=["solana"],
        first_update={"en": "Solana deposits and withdrawals pause for 30 minutes."},
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )
    assert "Solana node upgrade" in Client().get("/").content.decode()  # announced on the front page too
    page = Client().get("/status/").content.decode()
    assert "Ethereum deposits delayed" in page and "We are investigating slow Ethereum deposits." in page
    assert '<span>Ethereum</span> <span class="state state-degraded">Degraded performance</span>' in page
    assert '<span>Solana</span> <span class="state state-operational">Operational</span>' in page
    assert "Solana node upgrade" in page and "Solana deposits and withdrawals pause" in page
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get("/status/").content.decode()
    assert "Depósitos de Ethereum retrasados" in spanish and "Mantenimiento programado" in spanish


def test_banner_on_every_public_page_while_an_incident_is_active_DFS_22(incident, supervisor, faq) -> None:
    """DFS-22: while the incident is open every public page carries the banner; resolved, it goes."""
    visitor = Client()
    for path in ("/", "/contact/", "/faq/", "/track/", "/status/", "/contact/new/"):
        assert "Service incident: Ethereum deposits delayed" in visitor.get(path).content.decode(), path
    services.post_update(
        incident, by=supervisor, stage=Stage.RESOLVED, bodies={"en": "All deposits credited."}
    )
    assert "Service incident" not in visitor.get("/").content.decode()
    assert "All deposits credited." in visitor.get("/status/").content.decode()  # kept in the recent history
    with pytest.raises(DomainError):
        services.post_update(incident, by=supervisor, stage=Stage.MONITORING, bodies={"en": "again"})


def test_maintenance_is_announced_a_day_ahead_and_its_window_opens_on_time_DFS_22(
    organisation, supervisor
) -> None:
    """DFS-22: maintenance needs 24 h notice (or a recorded reason); during the window the banner shows."""
    soon = timezone.now() + dt.timedelta(hours=2)
    fields = {
        "by": supervisor,
        "kind": "maintenance",
        "titles": {"en": "Bitcoin wallet maintenance"},
        "impact": "maintenance",
        "components": ["bitcoin"],
        "first_update": {"en": "Bitcoin withdrawals pause."},
    }
    with pytest.raises(DomainError, match="24 hours"):
        services.declare_notice(**fields, starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    start = timezone.now() + dt.timedelta(days=1, minutes=5)
    services.declare_notice(**fields, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    before = Client().get("/").content.decode()
    assert "Maintenance in progress" not in before and "Bitcoin wallet maintenance: " in before  # announced
    with time_machine.travel(start + dt.timedelta(minutes=1)):
        assert "Maintenance in progress: Bitcoin wallet maintenance" in Client().get("/").content.decode()
    with time_machine.travel(start + dt.timedelta(hours=2)):
        assert "Bitcoin wallet maintenance" not in Client().get("/").content.decode()
    urgent = services.declare_notice(
        **fields, starts_at=soon, ends_at=soon + dt.timedelta(hours=1), short_notice_reason="Security patch"
    )
    assert urgent.stage == Stage.SCHEDULED


def test_platform_wide_incident_tags_every_contact_received_during_it_DFS_22(
    organisation, supervisor
) -> None:
    """DFS-22: contacts received during an incident are tagged with it, from any channel."""
    outage = services.declare_notice(
        by=supervisor,
        kind="incident",
        titles={"en": "Sign-in failing"},
        impact="major_outage",
        components=["sign_in"],
        first_update={"en": "Sign-in is failing for some customers."},
    )
    during = _file("dee@example.test", "", topic="account_access")
    assert NoticeCase.objects.filter(notice=outage, case=during).exists()
    assert during.status == CaseStatus.NEW


def test_only_supervisors_and_admins_manage_notices_and_bad_input_gets_4xx(
    organisation, agent, supervisor, api_client_for
) -> None:
    """DFS-22: declaring and updating over the API needs the notice capability; errors are JSON 4xx."""
    with pytest.raises(PermissionDenied):
        services.declare_notice(
            by=agent,
            kind="incident",
            titles={"en": "x"},
            impact="degraded",
            components=["website"],
            first_update={"en": "x"},
        )
    body = {
        "kind": "incident",
        "titles": {"en": "Website slow"},
        "impact": "degraded",
        "components": ["website"],
        "first_update": {"en": "Pages load slowly."},
    }
    assert (
        api_client_for(agent).post("/api/v1/notices", body, content_type="application/json").status_code
        == 403
    )
    api = api_client_for(supervisor)
    created = api.post("/api/v1/notices", body, content_type="application/json")
    assert created.status_code == 201
    notice_id = created.json()["id"]
    for bad in (
        {**body, "components": ["nope"]},
        {**body, "impact": "apocalypse"},
        {**body, "titles": {"es": "x"}},
    ):
        response = api.post("/api/v1/notices", bad, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"]
    updated = api.post(
        f"/api/v1/notices/{notice_id}/updates",
        {"stage": "monitoring", "bodies": {"en": "Fixed; watching."}},
        content_type="application/json",
    )
    assert updated.status_code == 201 and updated.json()["stage"] == "monitoring"
    wrong_stage = api.post(
        f"/api/v1/notices/{notice_id}/updates",
        {"stage": "scheduled", "bodies": {"en": "x"}},
        content_type="application/json",
    )
    assert wrong_stage.status_code == 422
    assert api.get("/api/v1/notices/99999").status_code == 404
