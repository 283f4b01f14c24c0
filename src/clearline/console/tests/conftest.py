"""Console test fixtures."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.accounts.models import Role


@pytest.fixture
def signed_in(make_staff):
    """A client past both factors (the factor flow itself is tested in accounts)."""

    def sign_in(role: str = Role.AGENT):
        staff = make_staff(role)
        device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
        client = Client()
        client.force_login(staff)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client, staff

    return sign_in
