"""NYCRR-10: transaction receipts carry the firm's contact details with the complaint phone number."""

from __future__ import annotations

import pytest

from clearline.org.models import Organisation
from clearline.org.selectors import clear_organisation_cache

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "words"), [("en", "Call"), ("es", "Llame al"), ("ro", "Sunați la")])
def test_receipt_block_has_the_configured_complaint_phone_in_each_language_NYCRR_10(
    organisation, agent, api_client_for, language, words
) -> None:
    """NYCRR-10: the receipt template shows the complaint phone from configuration, and follows a change."""
    client = api_client_for(agent)
    block = client.get(f"/api/v1/org/receipt-contact?language={language}").json()
    assert block["language"] == language
    assert f"{words} +1 212 555 0143" in block["text"] and "complaints@hudson.test" in block["text"]
    assert "https://www.dfs.ny.gov" in block["text"]
    Organisation.objects.update(complaint_phone="+1 646 555 0199")
    clear_organisation_cache()
    assert "+1 646 555 0199" in client.get(f"/api/v1/org/receipt-contact?language={language}").json()["text"]
    assert client.get("/api/v1/org/receipt-contact?language=de").status_code == 422
