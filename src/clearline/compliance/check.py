"""``clearline compliance check``: for every first-release requirement, the evidence that this installation
meets it: the configuration it needs (checked live), and the automated tests that prove the behaviour (found
by their requirement IDs in the shipped test modules). A requirement with neither is a gap."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from clearline.accounts.models import Role, Staff
from clearline.accounts.selectors import current_training
from clearline.cases.language import SERVED_LANGUAGES
from clearline.cases.models import MessageTemplate
from clearline.channels.email.models import InboundEmail, Mailbox
from clearline.channels.voice.models import PhoneLine
from clearline.kb.models import ArticleText
from clearline.kb.selectors import previous_quarter
from clearline.notices.models import Component
from clearline.org.selectors import get_organisation
from clearline.sla.models import BusinessCalendar, ServicePolicy

from .models import ContactReconciliation, FrozenPack
from .registers import register_gaps

FIRST_RELEASE = (
    [f"DFS-{n:02d}" for n in range(1, 35)]
    + [f"NYCRR-{n:02d}" for n in range(1, 11)]
    + [f"CRY-{n:02d}" for n in range(1, 7)]
    + [f"PRD-{n:02d}" for n in range(1, 7)]
)
PACKAGE = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Evidence:
    requirement: str
    met: bool
    configuration: str  # what was checked in this installation, or "" when nothing is to configure
    tests: list[str]


Check = Callable[[], tuple[bool, str]]


def _field(name: str, label: str) -> Check:
    def check() -> tuple[bool, str]:
        org = get_organisation()
        value = getattr(org, name, "") if org else ""
        return bool(value), f"{label}: {value}" if value else f"{label} is not set on the organisation"

    return check


def _templates(key: str) -> Check:
    def check() -> tuple[bool, str]:
        found = set(
            MessageTemplate.objects.filter(key=key, is_active=True).values_list("language", flat=True)
        )
        missing = [language for language in SERVED_LANGUAGES if language not in found]
        return not missing, f"template {key}: " + (f"missing {', '.join(missing)}" if missing else "en/es/ro")

    return check


def _minimum_channels() -> tuple[bool, str]:
    """DFS-04: an active support line and an electronic text channel (an IMAP mailbox, the SMTP receiver, or
    mail received by any path in the last week)."""
    lines = list(PhoneLine.objects.filter(is_active=True).values_list("number", flat=True))
    mailboxes = Mailbox.objects.filter(is_active=True).count()
    recent_mail = InboundEmail.objects.filter(received_at__gte=timezone.now() - timedelta(days=7)).exists()
    text_channel = bool(mailboxes or settings.SMTP_LISTEN or recent_mail)
    phone = f"phone lines {', '.join(lines)}" if lines else "no active phone line"
    mail = (
        f"{mailboxes} IMAP mailbox(es)"
        if mailboxes
        else ("SMTP receiver on" if settings.SMTP_LISTEN else "mail received this week")
        if text_channel
        else "no active mailbox or mail received this week"
    )
    return bool(lines) and text_channel, f"{phone}; {mail}"


def _support_hours() -> tuple[bool, str]:
    calendar = BusinessCalendar.objects.filter(is_support_hours=True).first()
    return (
        calendar is not None,
        f"support hours: {calendar.name}" if calendar else "no support-hours calendar",
    )


def _policies() -> tuple[bool, str]:
    count = ServicePolicy.objects.count()
    return count > 0, f"{count} service policies" if count else "no service policy"


def _faq() -> tuple[bool, str]:
    languages = set(ArticleText.objects.filter(article__is_published=True).values_list("language", flat=True))
    missing = [language for language in SERVED_LANGUAGES if language not in languages]
    return not missing, "published FAQ in " + ", ".join(
        sorted(languages)
    ) if not missing else f"no FAQ in {missing}"


def _components() -> tuple[bool, str]:
    count = Component.objects.count()
    return count > 0, f"{count} status-page components"


def _survey_delay() -> tuple[bool, str]:
    org = get_organisation()
    minutes = org.survey_delay_minutes if org else 0
    return bool(org) and minutes <= 24 * 60, f"surveys {minutes} minutes after resolution"


def _trained_staff() -> tuple[bool, str]:
    handlers = Staff.objects.filter(is_active=True, role__in=[Role.AGENT, Role.SUPERVISOR])
    today = timezone.localdate()
    trained = current_training(on=today).values("staff_id")
    untrained = list(handlers.exclude(pk__in=trained).order_by("pk").values_list("email", flat=True))
    if not handlers.exists():
        return False, "no agents"
    return not untrained, "every agent trained" if not untrained else f"untrained: {', '.join(untrained)}"


def _last_quarter_frozen() -> tuple[bool, str]:
    start, _ = previous_quarter(timezone.localdate())
    last = f"{start.year}Q{(start.month - 1) // 3 + 1}"
    frozen = FrozenPack.objects.filter(quarter=last).order_by("-version").first()
    return (
        frozen is not None,
        f"{last} frozen as version {frozen.version}" if frozen else f"{last} is not frozen",
    )


def _last_reconciliation() -> tuple[bool, str]:
    """DFS-23: yesterday's inbound contacts reconciled, without orphans."""
    yesterday = timezone.localdate() - timedelta(days=1)
    last = ContactReconciliation.objects.filter(day__gte=yesterday).order_by("-day").first()
    if last is None:
        return False, f"inbound contacts of {yesterday} not reconciled"
    return not last.orphans, f"{last.day}: {last.contacts} contacts, {len(last.orphans)} orphan(s)"


def _register(requirement: str) -> Check:
    def check() -> tuple[bool, str]:
        problems = [gap.problem for gap in register_gaps() if gap.requirement == requirement]
        return not problems, "; ".join(problems) or "register complete"

    return check


CONFIGURATION: dict[str, Check] = {
    "DFS-04": _minimum_channels,
    "DFS-07": _field("support_phone", "support phone"),
    "DFS-08": _support_hours,
    "DFS-06": _trained_staff,
    "DFS-12": _templates("acknowledgement"),
    "DFS-13": _field("support_email", "support email"),
    "DFS-18": _policies,
    "DFS-21": _faq,
    "DFS-22": _components,
    "DFS-23": _last_reconciliation,
    "DFS-24": _survey_delay,
    "DFS-30": _last_quarter_frozen,
    "DFS-31": _register("NYCRR-01"),
    "DFS-32": _register("DFS-32"),
    "NYCRR-01": _register("NYCRR-01"),
    "NYCRR-02": _field("complaint_mailing_address", "complaint mailing address"),
    "NYCRR-03": _field("regulator_phone", "NYDFS phone"),
    "NYCRR-05": _register("NYCRR-05"),
}


@cache
def _tests_by_requirement() -> dict[str, list[str]]:
    """Test functions whose name or docstring names a requirement (DFS-07 or DFS_07); other mentions (an
    assertion about a requirement's line, say) are not evidence."""
    found: dict[str, list[str]] = {}
    pattern = re.compile(r"\b(DFS|NYCRR|CRY|PRD)[-_](\d{2})\b", re.IGNORECASE)
    for path in sorted(PACKAGE.glob("*/tests/test_*.py")):
        current = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("def test_"):
                current = f"{path.parent.parent.name}/{path.name}::{line[4:].split('(')[0]}"
            if not (line.startswith("def test_") or '"""' in line):
                continue
            for prefix, number in pattern.findall(line):
                if current:
                    found.setdefault(f"{prefix.upper()}-{number}", []).append(current)
    return {key: sorted(set(names)) for key, names in found.items()}


def check_installation() -> list[Evidence]:
    tests = _tests_by_requirement()
    evidence = []
    for requirement in FIRST_RELEASE:
        configured, note = CONFIGURATION[requirement]() if requirement in CONFIGURATION else (True, "")
        named = tests.get(requirement, [])
        evidence.append(Evidence(requirement, configured and bool(named), note, named))
    return evidence
