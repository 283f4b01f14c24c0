"""API input and output shapes (validation only; rules live in services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema


class CustomerIn(Schema):
    email: str = Field(..., min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str = Field("", max_length=200)
    segment: Literal["individual", "institutional", "unknown"] | None = None


class CaseCreateIn(Schema):
    topic: str = Field(..., min_length=1, max_length=60)
    method: str = Field(..., min_length=1, max_length=20)
    customer: CustomerIn
    subject: str = Field(..., min_length=1, max_length=300)
    body: str = Field(..., min_length=1, max_length=100_000)
    kind: Literal["request", "complaint"] | None = None
    language: Literal["en", "es", "ro"] | None = None
    details: dict[str, Any] | None = None
    related_reference: str | None = Field(None, max_length=20)


class CaseCreatedOut(Schema):
    reference: str
    kind: str
    topic: str
    method: str
    status: str
    language: str
    received_at: datetime
    acknowledged_at: datetime | None
    estimated_response_at: datetime | None
    estimated_resolution_at: datetime | None


class MessageOut(Schema):
    id: int
    direction: str
    author_type: str
    visibility: str
    purpose: str
    subject: str
    body: str
    redacted_kinds: list[str]
    created_at: datetime


class ClassificationOut(Schema):
    from_kind: str
    to_kind: str
    from_topic: str
    to_topic: str
    reason: str
    is_automatic: bool
    changed_by: str | None
    changed_at: datetime


class CaseSummaryOut(Schema):
    reference: str
    kind: str
    topic: str
    method: str
    status: str
    language: str
    priority: str
    subject: str
    customer_email: str
    customer_segment: str
    assignee: str | None
    received_at: datetime
    next_due_at: datetime | None


class CaseOut(Schema):
    reference: str
    kind: str
    topic: str
    method: str
    status: str
    language: str
    priority: str
    subject: str
    customer_email: str
    customer_phone: str = Field("", description="E.164; a caller may be known by number alone.")
    customer_segment: str
    assignee: str | None
    related_reference: str | None
    received_at: datetime
    acknowledged_at: datetime | None
    first_human_response_at: datetime | None
    estimated_response_at: datetime | None
    estimated_resolution_at: datetime | None
    resolved_at: datetime | None
    outcome: str | None
    ai_involved: bool
    escalated_from_ai: bool
    messages: list[MessageOut]
    classification_history: list[ClassificationOut] = []


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    next_cursor: str | None


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=100_000)
    visibility: Literal["public", "internal"] = "public"
    waiting_on_customer: bool = False
    seen_up_to: int | None = Field(
        None, description="The newest message id you had seen: 409 if someone else wrote since (collision)."
    )


class ReclassifyIn(Schema):
    kind: Literal["request", "complaint"] | None = None
    topic: str | None = Field(None, max_length=60)
    reason: str = Field(..., min_length=1, max_length=2000)


class AssignIn(Schema):
    assignee: str | None = Field(None, max_length=254, description="Staff email, or null to unassign.")


class ResolveIn(Schema):
    outcome: Literal["resolved", "partially_resolved", "not_resolved", "withdrawn"]
    rationale: str = Field(..., min_length=1, max_length=10_000)
    explanation: str = Field("", max_length=100_000)


class ReopenIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class TopicOut(Schema):
    key: str
    labels: dict[str, str]


class ErrorOut(Schema):
    detail: Any
    field: str | None = None
    code: str | None = None
