"""Staff sign-in: password, then a TOTP code (enrolment forced on first login); failures throttled."""

from __future__ import annotations

from io import BytesIO

from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.accounts.models import Staff

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(scope: str, identity: str) -> str:
    return f"login-failures:{scope}:{identity.lower()}"


def is_locked_out(*, email: str, remote_addr: str) -> bool:
    return any(cache.get(_key(s, i), 0) >= MAX_FAILURES for s, i in (("email", email), ("ip", remote_addr)))


def note_failure(*, email: str, remote_addr: str) -> None:
    for scope, identity in (("email", email), ("ip", remote_addr)):
        key = _key(scope, identity)
        cache.add(key, 0, LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, LOCKOUT_SECONDS)


def clear_failures(*, email: str) -> None:
    cache.delete(_key("email", email))


def confirmed_device(staff: Staff) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=staff, confirmed=True).first()


def pending_device(staff: Staff) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first need, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=staff, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    buffer = BytesIO()
    import segno  # here, not at the top: 11 MB in every process for a page shown once per enrolment

    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()
