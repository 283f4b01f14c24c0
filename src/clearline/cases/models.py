"""Cases and their timelines. Fields, choices and constraints only; state changes live in services."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clearline.core.texts import in_language
from clearline.crypto.models import IntakeForm


class CaseKind(models.TextChoices):
    REQUEST = "request", "Request"
    COMPLAINT = "complaint", "Complaint"


class Method(models.TextChoices):
    """How a case arrived (DFS-05); stable codes used by the quarterly tabulation."""

    PHONE_LIVE = "phone_live", "Phone (live)"
    PHONE_VOICEMAIL = "phone_voicemail", "Phone (voicemail)"
    PHONE_CALLBACK = "phone_callback", "Phone (callback)"
    EMAIL = "email", "Email"
    CHAT_HUMAN = "chat_human", "Chat (human)"
    CHAT_AI = "chat_ai", "Chat (AI assistant)"
    WEB_FORM = "web_form", "Web form"
    IN_APP = "in_app", "In-app"
    POST = "post", "Post"
    SOCIAL = "social", "Social media"
    REGULATOR_DFS = "regulator_dfs", "Regulator referral (NYDFS)"
    REGULATOR_CFPB = "regulator_cfpb", "Regulator referral (CFPB)"
    REGULATOR_OTHER = "regulator_other", "Regulator referral (other)"


REGULATOR_METHODS = frozenset({Method.REGULATOR_DFS, Method.REGULATOR_CFPB, Method.REGULATOR_OTHER})


class CaseStatus(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    WAITING_ON_CUSTOMER = "waiting_on_customer", "Waiting on customer"
    RESOLVED = "resolved", "Resolved"


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING_ON_CUSTOMER)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved as asked"
    PARTIALLY_RESOLVED = "partially_resolved", "Partially resolved"
    NOT_RESOLVED = "not_resolved", "Not resolved"
    WITHDRAWN = "withdrawn", "Withdrawn by the customer"


ADVERSE_OUTCOMES = frozenset({Outcome.PARTIALLY_RESOLVED, Outcome.NOT_RESOLVED})


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Topic(models.Model):
    """A topic of the taxonomy (CRY-01). ``key`` is stable: reports group by it, labels may change."""

    key = models.SlugField(max_length=60, unique=True)
    labels = models.JSONField(help_text='Label per language code, e.g. {"en": "Withdrawal delayed"}.')
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    intake_form = models.CharField(
        max_length=20,
        blank=True,
        choices=IntakeForm.choices,
        help_text="The structured fields asked (CRY-02).",
    )

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key

    def label(self, language: str = "en") -> str:
        return in_language(self.labels, language, default=self.key)


class Case(models.Model):
    reference = models.CharField(max_length=11, unique=True)
    kind = models.CharField(max_length=12, choices=CaseKind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, to_field="key", related_name="cases")
    method = models.CharField(max_length=20, choices=Method.choices)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.NEW)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    # No index of its own on this key, the assignee's and a message's case: each leads a composite index
    # (Meta.indexes), which serves the same lookups, and one index fewer is less to write at every intake.
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    customer_segment = models.CharField(max_length=20, help_text="Snapshot at intake (DFS-01).")
    subject = models.CharField(max_length=300)
    details = models.JSONField(
        default=dict, blank=True, help_text="Structured intake fields (network, tx hash...)."
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        db_index=False,
    )
    related_case = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_up_cases"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        help_text="A duplicate closed as withdrawn; the conversation continues on this case (PRD-04).",
    )
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)

    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    first_human_response_at = models.DateTimeField(null=True, blank=True)
    last_customer_update_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Clocks (PRD-02): deadlines computed by sla.clocks whenever the case or its policy changes.
    service_policy = models.ForeignKey(
        "sla.ServicePolicy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    update_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_started_at = models.DateTimeField(
        null=True, blank=True, help_text="Receipt or last reopening."
    )
    resolution_paused_at = models.DateTimeField(null=True, blank=True)
    resolution_paused_seconds = models.PositiveIntegerField(default=0)
    unassigned_alert_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(
        null=True, blank=True, help_text="Earliest pending deadline; the queue order."
    )
    sweep_at = models.DateTimeField(null=True, blank=True, help_text="When the due-work sweep looks next.")
    clock_marks = models.JSONField(default=dict, blank=True, help_text="Stages done per clock deadline.")

    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    resolution_rationale = models.TextField(blank=True)
    explanation_message = models.ForeignKey(
        "cases.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_count = models.PositiveIntegerField(default=0)
    ai_involved = models.BooleanField(default=False)
    escalated_from_ai = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a field: set by ``open_case`` on the case it returns, so a channel links its own record (a stored
    # email) to the customer's first message without reading it back.
    opening_message: Message | None = None

    class Meta:
        indexes = [
            models.Index(
                fields=["next_due_at", "id"],
                name="case_queue_idx",
                condition=models.Q(status__in=["new", "open", "waiting_on_customer"]),
            ),
            models.Index(
                fields=["sweep_at"],
                name="case_sweep_idx",
                condition=models.Q(status__in=["new", "open", "waiting_on_customer"]),
            ),
            models.Index(fields=["received_at"], name="case_received_idx"),
            models.Index(fields=["customer", "received_at"], name="case_customer_idx"),
            models.Index(fields=["assignee", "status"], name="case_assignee_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="resolved", resolved_at__isnull=False, outcome__gt="")
                | (~models.Q(status="resolved") & models.Q(resolved_at__isnull=True, outcome="")),
                name="case_resolution_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class AuthorType(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent"
    ASSISTANT = "assistant", "Assistant"
    SYSTEM = "system", "System"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"


class Purpose(models.TextChoices):
    CUSTOMER_MESSAGE = "customer_message", "Customer message"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    REPLY = "reply", "Reply"
    NOTE = "note", "Internal note"
    STATUS_UPDATE = "status_update", "Status update"
    EXPLANATION = "explanation", "Explanation of outcome"
    SURVEY = "survey", "Satisfaction survey"


class DeliveryStatus(models.TextChoices):
    NOT_APPLICABLE = "n/a", "Not sent anywhere"
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """One entry of a case timeline. ``body`` has already passed secret redaction (CRY-03)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages", db_index=False)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    author_type = models.CharField(max_length=10, choices=AuthorType.choices)
    author_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    channel = models.CharField(max_length=20, choices=Method.choices)
    language = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    redacted_kinds = models.JSONField(default=list, blank=True)
    complaint_rules = models.JSONField(
        default=list, blank=True, help_text="Dissatisfaction rules that fired."
    )
    delivery_status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.NOT_APPLICABLE
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["case", "created_at", "id"], name="message_timeline_idx"),
            # What the delivery sweep reads: only messages still to go out, so it stays a few rows long.
            models.Index(
                fields=["created_at"],
                condition=models.Q(delivery_status="pending"),
                name="message_pending_delivery_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(purpose="acknowledgement"),
                name="one_acknowledgement_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.purpose}@{self.created_at:%Y-%m-%d %H:%M}"


class ClassificationChange(models.Model):
    """Kind and topic history (DFS-02): the first row is the classification at intake."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="classification_changes")
    from_kind = models.CharField(max_length=12, blank=True)
    to_kind = models.CharField(max_length=12)
    from_topic = models.CharField(max_length=60, blank=True)
    to_topic = models.CharField(max_length=60)
    reason = models.TextField()
    is_automatic = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_kind or '-'}->{self.to_kind} {self.from_topic or '-'}->{self.to_topic}"


class Resolution(models.Model):
    """Every time a case was resolved; a reopened case keeps its earlier resolutions here."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="resolutions")
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    rationale = models.TextField()
    explanation_message = models.ForeignKey(Message, on_delete=models.PROTECT, null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    resolved_at = models.DateTimeField()
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["resolved_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.resolved_at:%Y-%m-%d %H:%M}"


class TimestampAmendment(models.Model):
    """A correction of an intake or lifecycle timestamp (DFS-23): the only way such a value changes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="amendments")
    field = models.CharField(max_length=40)
    old_value = models.DateTimeField(null=True)
    new_value = models.DateTimeField()
    reason = models.TextField()
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"


class MessageTemplate(models.Model):
    """Customer-facing text as data, one row per key and language; the newest active version is used."""

    key = models.SlugField(max_length=60)
    language = models.CharField(max_length=8)
    version = models.PositiveIntegerField(default=1)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Django template syntax; variables documented per key.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "language", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.language} v{self.version}"


class TrackingRequest(models.Model):
    """A status lookup without an account (DFS-19, PRD-03): every request is stored whether or not it
    matched, so a match and a miss cost the same; a match holds the hash of a one-time link sent by email."""

    reference_tried = models.CharField(max_length=20)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.reference_tried}@{self.requested_at:%Y-%m-%d %H:%M}"


class Macro(models.Model):
    """A canned reply with variables (PRD-04), per language; the agent edits the result before sending."""

    name = models.CharField(max_length=120)
    language = models.CharField(max_length=8)
    body = models.TextField(
        help_text="Django template syntax: {{ customer_name }}, {{ agent_name }}, {{ reference }}, "
        "{{ topic }}, {{ estimated_resolution }}, {{ track_url }}, {{ org.name }} ..."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="macro_name_language_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
