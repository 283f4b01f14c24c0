"""Who may do what. One table, read by every adapter (API, console) through ``require``."""

from __future__ import annotations

from enum import StrEnum

from clearline.core.errors import PermissionDenied

from .models import Role, Staff


class Capability(StrEnum):
    CASE_VIEW = "case.view"
    CASE_CREATE = "case.create"
    CASE_REPLY = "case.reply"
    CASE_NOTE = "case.note"
    CASE_ASSIGN = "case.assign"
    CASE_RECLASSIFY = "case.reclassify"
    CASE_DOWNGRADE = "case.downgrade"  # complaint -> request needs a supervisor (requirements §5.1)
    CASE_RESOLVE = "case.resolve"
    CASE_REOPEN = "case.reopen"
    AUDIT_VIEW = "audit.view"
    STAFF_MANAGE = "staff.manage"
    SLA_CONFIGURE = "sla.configure"  # business hours and service policies
    SLA_VIEW = "sla.view"  # clocks, breach list, policies
    KB_EDIT = "kb.edit"  # FAQ articles
    NOTICE_MANAGE = "notice.manage"  # incidents and planned maintenance on the status page
    REPORT_VIEW = "report.view"  # the DFS quarterly pack and frozen packs
    REPORT_SIGN_OFF = "report.sign_off"  # freezing a quarter's pack (DFS-30)
    REGISTER_MANAGE = "register.manage"  # policies, approvals, responsible persons, regulator tasks
    QA_REVIEW = "qa.review"  # scoring sampled interactions (DFS-26)
    MAIL_QUARANTINE = "mail.quarantine"  # quarantined inbound mail: read its reason, release it
    MACRO_MANAGE = "macro.manage"  # canned replies for agents (PRD-04)
    CALL_ANSWER = "call.answer"  # taking phone calls and callbacks (DFS-08)


_WORK_CASES = {
    Capability.CASE_VIEW,
    Capability.CASE_CREATE,
    Capability.CASE_REPLY,
    Capability.CASE_NOTE,
    Capability.CASE_ASSIGN,
    Capability.CASE_RECLASSIFY,
    Capability.CASE_RESOLVE,
    Capability.CASE_REOPEN,
    Capability.SLA_VIEW,
    Capability.CALL_ANSWER,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.AGENT: frozenset(_WORK_CASES),
    Role.SUPERVISOR: frozenset(
        _WORK_CASES
        | {
            Capability.CASE_DOWNGRADE,
            Capability.AUDIT_VIEW,
            Capability.KB_EDIT,
            Capability.NOTICE_MANAGE,
            Capability.REPORT_VIEW,
            Capability.QA_REVIEW,
            Capability.MACRO_MANAGE,
        }
    ),
    Role.COMPLIANCE: frozenset(
        {
            Capability.CASE_VIEW,
            Capability.AUDIT_VIEW,
            Capability.SLA_VIEW,
            Capability.REPORT_VIEW,
            Capability.REPORT_SIGN_OFF,
            Capability.REGISTER_MANAGE,
            Capability.QA_REVIEW,
        }
    ),
    Role.ADMIN: frozenset(set(Capability)),
    Role.EXAMINER: frozenset(
        {Capability.CASE_VIEW, Capability.AUDIT_VIEW, Capability.SLA_VIEW, Capability.REPORT_VIEW}
    ),
}


def has_capability(staff: Staff, capability: Capability) -> bool:
    return staff.is_active and capability in ROLE_CAPABILITIES.get(staff.role, frozenset())


def require(staff: Staff, capability: Capability) -> None:
    if not has_capability(staff, capability):
        raise PermissionDenied(f"The {staff.role} role may not {capability.value.replace('.', ' ')}.")
