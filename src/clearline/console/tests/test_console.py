"""The agent console: queue, case view, reply, note, reclassify, resolve (behind password + TOTP)."""

from __future__ import annotations

import pytest

from clearline.accounts.models import Role
from clearline.cases import services
from clearline.cases.models import Case, Macro, Message

pytestmark = pytest.mark.django_db


def make_case(agent, topic="fees", subject="Fee question"):
    return services.open_case(
        by=services.Author.of_staff(agent),
        customer_email="f@customer.test",
        subject=subject,
        body="Why was I charged this fee?",
        topic=topic,
        method="email",
    )


def test_queue_lists_open_cases_by_due_time(signed_in):
    client, agent = signed_in()
    later = make_case(agent, topic="tax_documents", subject="Later")
    sooner = make_case(agent, topic="unauthorized_transaction", subject="Sooner")
    page = client.get("/console/").content.decode()
    assert page.index(sooner.reference) < page.index(later.reference)


def test_agent_replies_notes_and_resolves_from_the_case_page_dfs_20(signed_in):
    """DFS-20: agent replies notes and resolves from the case page."""
    client, agent = signed_in()
    case = make_case(agent)
    url = f"/console/cases/{case.reference}"
    assert case.reference.encode() in client.get(url).content
    client.post(f"{url}/reply", {"body": "We refunded the fee.", "visibility": "public"})
    client.post(f"{url}/reply", {"body": "Checked ledger.", "visibility": "internal"})
    client.post(
        f"{url}/reclassify", {"kind": "complaint", "topic": "", "reason": "Customer unhappy with fee"}
    )
    refused = client.post(
        f"{url}/resolve", {"outcome": "not_resolved", "rationale": "Fee is correct"}, follow=True
    )
    assert b"needs an explanation" in refused.content
    client.post(
        f"{url}/resolve",
        {
            "outcome": "not_resolved",
            "rationale": "Fee is correct",
            "explanation": "The fee is the published network fee for that withdrawal.",
        },
    )
    case.refresh_from_db()
    assert case.kind == "complaint" and case.status == "resolved" and case.explanation_message is not None
    assert list(Message.objects.filter(case=case).values_list("purpose", flat=True).order_by("id")) == [
        "customer_message",
        "acknowledgement",
        "reply",
        "note",
        "explanation",
    ]


def test_examiner_sees_cases_but_gets_no_action_forms_dfs_33(signed_in):
    """DFS-33: examiner sees cases but gets no action forms."""
    client, examiner = signed_in(Role.EXAMINER)
    _, agent = signed_in(Role.AGENT)
    case = make_case(agent)
    page = client.get(f"/console/cases/{case.reference}").content
    assert case.reference.encode() in page and b"/resolve" not in page and b"Reply or note" not in page
    client.post(f"/console/cases/{case.reference}/resolve", {"outcome": "resolved", "rationale": "x"})
    assert Case.objects.get(pk=case.pk).status == "new"


def test_unknown_case_is_404(signed_in):
    client, _ = signed_in()
    assert client.get("/console/cases/CL-ZZZZZZZZ").status_code == 404


def test_case_page_shows_every_clock_with_its_policy_prd_02(signed_in):
    """PRD-02: agents see the first-response, update, resolution and unassigned clocks on the case."""
    client, agent = signed_in()
    case = make_case(agent)
    page = client.get(f"/console/cases/{case.reference}").content.decode()
    for label in ("First human response", "Next customer update", "Resolution", "Unassigned alert"):
        assert label in page
    assert "policy: Default v1, Support hours" in page
    assert case.first_response_due_at.strftime("%Y-%m-%d") in page


def test_breach_list_shows_overdue_cases_and_recorded_breaches_dfs_03(signed_in):
    """DFS-03: a supervisor's breach list shows every open case past a deadline and the recorded breach."""
    import datetime as dt

    import time_machine

    from clearline.sla.services import sweep_due_clocks

    with time_machine.travel(dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC), tick=False):
        case = make_case(signed_in()[1], subject="Old fee question")
    with time_machine.travel(dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC), tick=False):
        client, _ = signed_in(Role.SUPERVISOR)  # sessions last a working day
        sweep_due_clocks()
        page = client.get("/console/breaches").content.decode()
    assert case.reference in page and "Target breached, escalated" in page and "Unassigned alert" in page
    assert f"{case.reference}: first human response target breached" in page  # the supervisor's own alert


def test_agents_see_the_breach_list_but_examiners_only_read_it(signed_in):
    client, _ = signed_in(Role.EXAMINER)
    assert client.get("/console/breaches").status_code == 200


def test_case_page_shows_intake_details_with_explorer_links_incident_and_satisfaction(signed_in, make_staff):
    """CRY-02, CRY-05, DFS-24: the agent sees the normalised details with explorer links, the incident tag and
    the customer's rating on the case."""
    from clearline.feedback.models import Survey
    from clearline.notices.services import declare_notice

    client, agent = signed_in()
    declare_notice(
        by=make_staff(Role.SUPERVISOR),
        kind="incident",
        titles={"en": "Tron deposits delayed"},
        impact="degraded",
        components=["tron"],
        first_update={"en": "Investigating."},
    )
    tx = "ab" * 32
    case = services.open_case(
        by=services.Author.of_staff(agent),
        customer_email="t@customer.test",
        subject="USDT deposit missing",
        body="My USDT on Tron has not arrived.",
        topic="deposit_not_credited",
        method="web_form",
        details={
            "network": "tron",
            "asset": "usdt",
            "tx_hash": tx,
            "to_address": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        },
    )
    services.resolve_case(case, by=agent, outcome="resolved", rationale="Credited.")
    Survey.objects.filter(case=case).update(score=5, comment="Fast!", answered_at=case.received_at)
    page = client.get(f"/console/cases/{case.reference}").content.decode()
    assert f'href="https://tronscan.org/#/transaction/{tx}"' in page
    assert "<dt>Receiving address</dt><dd><code>TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t</code>" in page
    assert "Tron deposits delayed" in page
    assert "<dt>Satisfaction</dt><dd>5/5: “Fast!”</dd>" in page


def test_a_reply_written_while_someone_else_answered_is_refused_and_kept_PRD_04(signed_in):
    """PRD-04 collision warning: the second agent sees who is on the case, and a reply based on an older
    timeline is not sent; the draft comes back in the form."""
    alice_client, alice = signed_in(Role.AGENT)
    bob_client, _bob = signed_in(Role.AGENT)
    case = make_case(alice)
    alice_page = alice_client.get(f"/console/cases/{case.reference}").content.decode()
    bob_page = bob_client.get(f"/console/cases/{case.reference}").content.decode()
    seen = Message.objects.filter(case=case).order_by("-pk").first().pk
    assert (
        alice.email in bob_page and "Also on this case" in bob_page and "Also on this case" not in alice_page
    )

    bob_client.post(
        f"/console/cases/{case.reference}/reply", {"body": "The fee is 0.0005 BTC.", "seen_up_to": seen}
    )
    late = alice_client.post(
        f"/console/cases/{case.reference}/reply",
        {"body": "Let me check the fee.", "seen_up_to": seen},
        follow=True,
    )

    assert (
        "wrote on this case" in late.content.decode()
        and "Let me check the fee.</textarea>" in late.content.decode()
    )
    assert not Message.objects.filter(case=case, body="Let me check the fee.").exists()
    assert Message.objects.filter(case=case, body="The fee is 0.0005 BTC.").exists()


def test_an_agent_starts_a_reply_from_a_macro_filled_in_for_the_case_PRD_04(signed_in, organisation):
    """PRD-04 macros with variables: the shipped macro in the case's language, the customer's and the
    agent's names and the case reference filled in, as an editable draft."""
    client, agent = signed_in(Role.AGENT)
    case = make_case(agent, topic="withdrawal_delayed", subject="Withdrawal")
    page = client.get(f"/console/cases/{case.reference}").content.decode()
    macro = Macro.objects.get(name="Withdrawal under review", language=case.language)
    assert "Withdrawal under review" in page

    drafted = client.get(f"/console/cases/{case.reference}?macro={macro.pk}").content.decode()

    assert "Hello f," in drafted and case.reference in drafted and "Hudson Digital Assets" in drafted
    assert "{{" not in drafted.split('id="body"', 1)[1].split("</textarea>", 1)[0]


def test_supervisors_add_macros_agents_use_them_over_the_api_PRD_04(api_client_for, supervisor, agent):
    """PRD-04 over the API: a supervisor adds a macro (checked for syntax), an agent renders it for a case."""
    body = {"content_type": "application/json"}
    bad = api_client_for(supervisor).post(
        "/api/v1/macros", {"name": "Broken", "language": "en", "body": "{% if %}"}, **body
    )
    made = api_client_for(supervisor).post(
        "/api/v1/macros",
        {"name": "Thanks", "language": "en", "body": "Thank you, {{ customer_name }}."},
        **body,
    )
    refused = api_client_for(agent).post(
        "/api/v1/macros", {"name": "Mine", "language": "en", "body": "x"}, **body
    )
    case = make_case(agent)

    draft = api_client_for(agent).get(f"/api/v1/cases/{case.reference}/macros/{made.json()['id']}")

    assert bad.status_code == 422 and made.status_code == 201 and refused.status_code == 403
    assert draft.json() == {"text": "Thank you, f."}


def test_a_duplicate_is_merged_the_customer_told_and_replies_follow_PRD_04(signed_in, organisation):
    """PRD-04 merge: the duplicate closes as withdrawn and points to the case that continues, each side
    gets a note, the customer gets the reference to use; another customer's case cannot be a target."""
    client, agent = signed_in(Role.AGENT)
    kept = make_case(agent, subject="Fee question")
    duplicate = make_case(agent, subject="Fee question again")
    stranger = services.open_case(
        by=services.Author.of_staff(agent),
        customer_email="other@customer.test",
        subject="Fees",
        body="Why this fee?",
        topic="fees",
        method="email",
    )

    refused = client.post(
        f"/console/cases/{duplicate.reference}/merge",
        {"into": stranger.reference, "reason": "same"},
        follow=True,
    )
    assert "Only the same customer" in refused.content.decode()
    client.post(
        f"/console/cases/{duplicate.reference}/merge", {"into": kept.reference.lower(), "reason": "Same fee"}
    )

    duplicate.refresh_from_db()
    assert (
        duplicate.merged_into == kept and duplicate.outcome == "withdrawn" and duplicate.status == "resolved"
    )
    told = duplicate.messages.get(purpose="status_update")
    assert kept.reference in told.body and told.delivery_status == "pending"
    assert kept.messages.filter(purpose="note", body__contains=duplicate.reference).exists()
    assert not duplicate.resolutions.get().explanation_message
