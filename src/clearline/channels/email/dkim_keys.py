"""DKIM keys per sending domain (RFC 6376): generated here, the public half published by the firm."""

from __future__ import annotations

import base64

from Crypto.PublicKey import RSA
from django.db import transaction

from clearline.core.cache import forget_now_and_after_commit

from . import outbound
from .models import DkimKey


@transaction.atomic
def create_dkim_key(domain: str, *, selector: str) -> DkimKey:
    """A 2048-bit RSA key for ``domain``; replaces the previous one (publish the new record first)."""
    private = RSA.generate(2048)
    public_der = private.publickey().export_key(format="DER")
    record = f"v=DKIM1; k=rsa; p={base64.b64encode(public_der).decode()}"
    key, _ = DkimKey.objects.update_or_create(
        domain=domain.strip().lower(),
        defaults={
            "selector": selector,
            "private_key": private.export_key(format="PEM", pkcs=1).decode(),
            "public_key_record": record,
            "is_active": True,
        },
    )
    forget_now_and_after_commit(lambda: outbound.forget_dkim_key(key.domain))  # signs at once in this process
    return key
