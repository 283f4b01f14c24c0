"""Start-up checks of the email channel: a warning, never a refusal, when mail would go out unsigned."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from clearline.channels.email.checks import check_dkim_key
from clearline.channels.email.dkim_keys import create_dkim_key
from clearline.channels.email.models import DkimKey

pytestmark = pytest.mark.django_db


def test_no_active_dkim_key_for_the_support_domain_is_a_warning_naming_the_command(organisation, settings):
    [warning] = check_dkim_key()

    assert warning.id == "clearline.W001" and not warning.is_serious()
    assert warning.msg == f"No active DKIM key for {settings.SUPPORT_DOMAIN}: outbound mail is sent unsigned."
    assert f"clearline dkim-key {settings.SUPPORT_DOMAIN}" in (warning.hint or "")
    output = StringIO()
    call_command("check", stderr=output)  # shown by every command, and it starts: not an error
    assert "clearline.W001" in output.getvalue()


def test_an_active_key_on_the_support_domain_silences_it_and_one_elsewhere_does_not(organisation, settings):
    create_dkim_key("other.test", selector="s1")
    assert [message.id for message in check_dkim_key()] == ["clearline.W001"]

    key = create_dkim_key(settings.SUPPORT_DOMAIN, selector="s1")
    assert check_dkim_key() == []

    DkimKey.objects.filter(pk=key.pk).update(is_active=False)
    assert [message.id for message in check_dkim_key()] == ["clearline.W001"]
