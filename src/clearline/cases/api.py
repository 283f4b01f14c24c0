"""Cases over the JSON API: thin adapters that check who is calling and call one service or selector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from clearline.accounts.api_auth import customer_session, staff_token
from clearline.accounts.models import Customer, Staff
from clearline.accounts.permissions import Capability, require
from clearline.accounts.selectors import get_staff_by_email
from clearline.core.errors import DomainError, PermissionDenied

from . import selectors, services
from .models import Case, Message, Visibility
from .schemas import (
    AssignIn,
    CaseCreatedOut,
    CaseCreateIn,
    CaseOut,
    CasePageOut,
    ErrorOut,
    MessageIn,
    MessageOut,
    ReclassifyIn,
    ReopenIn,
    ResolveIn,
    TopicOut,
)
from .services import macros

router = Router(tags=["cases"], auth=[staff_token, customer_session])
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def _staff(request: HttpRequest) -> Staff:
    if not isinstance(request.auth, Staff):  # type: ignore[attr-defined]
        raise PermissionDenied("This needs a staff token.")
    return request.auth  # type: ignore[attr-defined]


def _case_for(request: HttpRequest, reference: str) -> tuple[Case, bool]:
    """The case, and whether the caller may see internal notes."""
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, Customer):
        return selectors.get_case_for_customer(reference, customer=caller), False
    return selectors.get_case_for_staff(reference, staff=caller), True


def _case_fields(case: Case, *, include_internal: bool) -> dict[str, Any]:
    """The scalar fields every case shape draws from (each output schema keeps the ones it declares)."""
    return {
        "reference": case.reference,
        "kind": case.kind,
        "topic": case.topic_id,
        "method": case.method,
        "status": case.status,
        "language": case.language,
        "priority": case.priority,
        "subject": case.subject,
        "customer_email": case.customer.email,
        "customer_phone": case.customer.phone,
        "customer_segment": case.customer_segment,
        "assignee": case.assignee.email if include_internal and case.assignee else None,
        "received_at": case.received_at,
        "acknowledged_at": case.acknowledged_at,
        "first_human_response_at": case.first_human_response_at,
        "estimated_response_at": case.first_response_due_at,
        "estimated_resolution_at": case.resolution_due_at,
        "next_due_at": case.next_due_at,
        "resolved_at": case.resolved_at,
        "outcome": case.outcome or None,
        "ai_involved": case.ai_involved,
        "escalated_from_ai": case.escalated_from_ai,
    }


def _case_out(case: Case, *, include_internal: bool) -> dict[str, Any]:
    return {
        **_case_fields(case, include_internal=include_internal),
        "related_reference": case.related_case.reference if case.related_case else None,
        "messages": selectors.list_timeline(case, include_internal=include_internal),
        "classification_history": [
            {
                "from_kind": change.from_kind,
                "to_kind": change.to_kind,
                "from_topic": change.from_topic,
                "to_topic": change.to_topic,
                "reason": change.reason,
                "is_automatic": change.is_automatic,
                "changed_by": change.changed_by.email if change.changed_by else None,
                "changed_at": change.changed_at,
            }
            for change in selectors.list_classification_history(case)
        ]
        if include_internal
        else [],
    }


@router.post(
    "/cases", response={201: CaseCreatedOut, **ERRORS}, summary="Open a case (web, in-app or integrator)"
)
def create_case(request: HttpRequest, payload: CaseCreateIn) -> Status[dict[str, Any]]:
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, Customer):
        if payload.customer.email.strip().lower() != caller.email.lower():
            raise PermissionDenied("Customers can open cases only for themselves.")
        by = services.Author.of_customer(caller)
    else:
        by = services.Author.of_staff(caller)
    case = services.open_case(
        by=by,
        customer_email=payload.customer.email,
        customer_name=payload.customer.name,
        customer_segment=payload.customer.segment,
        subject=payload.subject,
        body=payload.body,
        topic=payload.topic,
        method=payload.method,
        kind=payload.kind,
        language=payload.language,
        details=payload.details,
        related_reference=payload.related_reference,
    )
    return Status(201, _case_fields(case, include_internal=False))


class QueueFilters(Schema):
    cursor: str | None = None
    limit: int = 50
    kind: str | None = None
    topic: str | None = None
    method: str | None = None
    assignee: str | None = None
    unassigned: bool = False


@router.get("/cases", response={200: CasePageOut, **ERRORS}, summary="Open cases, what is due next first")
def list_cases(request: HttpRequest, filters: Query[QueueFilters]) -> dict[str, Any]:
    staff = _staff(request)
    if not 1 <= filters.limit <= 200:
        raise DomainError("limit must be between 1 and 200.", field="limit")
    assignee = None
    if filters.assignee:
        assignee = get_staff_by_email(filters.assignee)
        if assignee is None:
            raise DomainError("No staff member with that email.", field="assignee")
    page = selectors.list_queue(
        staff=staff,
        cursor=filters.cursor,
        limit=filters.limit,
        kind=filters.kind,
        topic=filters.topic,
        method=filters.method,
        assignee=assignee,
        unassigned=filters.unassigned,
    )
    return {
        "items": [_case_fields(case, include_internal=True) for case in page.cases],
        "next_cursor": page.next_cursor,
    }


@router.get("/cases/{reference}", response={200: CaseOut, **ERRORS}, summary="One case with its timeline")
def get_case(request: HttpRequest, reference: str) -> dict[str, Any]:
    case, include_internal = _case_for(request, reference)
    return _case_out(case, include_internal=include_internal)


@router.get("/cases/{reference}/messages", response={200: list[MessageOut], **ERRORS})
def list_messages(request: HttpRequest, reference: str) -> list[Any]:
    case, include_internal = _case_for(request, reference)
    return list(selectors.list_timeline(case, include_internal=include_internal))


@router.post(
    "/cases/{reference}/messages",
    response={201: MessageOut, **ERRORS},
    summary="Reply, note or customer message",
)
def post_message(request: HttpRequest, reference: str, payload: MessageIn) -> Status[Message]:
    case, _ = _case_for(request, reference)
    caller = request.auth  # type: ignore[attr-defined]
    by = (
        services.Author.of_customer(caller)
        if isinstance(caller, Customer)
        else services.Author.of_staff(caller)
    )
    message = services.add_message(
        case,
        by=by,
        body=payload.body,
        visibility=Visibility(payload.visibility),
        waiting_on_customer=payload.waiting_on_customer,
        seen_up_to=payload.seen_up_to,
    )
    return Status(201, message)


@router.post("/cases/{reference}/reclassify", response={200: CaseOut, **ERRORS})
def reclassify(request: HttpRequest, reference: str, payload: ReclassifyIn) -> dict[str, Any]:
    staff = _staff(request)
    case = services.reclassify_case(
        selectors.get_case_for_staff(reference, staff=staff),
        by=staff,
        reason=payload.reason,
        kind=payload.kind,
        topic=payload.topic,
    )
    return _case_out(selectors.get_case(case.reference), include_internal=True)


@router.post("/cases/{reference}/assign", response={200: CaseOut, **ERRORS})
def assign(request: HttpRequest, reference: str, payload: AssignIn) -> dict[str, Any]:
    staff = _staff(request)
    assignee = None
    if payload.assignee:
        assignee = get_staff_by_email(payload.assignee)
        if assignee is None:
            raise DomainError("No staff member with that email.", field="assignee")
    case = services.assign_case(
        selectors.get_case_for_staff(reference, staff=staff), by=staff, assignee=assignee
    )
    return _case_out(selectors.get_case(case.reference), include_internal=True)


@router.post("/cases/{reference}/resolve", response={200: CaseOut, **ERRORS})
def resolve(request: HttpRequest, reference: str, payload: ResolveIn) -> dict[str, Any]:
    staff = _staff(request)
    case = services.resolve_case(
        selectors.get_case_for_staff(reference, staff=staff),
        by=staff,
        outcome=payload.outcome,
        rationale=payload.rationale,
        explanation=payload.explanation,
    )
    return _case_out(selectors.get_case(case.reference), include_internal=True)


@router.post("/cases/{reference}/reopen", response={200: CaseOut, **ERRORS})
def reopen(request: HttpRequest, reference: str, payload: ReopenIn) -> dict[str, Any]:
    staff = _staff(request)
    case = services.reopen_case(
        selectors.get_case_for_staff(reference, staff=staff), by=staff, reason=payload.reason
    )
    return _case_out(selectors.get_case(case.reference), include_internal=True)


@router.get("/topics", response={200: list[TopicOut], **ERRORS}, summary="The topic taxonomy (CRY-01)")
def list_topics(request: HttpRequest) -> list[Any]:
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, Staff):
        require(caller, Capability.CASE_VIEW)
    return list(selectors.list_active_topics())


class MacroIn(Schema):
    name: str
    language: str
    body: str


class MacroOut(Schema):
    id: int
    name: str
    language: str
    body: str


@router.get("/macros", response={200: list[MacroOut], **ERRORS}, summary="Canned replies (PRD-04)")
def list_macros(request: HttpRequest, language: str | None = None) -> list[Any]:
    require(_staff(request), Capability.CASE_REPLY)
    return list(selectors.list_macros(language=language))


@router.post("/macros", response={201: MacroOut, **ERRORS}, summary="Add a canned reply (supervisors)")
def create_macro(request: HttpRequest, payload: MacroIn) -> Status[Any]:
    macro = macros.create_macro(
        name=payload.name, language=payload.language, body=payload.body, by=_staff(request)
    )
    return Status(201, macro)


class DraftOut(Schema):
    text: str


@router.get("/cases/{reference}/macros/{macro_id}", response={200: DraftOut, **ERRORS})
def draft_from_macro(request: HttpRequest, reference: str, macro_id: int) -> dict[str, str]:
    """The macro with this case's variables filled in: a draft to edit, then post as a message."""
    staff = _staff(request)
    case = selectors.get_case_for_staff(reference, staff=staff)
    return {"text": macros.render_macro(selectors.get_macro(macro_id), case, by=staff)}


class MergeIn(Schema):
    into: str
    reason: str


@router.post(
    "/cases/{reference}/merge", response={200: CaseOut, **ERRORS}, summary="Merge a duplicate (PRD-04)"
)
def merge(request: HttpRequest, reference: str, payload: MergeIn) -> dict[str, Any]:
    """Close this case as a duplicate of ``into`` (same customer, both open); the customer is told."""
    staff = _staff(request)
    duplicate = selectors.get_case_for_staff(reference, staff=staff)
    target = selectors.get_case_for_staff(payload.into.strip().upper(), staff=staff)
    merged = services.merge_case(duplicate, into=target, by=staff, reason=payload.reason)
    return _case_fields(merged, include_internal=True)
