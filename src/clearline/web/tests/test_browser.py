"""The help centre in a real browser (Chromium via Playwright) against a real server: what a visitor sees,
in two languages, keyboard only, with axe-core finding no serious or critical WCAG violation."""

from __future__ import annotations

from collections.abc import Iterator
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
    """Proves DFS-21, PRD-05."""
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
    page.get_by_role("link", name="Contact us").first.click()
    assert page.locator('a[data-contact="phone"]').first.is_visible()
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
