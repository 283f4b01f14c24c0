"""The staff FAQ editor and the complaint-topic coverage report (DFS-21)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from clearline.accounts.models import Role
from clearline.cases.models import Case
from clearline.cases.services import Author, open_case
from clearline.kb.models import Article, ArticleText
from clearline.kb.selectors import complaint_topic_coverage, previous_quarter

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def console_for(signed_in):
    """A client past both factors, for a role (the shared ``signed_in`` without the staff member)."""
    return lambda role: signed_in(role)[0]


def test_supervisor_writes_an_article_in_markdown_sanitised_with_revisions_DFS_21(
    organisation, faq, console_for
) -> None:
    """DFS-21: staff create an article, write it per language in Markdown (no raw HTML), every save is a
    revision and a review; withdrawing takes it off the public FAQ."""
    editor = console_for(Role.SUPERVISOR)
    created = editor.post(
        "/console/faq/",
        {"slug": "staking-rewards-late", "category": "deposits-withdrawals", "topics": ["staking_rewards"]},
    )
    assert created.status_code == 302 and created["Location"].endswith("/console/faq/staking-rewards-late/en")
    url = "/console/faq/staking-rewards-late/es"
    editor.post(
        url, {"title": "Recompensas de staking", "body": "Se pagan **cada día**. <script>alert(1)</script>"}
    )
    editor.post(
        url, {"title": "Recompensas de staking", "body": "Se pagan cada día a las 12:00 UTC.", "note": "hora"}
    )
    text = ArticleText.objects.get(article__slug="staking-rewards-late", language="es")
    assert text.revision == 2 and text.revisions.count() == 2
    page = editor.get(url).content.decode()
    assert "Revision 2" in page and "hora" in page
    editor.post(url, {"title": "x", "body": "<script>alert(1)</script>"})
    assert "<script>" not in ArticleText.objects.get(pk=text.pk).body_html
    public = Client(HTTP_ACCEPT_LANGUAGE="es")
    assert public.get("/faq/staking-rewards-late/").status_code == 200
    editor.post(url, {"published": "0"})
    assert not Article.objects.get(slug="staking-rewards-late").is_published
    assert public.get("/faq/staking-rewards-late/").status_code == 404
    assert (
        editor.post("/console/faq/", {"slug": "Bad Slug!", "category": "deposits-withdrawals"}).status_code
        == 302
    )
    assert not Article.objects.filter(slug="Bad Slug!").exists()


def test_agents_cannot_edit_the_faq(organisation, faq, console_for) -> None:
    """DFS-21: editing needs the FAQ capability (supervisors and admins)."""
    agent = console_for(Role.AGENT)
    assert agent.get("/console/faq/").status_code == 403
    assert agent.post("/console/faq/deposit-not-credited/en", {"title": "x", "body": "y"}).status_code == 403


def test_coverage_report_maps_last_quarters_top_complaint_topics_to_faq_articles_DFS_21(
    organisation, faq, console_for
) -> None:
    """DFS-21: last quarter's complaint topics, most frequent first, with the articles that answer them and
    the languages they are missing in; other quarters and requests do not count."""
    in_quarter = dt.datetime(2026, 8, 10, 12, tzinfo=NEW_YORK)

    def complaint(topic: str, at: dt.datetime, kind: str = "complaint") -> Case:
        words = ("Unhappy", "Not good.") if kind == "complaint" else ("Question", "How does this work?")
        return open_case(
            by=Author.system(),
            customer_email="c@example.test",
            subject=words[0],
            body=words[1],
            topic=topic,
            method="email",
            kind=kind,
            received_at=at,
        )

    for _ in range(3):
        complaint("deposit_not_credited", in_quarter)
    for _ in range(2):
        complaint("fees", in_quarter)
    complaint("trading", in_quarter, kind="request")
    complaint("trading", dt.datetime(2026, 10, 1, 0, 30, tzinfo=NEW_YORK))  # next quarter, New York time
    complaint("trading", dt.datetime(2026, 6, 30, 23, 30, tzinfo=NEW_YORK))  # previous quarter
    rows = complaint_topic_coverage(
        dt.datetime(2026, 7, 1, tzinfo=NEW_YORK), dt.datetime(2026, 10, 1, tzinfo=NEW_YORK)
    )
    assert [(row.topic, row.complaints) for row in rows] == [("deposit_not_credited", 3), ("fees", 2)]
    assert rows[0].articles == ["deposit-not-credited"] and rows[0].missing_languages == []
    with time_machine.travel(dt.datetime(2026, 11, 15, 12, tzinfo=NEW_YORK)):
        page = console_for(Role.COMPLIANCE).get("/console/faq/coverage").content.decode()
    assert "2026-07-01" in page and "deposit-not-credited" in page


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (dt.date(2026, 11, 30), (dt.date(2026, 7, 1), dt.date(2026, 10, 1))),
        (dt.date(2026, 1, 1), (dt.date(2025, 10, 1), dt.date(2026, 1, 1))),
        (dt.date(2026, 4, 1), (dt.date(2026, 1, 1), dt.date(2026, 4, 1))),
        (dt.date(2026, 9, 30), (dt.date(2026, 4, 1), dt.date(2026, 7, 1))),
    ],
)
def test_previous_quarter(today: dt.date, quarter: tuple[dt.date, dt.date]) -> None:
    assert previous_quarter(today) == quarter
