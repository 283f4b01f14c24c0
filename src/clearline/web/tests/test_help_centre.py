"""The public help centre: contact channels, complaint disclosures and the scam warning on every page,
from the organisation's one record, in three languages, without an account."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client

from clearline.org.selectors import clear_organisation_cache
from clearline.web.middleware import CONTENT_SECURITY_POLICY

PUBLIC_PAGES = [
    "/",
    "/contact/",
    "/faq/",
    "/faq/lost-2fa/",
    "/faq/search/?q=deposit",
    "/faq/c/account-security/",
]


@pytest.fixture
def visitor() -> Client:
    return Client()


def test_phone_and_email_are_conspicuous_links_on_the_front_page_DFS_07_DFS_13(
    db, organisation, faq, visitor
):
    """Proves DFS-07, DFS-13."""
    page = visitor.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="tel:+12125550142"' in html and organisation.support_phone in html
    assert 'href="mailto:support@example.com"' in html
    assert 'data-contact="phone"' in html and 'data-contact="email"' in html


def test_business_hours_come_from_the_support_calendar_DFS_07(db, organisation, visitor):
    """Proves DFS-07."""
    html = visitor.get("/contact/").content.decode()
    assert "Monday to Friday" in html and "9:00\u202fAM\u20135:00\u202fPM" in html
    assert "Eastern Time" in html and "Closed on public holidays." in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_the_complaints_block_and_the_regulator_NYCRR_02_03_04(
    db, organisation, faq, visitor, url
):
    """Proves NYCRR-02, NYCRR-03, NYCRR-04."""
    page = visitor.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    block = html[html.index('id="complaints"') :]
    for value in (
        organisation.complaint_mailing_address,
        'href="mailto:complaints@hudson.test"',
        'href="tel:+12125550143"',
        organisation.regulator_name,
        organisation.regulator_address,
        organisation.regulator_website,
        organisation.regulator_phone,
        organisation.extra_disclosure,
    ):
        assert value in block, (url, value)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_warns_what_we_never_ask_for_CRY_04(db, organisation, faq, visitor, url):
    """Proves CRY-04."""
    html = visitor.get(url).content.decode()
    assert 'id="never-ask"' in html
    assert "will never ask for your seed phrase" in html and "private keys" in html


def test_the_organisation_record_is_the_single_source_of_truth_NYCRR_02(db, organisation, visitor):
    """Proves NYCRR-02."""
    organisation.support_phone = "+1 646 555 0199"
    organisation.complaint_phone = ""  # falls back to the support number
    organisation.save()
    clear_organisation_cache()
    html = visitor.get("/").content.decode()
    assert "+1 212 555 0142" not in html
    assert html.count('href="tel:+16465550199"') >= 3  # banner, contact card, complaints block


def test_a_romanian_visitor_sees_the_romanian_help_centre_PRD_05(db, organisation, faq, visitor):
    """Proves PRD-05."""
    html = visitor.get("/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert '<html lang="ro">' in html
    assert "Cu ce vă putem ajuta?" in html and "Reclamații" in html
    assert "Luni \u2013 vineri" in html  # Babel's Romanian day names
    assert "Depunerea mea de criptomonede nu a sosit" in html  # the Romanian FAQ text


def test_the_language_switcher_works_without_javascript_PRD_05(db, organisation, visitor):
    """Proves PRD-05."""
    response = visitor.post("/i18n/setlang/", {"language": "es", "next": "/contact/"})
    assert response.status_code == 302 and response["Location"] == "/contact/"
    html = visitor.get("/contact/").content.decode()
    assert "Hable con una persona" in html and "De lunes a viernes" in html


def test_pages_send_a_strict_content_security_policy(db, organisation, visitor):
    response = visitor.get("/")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert (
        "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "default-src 'self'" in CONTENT_SECURITY_POLICY
    )


LOCALE_FILES = sorted(Path(__file__).resolve().parents[2].glob("*/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", LOCALE_FILES, ids=lambda p: f"{p.parts[-5]}-{p.parts[-3]}")
def test_every_public_text_is_translated_and_compiled_NYCRR_09_PRD_05(po_path):
    """NYCRR-09 PRD-05: Spanish and Romanian are predominant; a missing or stale translation fails CI."""
    language = po_path.parts[-3]
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    with po_path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = [message for message in catalog if message.id]
    assert entries
    for message in entries:
        assert not message.fuzzy, message.id
        if isinstance(message.id, tuple):
            assert all(message.string), message.id
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0], message.id
        else:
            assert message.string, message.id
            assert compiled.gettext(message.id) == message.string, f"{po_path}: recompile ({message.id})"
