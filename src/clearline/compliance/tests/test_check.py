"""``clearline compliance check``: evidence per requirement from this installation and the shipped tests."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clearline.compliance.check import FIRST_RELEASE, check_installation
from clearline.org.models import Organisation

pytestmark = pytest.mark.django_db


def test_check_reports_configuration_and_test_evidence_and_fails_on_gaps(organisation, faq, capsys) -> None:
    """Every first-release requirement is listed with its evidence; a gap exits non-zero."""
    assert len(FIRST_RELEASE) == 56
    with pytest.raises(CommandError, match="Gaps:"):
        call_command("compliance", "check")
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line[:3] in ("DFS", "NYC", "CRY", "PRD")}
    assert set(lines) == set(FIRST_RELEASE)
    assert lines["DFS-07"].split()[1] == "met" and "+1 212 555 0142" in lines["DFS-07"]
    assert "web/test_browser.py::test_phone_number_is_a_tel_link" in lines["DFS-07"]
    assert lines["CRY-02"].split()[1] == "met"
    assert (
        lines["NYCRR-01"].split()[1] == "GAP" and "No approved complaint-handling policy" in lines["NYCRR-01"]
    )
    Organisation.objects.update(support_phone="")
    evidence = {item.requirement: item for item in check_installation()}
    assert not evidence["DFS-07"].met and "not set" in evidence["DFS-07"].configuration


def test_minimum_channels_need_an_active_phone_line_and_a_text_channel(organisation, settings) -> None:
    """Proves DFS-04: the health check fails without an active support line, or without a mailbox, the
    SMTP receiver or mail received this week; it passes with both."""
    from clearline.channels.email.models import Mailbox
    from clearline.channels.voice.models import PhoneLine

    settings.SMTP_LISTEN = ""
    evidence = {item.requirement: item for item in check_installation()}
    assert not evidence["DFS-04"].met and "no active phone line" in evidence["DFS-04"].configuration
    PhoneLine.objects.create(number="+12125550142")
    evidence = {item.requirement: item for item in check_installation()}
    assert not evidence["DFS-04"].met and "no active mailbox" in evidence["DFS-04"].configuration
    Mailbox.objects.create(name="support", host="imap.test", username="support", password="x")
    evidence = {item.requirement: item for item in check_installation()}
    assert evidence["DFS-04"].met, evidence["DFS-04"].configuration
    assert "phone lines +12125550142; 1 IMAP mailbox(es)" in evidence["DFS-04"].configuration
