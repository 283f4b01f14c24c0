"""PRD-06: every action of the console is available over the versioned JSON API and its OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver

from clearline.accounts.models import Role
from clearline.kb.models import ArticleText

pytestmark = pytest.mark.django_db

# console route name -> the API operation that does the same
API_FOR_CONSOLE = {
    "queue": ("get", "/api/v1/cases"),
    "breaches": ("get", "/api/v1/sla/breaches"),
    "case": ("get", "/api/v1/cases/{reference}"),
    "reply": ("post", "/api/v1/cases/{reference}/messages"),
    "reclassify": ("post", "/api/v1/cases/{reference}/reclassify"),
    "assign": ("post", "/api/v1/cases/{reference}/assign"),
    "resolve": ("post", "/api/v1/cases/{reference}/resolve"),
    "reopen": ("post", "/api/v1/cases/{reference}/reopen"),
    "merge": ("post", "/api/v1/cases/{reference}/merge"),
    "faq": ("post", "/api/v1/kb/articles"),
    "faq_text": ("put", "/api/v1/kb/articles/{slug}/texts/{language}"),
    "compliance": ("get", "/api/v1/compliance/packs"),
    "compliance_pack": ("get", "/api/v1/compliance/reports/dfs/{quarter}.{fmt}"),
    "compliance_freeze": ("post", "/api/v1/compliance/packs"),
    "mail_quarantine": ("get", "/api/v1/mail/quarantine"),
    "mail_release": ("post", "/api/v1/mail/quarantine/{inbound_id}/release"),
    "mail_original": ("get", "/api/v1/mail/inbound/{inbound_id}/original"),
    "mail_formatted": ("get", "/api/v1/mail/inbound/{inbound_id}/formatted"),
    "mail_attachment": ("get", "/api/v1/mail/attachments/{attachment_id}"),
    "faq_coverage": ("get", "/api/v1/kb/coverage"),
    "calls": ("get", "/api/v1/phone/calls"),
    "calls_seat": ("put", "/api/v1/phone/seat"),
    "calls_next": ("post", "/api/v1/phone/calls/next"),
    "calls_log": ("post", "/api/v1/phone/calls/{call_sid}/log"),
    "call_recording": ("get", "/api/v1/phone/calls/{call_sid}/recording"),
}
SIGN_IN = {"login", "mfa", "logout"}  # the console's own session, not a capability


def test_every_console_action_has_an_api_operation_PRD_06() -> None:
    """PRD-06: a console page or action without an API operation fails this test."""
    [console_urls] = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "console"]
    console = {pattern.name for pattern in console_urls.url_patterns if pattern.name}
    assert console - SIGN_IN == set(API_FOR_CONSOLE)
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for name, (method, path) in API_FOR_CONSOLE.items():
        assert method in paths.get(path, {}), (name, method, path)


def test_faq_editing_over_the_api_PRD_06_DFS_21(organisation, faq, make_staff, api_client_for) -> None:
    """PRD-06, DFS-21: create, write, withdraw an article with a token; agents may not."""
    editor = api_client_for(make_staff(Role.SUPERVISOR))
    body = {"content_type": "application/json"}
    created = editor.post(
        "/api/v1/kb/articles", {"slug": "api-article", "category": "deposits-withdrawals"}, **body
    )
    assert created.status_code == 201
    written = editor.put(
        "/api/v1/kb/articles/api-article/texts/ro", {"title": "Titlu", "body_markdown": "Text."}, **body
    )
    assert written.json()["texts"]["ro"]["revision"] == 1
    assert ArticleText.objects.get(article__slug="api-article", language="ro").body_html == "<p>Text.</p>\n"
    assert (
        editor.post("/api/v1/kb/articles/api-article/publish", {"published": False}, **body).json()[
            "is_published"
        ]
        is False
    )
    agent = api_client_for(make_staff(Role.AGENT))
    assert agent.get("/api/v1/kb/articles").status_code == 403
    assert editor.get("/api/v1/kb/coverage").status_code == 200
    assert editor.get("/api/v1/sla/breaches").json() == {"overdue": [], "events": []}
