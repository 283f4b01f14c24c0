"""The help centre in a real browser (Chromium via Playwright) against a real server: what a visitor sees,
in two languages, keyboard only, with axe-core finding no serious or critical WCAG violation."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Served,
    require_chromium,
    screenshot,
    serious_accessibility_violations,
    served_demo,
)

PAGES = {
    "home": "/",
    "contact": "/contact/",
    "faq": "/faq/",
    "faq-article": "/faq/deposit-not-credited/",
    "faq-search": "/faq/search/?q=withdrawal",
    "track": "/track/",
    "write-to-us": "/contact/new/",
    "intake-form": "/contact/new/?topic=deposit_not_credited",
    "status": "/status/",
}


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    require_chromium()
    with served_demo() as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _page(browser: Any, language: str, *, bypass_csp: bool = False) -> Any:
    """``bypass_csp`` only to inject axe-core: our policy (rightly) refuses injected scripts."""
    context = browser.new_context(
        locale=language, extra_http_headers={"Accept-Language": language}, bypass_csp=bypass_csp
    )
    return context.new_page()


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_pass_axe_in_two_languages_and_are_screenshotted_DFS_21_PRD_05(
    server, browser, language
):
    """Proves DFS-21, DFS-22, CRY-02, PRD-05: every public page, the intake form and the status page."""
    page = _page(browser, language, bypass_csp=True)
    for name, path in PAGES.items():
        response = page.goto(server.base_url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        assert serious_accessibility_violations(page) == [], (language, path)
        screenshot(page, f"{name}-{language}")
    page.context.close()


def test_pages_load_everything_under_the_content_security_policy(server, browser):
    page = _page(browser, "en")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    for path in PAGES.values():
        page.goto(server.base_url + path)
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith(
            "system-ui"
        )  # CSS loaded
    assert errors == []  # nothing refused by the policy, no script errors
    page.context.close()


def test_phone_number_is_a_tel_link_reachable_from_home_in_one_step_DFS_07_DFS_13(server, browser):
    """Proves DFS-07, DFS-13."""
    page = _page(browser, "en")
    page.goto(server.base_url + "/")
    phone = page.locator('main a[data-contact="phone"]')
    assert phone.get_attribute("href") == "tel:+12125550142" and phone.is_visible()
    assert page.locator('main a[data-contact="email"]').get_attribute("href").startswith("mailto:support@")
    with page.expect_navigation():
        page.get_by_role("link", name="Contact us").first.click()
    page.locator('a[data-contact="phone"]').first.wait_for(state="visible")
    complaints = page.locator("#complaints")
    assert "One Commerce Plaza, Albany, NY 12257" in complaints.inner_text()
    assert complaints.locator('a[data-complaints="email"]').is_visible()
    page.context.close()


def test_keyboard_only_visitor_searches_the_faq_and_switches_language_PRD_05(server, browser):
    """Proves PRD-05."""
    page = _page(browser, "en")
    page.goto(server.base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "faq-q"
    page.keyboard.type("2FA")
    page.keyboard.press("Enter")
    page.wait_for_url("**/faq/search/?q=2FA")
    assert page.get_by_role("link", name="I lost access to my two-factor authentication (2FA)").is_visible()
    page.focus("#language-select")
    page.keyboard.type("Esp")  # type-ahead picks Español
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Buscar en las preguntas frecuentes").is_visible()
    page.context.close()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", {"error": "Receiving address: expected", "done": "We have your message", "send": "Send"}),
        (
            "es",
            {
                "error": "Dirección de recepción: se esperaba",
                "done": "Hemos recibido su mensaje",
                "send": "Enviar",
            },
        ),
    ],
)
def test_keyboard_only_visitor_files_a_deposit_case_and_fixes_a_bad_address_CRY_02(
    server, browser, language, texts
):
    """CRY-02, PRD-05: topic, network, hash and address by keyboard alone; the error names the field in the
    visitor's language, the typed values stay, and the corrected form gives a reference."""
    page = _page(browser, language)
    page.goto(server.base_url + "/contact/new/")
    page.focus("#topic-deposit_not_credited")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Continue
    assert "topic=deposit_not_credited" in page.url
    page.focus("#f-network")
    page.keyboard.type("Ethereum")
    for field, value in (
        ("#f-tx_hash", "0x" + "c4" * 32),
        ("#f-to_address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAee"),  # one digit off: bad checksum
        ("#f-email", f"browser-{language}@example.test"),
        ("#f-body", "My deposit has not arrived."),
    ):
        page.focus(field)
        page.keyboard.type(value)
    page.focus("button[type=submit] >> nth=-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    alert = page.locator("#intake-error")
    assert texts["error"] in alert.inner_text() and "EIP-55" in alert.inner_text()
    assert page.locator("#f-to_address").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-tx_hash").input_value() == "0x" + "c4" * 32
    assert page.locator("#f-network").input_value() == "ethereum"
    screenshot(page, f"intake-error-{language}")
    page.focus("#f-to_address")
    page.keyboard.press("Control+A")
    page.keyboard.type("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")  # lower case: no checksum to break
    page.get_by_role("button", name=texts["send"], exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name=texts["done"]).is_visible()
    assert page.locator("strong.reference").inner_text().startswith("CL-")
    screenshot(page, f"intake-done-{language}")
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ro"])
def test_customer_rates_a_resolved_case_by_keyboard_DFS_24(server, browser, language):
    """DFS-24: the survey link from the email opens without login; stars by arrow keys; one answer."""
    link = server.clearline("shell", "-c", SEND_SURVEY.replace("LANG", language)).strip().splitlines()[-1]
    page = _page(browser, language, bypass_csp=True)
    page.goto(link.replace("https://example.com", server.base_url))
    assert serious_accessibility_violations(page) == []
    screenshot(page, f"survey-{language}")
    page.focus("#score-5")
    page.keyboard.press("ArrowDown")  # 4
    page.keyboard.press("Tab")
    page.keyboard.type("Clear answer, thank you.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=status]").is_visible()
    again = page.goto(link.replace("https://example.com", server.base_url))
    assert again is not None and again.status == 200
    assert page.locator("input[name=score]").count() == 0  # answered once
    page.context.close()


SEND_SURVEY = """
from datetime import timedelta
from django.utils import timezone
from clearline.accounts.models import Staff
from clearline.cases.services import Author, open_case, resolve_case
from clearline.feedback.services import send_due_surveys
from clearline.feedback.models import Survey
agent = Staff.objects.filter(role="agent").first()
case = open_case(by=Author.system(), customer_email="rate-LANG@example.test", subject="Fees",
                 body="Fee question", topic="fees", method="email", language="LANG")
resolve_case(case, by=agent, outcome="resolved", rationale="Explained.")
send_due_surveys(timezone.now() + timedelta(hours=2))
body = Survey.objects.get(case=case).message.body
print(next(word for word in body.split() if "/feedback/" in word))
"""


OPEN_CASE = """
from clearline.cases.services import Author, open_case
case = open_case(by=Author.system(), customer_email="track-LANG@example.test", subject="Withdrawal",
                 body="Where is my withdrawal?", topic="withdrawal_delayed", method="email", language="LANG")
print(case.reference)
"""


def _tracking_link(server: Served, email: str) -> str:
    """The one-time link, from the .eml the running server's job consumer wrote to its outbox."""
    outbox = Path(server.env["CLEARLINE_HOME"]) / "outbox"
    for _ in range(100):
        for eml in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            text = eml.read_text(errors="replace")
            if email in text and "/track/" in text:
                match = re.search(r"https?://\S+/track/([\w-]+)", text.replace("=\n", ""))
                if match:
                    return f"{server.base_url}/track/{match.group(1)}"
        time.sleep(0.2)
    raise AssertionError(f"no tracking link for {email} in {outbox}")


@pytest.mark.parametrize(
    ("language", "sent", "reply"), [("en", "Check your email", "Send"), ("es", "Revise su correo", "Enviar")]
)
def test_keyboard_only_customer_tracks_a_case_and_replies_DFS_19_PRD_03(
    server, browser, language, sent, reply
):
    """DFS-19, PRD-03: reference and email by keyboard, the emailed one-time link, status and a reply."""
    reference = server.clearline("shell", "-c", OPEN_CASE.replace("LANG", language)).strip().splitlines()[-1]
    email = f"track-{language}@example.test"
    page = _page(browser, language)
    page.goto(server.base_url + "/track/")
    page.focus("#track-reference")
    page.keyboard.type(reference)
    page.keyboard.press("Tab")
    page.keyboard.type(email)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name=sent).is_visible()
    page.goto(_tracking_link(server, email))
    assert reference in page.content()
    screenshot(page, f"track-case-{language}")
    page.focus("textarea[name=body]")
    page.keyboard.type("Any news about my withdrawal?")
    page.get_by_role("button", name=reply, exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Any news about my withdrawal?").is_visible()
    page.context.close()


def _sign_in_new_agent(server: Served, page: Any, email: str) -> None:
    """A trained agent created by ``clearline createstaff``, signed in with password and a TOTP enrolment."""
    import pyotp

    password = "agent browser passphrase 2026"
    server.clearline("createstaff", email, "--role", "agent", "--password-stdin", stdin=password)
    server.clearline("shell", "-c", TRAIN.format(email=email))
    page.goto(server.base_url + "/console/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.fill("#token", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()


TRAIN = """
from datetime import timedelta
from django.utils import timezone
from clearline.accounts.models import Staff
from clearline.accounts.services import record_training
today = timezone.localdate()
staff = Staff.objects.get(email="{email}")
record_training(
    staff, course="HCSR", completed_on=today - timedelta(days=1), expires_on=today + timedelta(days=300)
)
"""
CALLER_JOINS = """
from django.utils import timezone
from clearline.channels.voice import services
from clearline.channels.voice.models import PhoneLine
line, now = PhoneLine.objects.get(), timezone.now()
call = services.start_call(call_sid="CA-browser", line=line, caller="+15551230009", at=now)
services.join_queue(call, language="es", at=now)
"""


def test_an_agent_signs_in_with_totp_and_answers_a_case_from_a_macro_PRD_04(server, browser):
    """PRD-04 in the browser: password, authenticator enrolment and code, the queue, a case, a macro filled
    in for it, the reply sent; the case page passes axe."""
    reference = server.clearline("shell", "-c", OPEN_CASE.replace("LANG", "en")).strip().splitlines()[-1]
    page = _page(browser, "en", bypass_csp=True)
    _sign_in_new_agent(server, page, "browser-agent@firm.test")
    assert reference in page.content()  # the queue

    page.goto(f"{server.base_url}/console/cases/{reference}")
    assert serious_accessibility_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Withdrawal under review").click()
    draft = page.locator("#body").input_value()
    assert reference in draft and "{{" not in draft
    page.fill("#body", draft.replace("routine security review", "routine security review (2 hours)"))
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()

    assert page.get_by_text("Reply sent.").is_visible()
    assert page.get_by_text("routine security review (2 hours)").first.is_visible()
    screenshot(page, "console-case-replied-en")
    page.context.close()


def test_the_calls_page_shows_a_new_caller_without_a_reload_DFS_08(server, browser):
    """DFS-08 in the browser: an agent on the Calls page sees a caller join the queue within seconds (the
    queue part refreshes itself), under the content security policy."""
    page = _page(browser, "en")
    _sign_in_new_agent(server, page, "phone-agent@firm.test")
    page.goto(server.base_url + "/console/calls")
    assert page.get_by_text("Nobody is waiting.").is_visible()
    server.clearline("shell", "-c", CALLER_JOINS)
    page.get_by_text("+15551230009").wait_for(timeout=15_000)  # no reload: the poll brought it
    assert page.get_by_role("heading", name="Waiting callers (1)").is_visible()
    screenshot(page, "console-calls-en")
    page.context.close()
