"""What the phone channel keeps: support lines, every webhook as received, calls, callbacks, agents' seats."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def default_languages() -> list[str]:
    return ["en", "es", "ro"]


class PhoneLine(models.Model):
    """A published support number (DFS-04, DFS-07, DFS-08): its hours, menu languages and queue limit."""

    number = models.CharField(max_length=20, unique=True, help_text="E.164, as the carrier sends it in To.")
    label = models.CharField(max_length=100, blank=True)
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: the published support hours.",
    )
    languages = models.JSONField(default=default_languages, help_text="Menu order; the first is the default.")
    queue_limit = models.PositiveIntegerField(
        default=250, help_text="Callers waiting beyond this go to voicemail with a callback (never busy)."
    )
    records_calls = models.BooleanField(default=True, help_text="Callers are told the call is recorded.")
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.number


class VoiceWebhook(models.Model):
    """A carrier request as received, stored before it is acted on; the same ``key`` (a carrier retry) is
    answered with the stored response and changes nothing (DFS-25, "nothing is lost")."""

    key = models.CharField(max_length=160, unique=True)
    event = models.CharField(max_length=24)
    params = models.JSONField()
    received_at = models.DateTimeField()
    response = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True, help_text="Why a safe answer was given instead.")

    def __str__(self) -> str:
        return self.key


class CallDirection(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound (callback)"


class CallState(models.TextChoices):
    MENU = "menu", "In the language menu"
    QUEUED = "queued", "Waiting for an agent"
    RINGING = "ringing", "Ringing an agent"
    CONNECTED = "connected", "With an agent"
    VOICEMAIL = "voicemail", "Leaving a voicemail"
    CALLBACK_REQUESTED = "callback", "Left the queue for a callback"
    ENDED = "ended", "Ended"


class Call(models.Model):
    """One carrier call (``call_sid``), inbound or a callback, from greeting to hang-up."""

    call_sid = models.CharField(max_length=64, unique=True)
    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    direction = models.CharField(max_length=8, choices=CallDirection.choices, default=CallDirection.INBOUND)
    caller = models.CharField(max_length=20, blank=True, help_text="The customer's number (E.164).")
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=10, choices=CallState.choices, default=CallState.MENU)
    started_at = models.DateTimeField()
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="Place in the queue, kept by a callback."
    )
    first_estimate_at = models.DateTimeField(null=True, blank=True, help_text="When the wait was first told.")
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    recording_sid = models.CharField(max_length=64, blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    recording = models.FileField(upload_to="voice/recordings/%Y/%m/%d/", max_length=200, blank=True)
    recording_seconds = models.PositiveIntegerField(null=True, blank=True)
    transcript = models.TextField(blank=True, help_text="The carrier's transcription, redacted (CRY-03).")
    logged_at = models.DateTimeField(null=True, blank=True, help_text="When the agent logged the outcome.")

    class Meta:
        indexes = [models.Index(fields=["state", "queued_at"], name="call_state_queued_idx")]

    def __str__(self) -> str:
        return self.call_sid


class CallbackReason(models.TextChoices):
    REQUESTED = "requested", "Asked for in the queue"
    VOICEMAIL = "voicemail", "Voicemail"
    DROPPED = "dropped", "Call dropped"
    AGENT = "agent", "Requested by an agent"
    OVERFLOW = "overflow", "Queue full"


class CallbackStatus(models.TextChoices):
    PENDING = "pending", "To call"
    DIALING = "dialing", "Dialing"
    DONE = "done", "Reached the customer"
    UNREACHED = "unreached", "Not reached after every attempt"


class Callback(models.Model):
    """A promise to call a customer back, ordered by ``place`` so a caller who left the queue keeps it."""

    phone = models.CharField(max_length=20)
    language = models.CharField(max_length=8, default="en")
    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=10, choices=CallbackReason.choices)
    origin_call = models.ForeignKey(Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks"
    )
    place = models.DateTimeField(help_text="Queue position: when the customer first started waiting.")
    due_at = models.DateTimeField(db_index=True)
    verify_identity = models.BooleanField(
        default=False, help_text="Re-verify the customer before any detail."
    )
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "place"], name="callback_status_place_idx")]

    def __str__(self) -> str:
        return f"{self.phone} ({self.reason}, {self.status})"


class SeatStatus(models.TextChoices):
    AVAILABLE = "available", "Available for calls"
    ON_CALL = "on_call", "On a call"
    OFFLINE = "offline", "Not taking calls"


class AgentSeat(models.Model):
    """An agent's phone presence: the device the carrier rings (a desk phone in E.164, or a SIP address)."""

    staff = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seat")
    device = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=SeatStatus.choices, default=SeatStatus.OFFLINE)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.staff} ({self.status})"
