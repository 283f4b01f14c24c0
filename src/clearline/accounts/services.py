"""Staff accounts, API tokens and training records. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clearline.audit import services as audit
from clearline.core.errors import Conflict, DomainError

from .models import ApiToken, Role, Staff, TrainingRecord
from .permissions import Capability, require

TOKEN_PREFIX = "cl_"  # noqa: S105 - a public prefix, not a secret


def _actor(staff: Staff | None) -> audit.Actor:
    return audit.Actor.of_staff(staff) if staff else audit.Actor.system("operator")


@transaction.atomic
def create_staff(
    *, email: str, role: str, password: str | None = None, display_name: str = "", by: Staff | None = None
) -> tuple[Staff, str | None]:
    """Create a staff account. Without ``password`` one is generated and returned (to be shown once)."""
    address = email.strip().lower()
    if "@" not in address:
        raise DomainError("A valid email address is required.", field="email")
    if role not in Role.values:
        raise DomainError(f"Role must be one of {', '.join(Role.values)}.", field="role")
    if Staff.objects.filter(email__iexact=address).exists():
        raise Conflict(f"A staff account for {address} already exists.", field="email")
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(18)
    staff = Staff(email=address, role=role, display_name=display_name)
    try:
        validate_password(password, staff)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    staff.set_password(password)
    staff.save()
    audit.record(
        actor=_actor(by), action="staff.created", target=staff, data={"email": address, "role": role}
    )
    return staff, generated


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full bearer token; shown once, never stored


def _digest(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (no dictionary attack is possible).
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(staff: Staff, *, name: str = "api", by: Staff | None = None) -> IssuedToken:
    if not staff.is_active:
        raise DomainError("The staff account is not active.", field="email")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        staff=staff, name=name[:80] or "api", prefix=secret[:10], digest=_digest(secret)
    )
    audit.record(
        actor=_actor(by),
        action="api_token.created",
        target=staff,
        stream=f"staff:{staff.pk}",
        data={"token_id": token.pk, "name": token.name, "prefix": token.prefix},
    )
    return IssuedToken(token=token, secret=secret)


TOKEN_CACHE_SECONDS = 30


def _token_cache_key(digest: str) -> str:
    return f"api-token:{digest}"


def authenticate_api_token(secret: str) -> Staff | None:
    """The staff member behind a bearer token. Kept in the cache briefly: every API call pays this lookup.

    Revoking a token clears its entry at once; other changes (a deactivated account) apply within
    ``TOKEN_CACHE_SECONDS``.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = _digest(secret)
    cached: Staff | None = cache.get(_token_cache_key(digest))
    if cached is not None:
        return cached
    token = (
        ApiToken.objects.select_related("staff")
        .filter(digest=digest, revoked_at__isnull=True, staff__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # coarse, to keep reads cheap
    cache.set(_token_cache_key(digest), token.staff, TOKEN_CACHE_SECONDS)
    return token.staff


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: Staff | None = None) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    cache.delete(_token_cache_key(token.digest))
    audit.record(
        actor=_actor(by),
        action="api_token.revoked",
        target=token.staff,
        stream=f"staff:{token.staff_id}",
        data={"token_id": token.pk},
    )


@transaction.atomic
def record_training(
    staff: Staff, *, course: str, completed_on: date, expires_on: date, attested_by: Staff | None = None
) -> TrainingRecord:
    """DFS-06: the HCSR training register."""
    if expires_on <= completed_on:
        raise DomainError("Expiry must be after completion.", field="expires_on")
    if not course.strip():
        raise DomainError("Name the course.", field="course")
    record = TrainingRecord.objects.create(
        staff=staff,
        course=course.strip(),
        completed_on=completed_on,
        expires_on=expires_on,
        attested_by=attested_by,
    )
    audit.record(
        actor=_actor(attested_by),
        action="training.recorded",
        target=staff,
        stream=f"staff:{staff.pk}",
        data={
            "course": record.course,
            "completed_on": completed_on.isoformat(),
            "expires_on": expires_on.isoformat(),
        },
    )
    return record


def record_login(staff: Staff, *, succeeded: bool, method: str, remote_addr: str) -> None:
    with transaction.atomic():
        audit.record(
            actor=_actor(staff),
            action="staff.login" if succeeded else "staff.login_failed",
            target=staff,
            stream=f"staff:{staff.pk}",
            data={"method": method, "ip": remote_addr},
        )


def set_routing_profile(staff: Staff, *, languages: list[str], skills: list[str], by: Staff) -> Staff:
    """The languages and topics a person is given cases in by automatic assignment (PRD-04)."""
    require(by, Capability.STAFF_MANAGE)
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(languages=languages, skills=skills)
        staff.languages, staff.skills = languages, skills
        audit.record(
            actor=_actor(by),
            action="staff.routing_profile",
            target=staff,
            data={"languages": languages, "skills": skills},
        )
    return staff
