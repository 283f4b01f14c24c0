"""The JSON API per contract.md: shapes, the role matrix for every endpoint, 4xx (never 500) on bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clearline.accounts.api_auth import CUSTOMER_SESSION_KEY
from clearline.accounts.models import Customer, Role
from clearline.cases import services
from clearline.cases.models import Case

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "topic": "deposit_not_credited",
    "method": "in_app",
    "customer": {"email": "carol@customer.test", "segment": "individual"},
    "subject": "ETH deposit missing",
    "body": "I sent 0.5 ETH two hours ago and it is not in my account yet. Can you check?",
}


def post(client: Client, path: str, data) -> object:
    return client.post(path, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def open_case(agent) -> Case:
    return services.open_case(
        by=services.Author.of_staff(agent),
        customer_email="dave@customer.test",
        subject="Locked out",
        body="I lost my 2FA device, how do I get back in?",
        topic="account_access",
        method="email",
    )


@pytest.fixture
def customer_client(db) -> tuple[Client, Customer]:
    customer = Customer.objects.create(email="carol@customer.test", segment="individual")
    client = Client(enforce_csrf_checks=False)
    session = client.session
    session[CUSTOMER_SESSION_KEY] = customer.pk
    session.save()
    return client, customer


def test_create_case_answers_201_with_reference_and_acknowledgement_dfs_12(agent, api_client_for):
    """DFS-12: create case answers 201 with reference and acknowledgement."""
    response = post(api_client_for(agent), "/api/v1/cases", NEW_CASE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("CL-") and len(body["reference"]) == 11
    assert body["acknowledged_at"] is not None and body["estimated_response_at"] is not None
    assert (body["kind"], body["topic"], body["method"]) == ("request", "deposit_not_credited", "in_app")


def test_get_case_has_contract_fields_and_timeline(agent, api_client_for, open_case):
    response = api_client_for(agent).get(f"/api/v1/cases/{open_case.reference}")
    assert response.status_code == 200
    body = response.json()
    for field in (
        "reference",
        "kind",
        "topic",
        "method",
        "status",
        "language",
        "received_at",
        "acknowledged_at",
        "outcome",
        "messages",
    ):
        assert field in body
    assert [(m["direction"], m["author_type"], m["visibility"]) for m in body["messages"]] == [
        ("inbound", "customer", "public"),
        ("outbound", "system", "public"),
    ]
    assert {"body", "created_at"} <= set(body["messages"][0])


def test_anonymous_gets_401_on_every_endpoint(open_case):
    client = Client()
    ref = open_case.reference
    for method, path in [
        ("get", "/api/v1/cases"),
        ("post", "/api/v1/cases"),
        ("get", f"/api/v1/cases/{ref}"),
        ("get", f"/api/v1/cases/{ref}/messages"),
        ("post", f"/api/v1/cases/{ref}/messages"),
        ("post", f"/api/v1/cases/{ref}/reclassify"),
        ("post", f"/api/v1/cases/{ref}/assign"),
        ("post", f"/api/v1/cases/{ref}/resolve"),
        ("post", f"/api/v1/cases/{ref}/reopen"),
        ("get", "/api/v1/topics"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401, (method, path)
        assert "detail" in response.json()


def test_invalid_token_is_401(open_case):
    response = Client(HTTP_AUTHORIZATION="Bearer cl_not-a-real-token").get("/api/v1/cases")
    assert response.status_code == 401


# (role, may read, may write, may downgrade)
ROLES = [
    (Role.AGENT, True, True, False),
    (Role.SUPERVISOR, True, True, True),
    (Role.ADMIN, True, True, True),
    (Role.COMPLIANCE, True, False, False),
    (Role.EXAMINER, True, False, False),
]


@pytest.mark.parametrize(("role", "may_read", "may_write", "may_downgrade"), ROLES)
def test_role_matrix_for_every_endpoint_dfs_33(
    role, may_read, may_write, may_downgrade, make_staff, api_client_for, open_case
):
    """DFS-33: role matrix for every endpoint."""
    staff = make_staff(role)
    client = api_client_for(staff)
    ref = open_case.reference
    read_codes = {200} if may_read else {403}
    assert client.get("/api/v1/cases").status_code in read_codes
    assert client.get(f"/api/v1/cases/{ref}").status_code in read_codes
    assert client.get(f"/api/v1/cases/{ref}/messages").status_code in read_codes
    assert client.get("/api/v1/topics").status_code == 200

    write = {201, 200} if may_write else {403}
    assert post(client, "/api/v1/cases", NEW_CASE).status_code in write
    assert (
        post(client, f"/api/v1/cases/{ref}/messages", {"body": "note", "visibility": "internal"}).status_code
        in write
    )
    assert (
        post(client, f"/api/v1/cases/{ref}/reclassify", {"kind": "complaint", "reason": "upset"}).status_code
        in write
    )
    assert post(client, f"/api/v1/cases/{ref}/assign", {"assignee": staff.email}).status_code in (
        write if role != Role.ADMIN else {422}
    )  # admins are not HCSRs: cases go to agents and supervisors
    downgrade = post(
        client, f"/api/v1/cases/{ref}/reclassify", {"kind": "request", "reason": "not a complaint"}
    )
    assert downgrade.status_code == (200 if may_downgrade else 403)
    resolved = post(client, f"/api/v1/cases/{ref}/resolve", {"outcome": "resolved", "rationale": "done"})
    assert resolved.status_code in write
    reopened = post(client, f"/api/v1/cases/{ref}/reopen", {"reason": "customer wrote back"})
    assert reopened.status_code in write
    open_case.refresh_from_db()
    if not may_write:
        assert open_case.status == "new" and open_case.kind == "request"
        assert Case.objects.count() == 1


def test_customer_sees_only_own_cases_and_no_internal_notes(
    customer_client, agent, api_client_for, open_case
):
    client, customer = customer_client
    created = post(client, "/api/v1/cases", NEW_CASE)
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    post(
        api_client_for(agent),
        f"/api/v1/cases/{reference}/messages",
        {"body": "VIP", "visibility": "internal"},
    )
    own = client.get(f"/api/v1/cases/{reference}").json()
    assert all(m["visibility"] == "public" for m in own["messages"]) and own["assignee"] is None
    # someone else's case answers exactly like an unknown reference
    other = client.get(f"/api/v1/cases/{open_case.reference}")
    unknown = client.get("/api/v1/cases/CL-ZZZZZZZZ")
    assert other.status_code == unknown.status_code == 404 and other.json() == unknown.json()
    # customers cannot list the queue, reclassify, resolve, or open cases for someone else
    assert client.get("/api/v1/cases").status_code == 403
    assert (
        post(
            client, f"/api/v1/cases/{reference}/resolve", {"outcome": "resolved", "rationale": "x"}
        ).status_code
        == 403
    )
    assert post(client, "/api/v1/cases", {**NEW_CASE, "customer": {"email": "x@y.test"}}).status_code == 403
    for path, body in [
        (f"/api/v1/cases/{reference}/reclassify", {"kind": "complaint", "reason": "x"}),
        (f"/api/v1/cases/{reference}/assign", {"assignee": None}),
        (f"/api/v1/cases/{reference}/reopen", {"reason": "x"}),
        (f"/api/v1/cases/{reference}/messages", {"body": "note", "visibility": "internal"}),
    ]:
        assert post(client, path, body).status_code in (403, 422), path
    assert client.get(f"/api/v1/cases/{reference}/messages").status_code == 200
    assert client.get("/api/v1/topics").status_code == 200
    reply = post(client, f"/api/v1/cases/{reference}/messages", {"body": "Any news?"})
    assert reply.status_code == 201 and reply.json()["author_type"] == "customer"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW_CASE, "topic": "lambo"}, "topic"),
        ({**NEW_CASE, "method": "fax"}, "method"),
        ({**NEW_CASE, "kind": "rant"}, "kind"),
        ({**NEW_CASE, "customer": {"email": "not-an-email"}}, "email"),
        ({**NEW_CASE, "subject": ""}, "subject"),
        ({**NEW_CASE, "subject": "x" * 301}, "subject"),
        ({k: v for k, v in NEW_CASE.items() if k != "body"}, "body"),
        ({**NEW_CASE, "body": "   "}, "body"),
        ({**NEW_CASE, "language": "de"}, "language"),
        ({**NEW_CASE, "related_reference": "CL-ZZZZZZZZ"}, "related_reference"),
        ({**NEW_CASE, "details": {"network": "ethereum", "tx_hash": "0x123"}}, "details.tx_hash"),
        (
            {
                **NEW_CASE,
                "details": {"network": "bitcoin", "to_address": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"},
            },
            "details.to_address",
        ),
        ({**NEW_CASE, "details": {"network": "ethereum", "seed_phrase": "x"}}, "details.seed_phrase"),
    ],
)
def test_bad_input_gets_4xx_naming_the_field(payload, field, agent, api_client_for):
    """CRY-02: structured details are validated per network over the API as on the web form."""
    response = post(api_client_for(agent), "/api/v1/cases", payload)
    assert 400 <= response.status_code < 500, response.content
    assert field in json.dumps(response.json()["detail"]) + str(response.json().get("field"))
    assert Case.objects.count() == 0


def test_api_stores_crypto_details_normalised_with_explorer_links_CRY_02(agent, api_client_for):
    """CRY-02: valid details are stored normalised, with the network's explorer links, and read back."""
    details = {"network": "ethereum", "asset": "eth", "tx_hash": "0x" + "AB" * 32, "amount": "0.50"}
    response = post(api_client_for(agent), "/api/v1/cases", {**NEW_CASE, "details": details})
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.details["tx_hash"] == "0x" + "ab" * 32 and case.details["amount"] == "0.5"
    assert case.details["explorer_links"] == {"tx_hash": "https://etherscan.io/tx/0x" + "ab" * 32}


def test_malformed_json_and_wrong_types_are_4xx(agent, api_client_for):
    client = api_client_for(agent)
    assert client.post("/api/v1/cases", data="{not json", content_type="application/json").status_code == 400
    assert post(client, "/api/v1/cases", ["a list"]).status_code == 422
    assert post(client, "/api/v1/cases", {**NEW_CASE, "customer": "bob"}).status_code == 422
    assert client.get("/api/v1/cases?limit=abc").status_code == 422
    assert client.get("/api/v1/cases?limit=0").status_code == 422
    assert client.get("/api/v1/cases?cursor=%%%").status_code == 422


def test_resolve_adverse_outcome_without_explanation_is_422_dfs_20(agent, api_client_for, open_case):
    """DFS-20: resolve adverse outcome without explanation is 422."""
    client = api_client_for(agent)
    response = post(
        client,
        f"/api/v1/cases/{open_case.reference}/resolve",
        {"outcome": "partially_resolved", "rationale": "Refunded the fee only"},
    )
    assert response.status_code == 422 and response.json()["field"] == "explanation"
    ok = post(
        client,
        f"/api/v1/cases/{open_case.reference}/resolve",
        {
            "outcome": "partially_resolved",
            "rationale": "Refunded the fee only",
            "explanation": "We refunded the network fee but cannot reverse an on-chain transfer.",
        },
    )
    assert ok.status_code == 200 and ok.json()["outcome"] == "partially_resolved"


def test_queue_is_ordered_by_due_time_with_cursor_pagination(agent, api_client_for):
    for topic in ["tax_documents", "unauthorized_transaction", "fees", "account_access", "other"]:
        services.open_case(
            by=services.Author.of_staff(agent),
            customer_email="e@customer.test",
            subject=topic,
            body="Please help with this.",
            topic=topic,
            method="email",
        )
    client = api_client_for(agent)
    first = client.get("/api/v1/cases?limit=2").json()
    second = client.get(f"/api/v1/cases?limit=2&cursor={first['next_cursor']}").json()
    third = client.get(f"/api/v1/cases?limit=2&cursor={second['next_cursor']}").json()
    subjects = [c["subject"] for page in (first, second, third) for c in page["items"]]
    # 1 and 4 business hours for the urgent topics, then the default policy's 8 in the order received
    assert subjects == ["unauthorized_transaction", "account_access", "tax_documents", "fees", "other"]
    assert third["next_cursor"] is None
    only_fees = client.get("/api/v1/cases?topic=fees").json()["items"]
    assert [c["subject"] for c in only_fees] == ["fees"]


def test_queue_page_uses_a_constant_number_of_queries(agent, api_client_for, django_assert_num_queries):
    client = api_client_for(agent)
    for n in range(30):
        services.open_case(
            by=services.Author.of_staff(agent),
            customer_email=f"q{n}@customer.test",
            subject=f"s{n}",
            body="Please help with this.",
            topic="fees",
            method="email",
        )
    client.get("/api/v1/cases?limit=5")  # warm the token's last-used stamp
    with django_assert_num_queries(1):  # one joined page query (the token was cached by the warm-up call)
        assert len(client.get("/api/v1/cases?limit=25").json()["items"]) == 25


def test_openapi_document_is_served():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/cases" in paths and "/api/v1/cases/{reference}/resolve" in paths


def test_a_reply_based_on_an_older_timeline_gets_409_with_who_wrote_PRD_04(
    agent, open_case, make_staff, api_client_for
):
    """PRD-04 collision warning over the API: ``seen_up_to`` older than someone else's message -> 409."""
    case = open_case
    seen = case.messages.order_by("-pk").first().pk
    other = make_staff()
    api_client_for(other).post(
        f"/api/v1/cases/{case.reference}/messages", {"body": "Done."}, content_type="application/json"
    )

    late = api_client_for(agent).post(
        f"/api/v1/cases/{case.reference}/messages",
        {"body": "Working on it.", "seen_up_to": seen},
        content_type="application/json",
    )

    assert late.status_code == 409 and other.email in late.json()["detail"]
    assert not case.messages.filter(body="Working on it.").exists()


def test_a_nul_character_anywhere_in_a_request_is_a_422_with_a_message_not_a_500(agent, api_client_for):
    """PostgreSQL text cannot hold NUL: a body or query string that carries one is refused before any write;
    case text from other paths (the console) loses it instead."""
    client = api_client_for(agent)
    bad_customer = {**NEW_CASE, "customer": {**NEW_CASE["customer"], "name": "Carol\u0000"}}

    for response in (
        post(client, "/api/v1/cases", bad_customer),
        post(client, "/api/v1/cases", {**NEW_CASE, "body": "Deposit\u0000 missing"}),
        client.get("/api/v1/cases", {"q": "a\u0000b"}),
    ):
        assert response.status_code == 422 and "NUL" in response.json()["detail"]
    assert not Case.objects.exists()

    case = services.open_case(
        by=services.Author.of_staff(agent),
        customer_email="dave@customer.test",
        subject="Locked\u0000 out",
        body="I lost my 2FA device\u0000, how do I get back in?",
        topic="account_access",
        method="email",
    )
    assert case.subject == "Locked out" and "\u0000" not in case.opening_message.body
