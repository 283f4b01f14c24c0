"""Staff accounts, tokens, training register, and MFA-enforced console sign-in."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re

import pyotp
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from clearline.accounts.models import ApiToken, Role, Staff
from clearline.accounts.services import (
    authenticate_api_token,
    create_api_token,
    record_training,
    revoke_api_token,
)
from clearline.audit.models import AuditEvent
from clearline.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_createstaff_prints_a_generated_password_once(capsys):
    call_command("createstaff", "Ann@Firm.test", role="agent")
    out = capsys.readouterr().out
    password = re.search(r"Initial password \(shown once\): (\S+)", out).group(1)
    staff = Staff.objects.get(email="ann@firm.test")
    assert staff.role == "agent" and staff.check_password(password)
    assert password not in staff.password


def test_createstaff_reads_password_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    call_command("createstaff", "ex@regulator.test", role="examiner", password_stdin=True)
    assert "Initial password" not in capsys.readouterr().out
    assert Staff.objects.get(email="ex@regulator.test").check_password("a long enough passphrase")


def test_createstaff_refuses_duplicates_and_weak_passwords(monkeypatch):
    call_command("createstaff", "dup@firm.test", role="admin")
    with pytest.raises(CommandError):
        call_command("createstaff", "DUP@firm.test", role="agent")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError):
        call_command("createstaff", "weak@firm.test", role="agent", password_stdin=True)


def test_token_is_shown_once_and_stored_hashed(make_staff, capsys):
    staff = make_staff(Role.ADMIN)
    call_command("token", "create", staff.email, name="crm")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(staff=staff, name="crm")
    assert secret.startswith("cl_") and token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert authenticate_api_token(secret) == staff
    assert AuditEvent.objects.filter(stream=f"staff:{staff.pk}", action="api_token.created").exists()


def test_revoked_token_and_inactive_staff_are_refused(make_staff):
    staff = make_staff(Role.AGENT)
    issued = create_api_token(staff)
    assert authenticate_api_token(issued.secret) == staff  # now cached
    revoke_api_token(issued.token)
    assert authenticate_api_token(issued.secret) is None
    other = create_api_token(staff)
    Staff.objects.filter(pk=staff.pk).update(is_active=False)
    assert authenticate_api_token(other.secret) is None


def test_training_register_rejects_impossible_dates_dfs_06(make_staff):
    """DFS-06: training register rejects impossible dates."""
    staff = make_staff(Role.AGENT, trained=False)
    with pytest.raises(DomainError):
        record_training(
            staff, course="HCSR", completed_on=dt.date(2026, 1, 1), expires_on=dt.date(2025, 1, 1)
        )
    record = record_training(
        staff, course="HCSR", completed_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1)
    )
    assert record.is_current(dt.date(2026, 6, 1)) and not record.is_current(dt.date(2027, 1, 1))


def _sign_in(client: Client, email: str, password: str = "correct horse battery staple"):
    return client.post("/console/login", {"email": email, "password": password})


def test_console_requires_totp_enrolment_then_a_code_every_login(make_staff):
    staff = make_staff(Role.AGENT)
    client = Client()
    assert client.get("/console/").status_code == 302  # anonymous -> login
    assert _sign_in(client, staff.email)["Location"] == "/console/mfa"
    # password alone does not open the console
    assert client.get("/console/")["Location"] == "/console/mfa"
    enrol = client.get("/console/mfa")
    secret = re.search(rb'data-testid="totp-secret">([A-Z2-7=]+)<', enrol.content).group(1).decode()
    assert b"<svg" in enrol.content
    assert client.post("/console/mfa", {"token": "000000"}).status_code == 200  # wrong code: stays
    assert client.get("/console/")["Location"] == "/console/mfa"
    # django-otp throttles after a failure (1 s, doubling), so the right code is sent a little later
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=5), tick=False):
        response = client.post("/console/mfa", {"token": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    # next login: the code is asked again, and there is no new enrolment (no secret shown)
    client.post("/console/logout")
    second = Client()
    _sign_in(second, staff.email)
    page = second.get("/console/mfa")
    assert b"totp-secret" not in page.content and b"Enter your code" in page.content
    assert base64.b32decode(secret)  # the key was valid base32
    assert AuditEvent.objects.filter(stream=f"staff:{staff.pk}", action="staff.login").count() == 1


def test_login_is_throttled_after_repeated_failures(make_staff):
    staff = make_staff(Role.AGENT)
    client = Client()
    for _ in range(5):
        assert _sign_in(client, staff.email, "wrong password!").status_code == 401
    locked = _sign_in(client, staff.email)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert AuditEvent.objects.filter(stream=f"staff:{staff.pk}", action="staff.login_failed").count() == 5
