"""Fixtures shared by every app's tests: staff of each role, tokens, API clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from clearline.accounts.models import Customer, Role, Staff
from clearline.accounts.services import create_api_token, create_staff, record_training
from clearline.core.cache import ProcessMemo


@pytest.fixture(autouse=True)
def fresh_cache():
    """Login throttles and other cache state must not leak between tests."""
    cache.clear()
    ProcessMemo.clear_all()  # topics, templates, policies, the organisation, phone lines...
    yield
    cache.clear()
    ProcessMemo.clear_all()


@pytest.fixture
def make_staff(db) -> Callable[..., Staff]:
    counter = {"n": 0}

    def make(role: str = Role.AGENT, *, trained: bool = True, email: str | None = None) -> Staff:
        counter["n"] += 1
        staff, _ = create_staff(
            email=email or f"{role}{counter['n']}@firm.test",
            role=role,
            password="correct horse battery staple",
        )
        if trained:
            today = timezone.localdate()
            record_training(
                staff,
                course="HCSR fundamentals",
                completed_on=today - timedelta(days=30),
                expires_on=today + timedelta(days=335),
            )
        return staff

    return make


@pytest.fixture
def agent(make_staff) -> Staff:
    return make_staff(Role.AGENT)


@pytest.fixture
def supervisor(make_staff) -> Staff:
    return make_staff(Role.SUPERVISOR)


@pytest.fixture
def api_client_for(db) -> Callable[[Staff], Client]:
    def make(staff: Staff) -> Client:
        token = create_api_token(staff, name="test").secret
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def customer(db) -> Customer:
    return Customer.objects.create(email="alice@customer.test", name="Alice", segment="individual")


@pytest.fixture
def organisation(db):
    """The firm's one record, with every contact and disclosure the public pages show."""
    from clearline.org.models import Organisation

    return Organisation.objects.create(
        name="Hudson Digital Assets",
        website="https://help.hudson.test",
        support_phone="+1 212 555 0142",
        support_email="support@example.com",  # sending address: on CLEARLINE_SUPPORT_DOMAIN
        complaint_mailing_address="Complaints Unit, 100 Demo Street, New York, NY 10004",
        complaint_email="complaints@hudson.test",
        complaint_phone="+1 212 555 0143",
        extra_disclosure="Licensed by the NYDFS to engage in virtual currency business activity.",
    )


@pytest.fixture
def faq(db) -> None:
    from clearline.demo.loader import load_faq

    load_faq()
