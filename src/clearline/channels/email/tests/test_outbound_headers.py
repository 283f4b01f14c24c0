"""Outbound headers: the one-line shortcut writes exactly what Django's compat32 policy would."""

from __future__ import annotations

import string
from email._policybase import compat32

from django.core.mail import EmailMessage
from hypothesis import given, settings
from hypothesis import strategies as st

from clearline.channels.email.outbound import ONE_LINE_HEADERS_AS_IS

NAMES = st.sampled_from(["Subject", "To", "From", "Message-ID", "References", "X-Clearline-Reference"])
ASCII = st.text(alphabet=string.printable, max_size=120)
ANY_TEXT = st.text(max_size=120)


@settings(max_examples=2000, deadline=None)
@given(name=NAMES, value=st.one_of(ASCII, ANY_TEXT))
def test_every_header_is_written_as_compat32_writes_it(name: str, value: str):
    crlf = ONE_LINE_HEADERS_AS_IS.clone(linesep="\r\n")
    try:
        expected = compat32.clone(linesep="\r\n").fold_binary(name, value)
    except Exception as error:  # compat32 refuses a value (an embedded header): the shortcut must too
        try:
            crlf.fold_binary(name, value)
        except type(error):
            return
        raise AssertionError(f"{value!r} was written where compat32 refuses it") from None
    assert crlf.fold_binary(name, value) == expected


def test_a_whole_message_serialises_to_the_same_bytes():
    message = EmailMessage(
        subject="[CL-ABCD2345] Retiro pendiente: ¿cuándo llegará mi transferencia de 0,5 BTC a la billetera?",
        body="Hola,\n\nsu caso CL-ABCD2345 está abierto.\n",
        from_email="support@example.com",
        to=["alice@customer.test"],
        headers={"Message-ID": "<1.2.cl-abcd2345@example.com>", "References": " ".join(["<a@b.c>"] * 9)},
    ).message()
    expected = message.as_bytes(linesep="\r\n")
    message.policy = ONE_LINE_HEADERS_AS_IS
    assert message.as_bytes(linesep="\r\n") == expected
