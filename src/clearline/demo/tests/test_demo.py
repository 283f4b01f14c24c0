"""`clearline demo`: the demo organisation a fresh `make run` shows."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from clearline.accounts.models import Role, Staff
from clearline.cases.models import Case, Topic
from clearline.channels.email.models import DkimKey
from clearline.channels.voice.models import PhoneLine
from clearline.org.models import Organisation
from clearline.sla.models import BusinessCalendar

pytestmark = pytest.mark.django_db

STABLE_TOPIC_KEYS = {
    "account_access",
    "identity_verification",
    "deposit_not_credited",
    "withdrawal_delayed",
    "transaction_failed",
    "wrong_network_or_memo",
    "unauthorized_transaction",
    "fraud_scam",
    "trading",
    "fees",
    "staking_rewards",
    "account_restriction",
    "tax_documents",
    "service_quality",
    "other",
}


def test_taxonomy_ships_with_stable_keys_and_labels_in_three_languages_cry_01():
    """CRY-01: taxonomy ships with stable keys and labels in three languages."""
    topics = {topic.key: topic for topic in Topic.objects.all()}
    assert set(topics) == STABLE_TOPIC_KEYS
    for topic in topics.values():
        assert set(topic.labels) == {"en", "es", "ro"} and all(topic.labels.values())
    assert topics["withdrawal_delayed"].label("es") == "Retiro demorado o retenido"


def test_demo_loads_staff_of_each_role_hours_and_cases_in_three_languages(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert set(Staff.objects.values_list("role", flat=True)) == set(Role.values)
    for staff in Staff.objects.all():  # every password printed once works
        password = re.search(rf"{re.escape(staff.email)}\s+(\S+)", out).group(1)
        assert Staff.objects.get(pk=staff.pk).check_password(password)
    organisation = Organisation.objects.get()
    support_hours = BusinessCalendar.objects.get(is_support_hours=True)
    assert organisation.timezone == support_hours.timezone == "America/New_York"
    assert (support_hours.holiday_country, support_hours.holiday_subdivision) == ("US", "NY")
    assert support_hours.weekly_hours["mon"] == [["09:00", "17:00"]]
    line = PhoneLine.objects.get()  # DFS-08: the published number, on the support hours
    assert line.calendar is None and line.number == organisation.support_phone.replace(" ", "")
    assert Case.objects.count() >= 30
    assert DkimKey.objects.get(is_active=True).domain == settings.SUPPORT_DOMAIN  # its mail leaves signed
    assert not [warning for warning in run_checks() if warning.id == "clearline.W001"]
    assert set(Case.objects.values_list("language", flat=True)) == {"en", "es", "ro"}
    assert set(Case.objects.values_list("kind", flat=True)) == {"request", "complaint"}
    assert Case.objects.filter(customer_segment="institutional").exists()
    assert Case.objects.filter(
        status="resolved", outcome="partially_resolved", explanation_message__isnull=False
    ).exists()
    call_command("demo", if_empty=True)  # idempotent for `make run`
    assert "already loaded" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("demo")
