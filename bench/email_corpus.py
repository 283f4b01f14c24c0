"""A realistic, deterministic corpus of inbound support mail for a crypto exchange, as RFC 5322 ``.eml`` files.

Stdlib only, so both Clearline's benchmarks and the django-helpdesk peer (``bench/peer/helpdesk_peer.py
--get-email``) can read the same files. Every message is:

* 4,100-5,000 bytes on disk (CRLF line endings, 7-bit clean: non-ASCII text is quoted-printable, non-ASCII
  headers are RFC 2047 encoded words), so it is 4-5 KB whichever way a KB is counted;
* ``multipart/alternative`` (``text/plain`` + ``text/html``), or, for about 30 %, ``multipart/mixed`` with that
  alternative part and one small attachment (a PNG-ish or PDF-ish file, 1.0-1.5 KB of base64);
* written by a customer in English, Spanish or Romanian about one of five topics (a delayed withdrawal, a
  deposit not credited, a 2FA reset, a scam report, a fees question), from one of five mail providers whose
  header, Message-ID, boundary and HTML styles it imitates (Gmail, Outlook, Yahoo, iCloud/Apple Mail, Proton);
* headed by Return-Path, Delivered-To, 3-5 ``Received`` hops, ``Authentication-Results``, a
  ``DKIM-Signature``, ``MIME-Version``, ``From`` with a display name, ``Date`` in the sender's time zone,
  a unique ``Message-ID``, ``Subject`` and ``To: support@example.com``;
* for about 20 %, a reply: ``Re:`` subject, ``In-Reply-To``/``References`` naming an earlier support answer,
  and that answer quoted under an "On ... wrote:" line (in Spanish or Romanian for some es/ro customers, as
  their mail client would write it), in the plain and the HTML part.

The support answers that replies quote are not in the corpus (they went out, they did not come in), so no
message threads onto another one: a desk that threads on In-Reply-To still opens one ticket per message.
Message ``i`` depends only on ``(seed, i)``, so a larger corpus starts with the smaller one.

    python3 bench/email_corpus.py DIR [COUNT] [--seed 7]

writes ``DIR/msg-00001.eml`` ... (removing earlier ``msg-*.eml`` files there) and prints one JSON line with
the mean size. From Python: ``write_corpus(directory, count, seed=7) -> list[Path]`` and
``corpus_bytes(count, seed=7) -> list[bytes]``.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import quopri
import random
import statistics
import struct
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr
from pathlib import Path

SUPPORT = "support@example.com"
MIN_BYTES = 4100
MAX_BYTES = 5000
REPLY_SHARE = 0.20
ATTACHMENT_SHARE = 0.30
START = datetime(2025, 3, 3, 7, 0, 0, tzinfo=UTC)  # message i arrives about 2 minutes after message i - 1

LANGS = ("en", "es", "ro")
TOPICS = ("withdrawal", "deposit", "2fa", "scam", "fees")

# ---------------------------------------------------------------------------------------------------------
# Texts. Placeholders are filled from the per-message facts in _facts().
# ---------------------------------------------------------------------------------------------------------

SUBJECTS = {
    "en": {
        "withdrawal": [
            "Withdrawal still pending after {hours} hours",
            "{asset} withdrawal not received",
            "Where is my withdrawal? ID {wid}",
        ],
        "deposit": [
            "Deposit not credited",
            "{asset} deposit missing from my balance",
            "Deposit confirmed on chain but not in my account",
        ],
        "2fa": ["Need to reset 2FA - lost my phone", "Cannot log in, authenticator codes not working"],
        "scam": ["Someone pretending to be your support contacted me", "Is this site yours? {scam_domain}"],
        "fees": ["Question about withdrawal fees", "Why was I charged {fee} {asset} in fees?"],
    },
    "es": {
        "withdrawal": [
            "Retiro pendiente desde hace {hours} horas",
            "No he recibido mi retiro de {asset}",
            "¿Dónde está mi retiro? ID {wid}",
        ],
        "deposit": [
            "Depósito no acreditado",
            "Mi depósito de {asset} no aparece en el saldo",
            "Depósito confirmado en la blockchain pero no en mi cuenta",
        ],
        "2fa": [
            "Restablecer 2FA - perdí mi teléfono",
            "No puedo iniciar sesión, los códigos 2FA no funcionan",
        ],
        "scam": ["Alguien se hace pasar por su soporte", "¿Esta web es suya? {scam_domain}"],
        "fees": ["Consulta sobre comisiones de retiro", "¿Por qué me cobraron {fee} {asset} de comisión?"],
    },
    "ro": {
        "withdrawal": [
            "Retragere în așteptare de {hours} ore",
            "Retragerea de {asset} nu a ajuns",
            "Unde este retragerea mea? ID {wid}",
        ],
        "deposit": [
            "Depunere necreditată",
            "Depunerea de {asset} nu apare în sold",
            "Depunere confirmată în blockchain, dar nu și în cont",
        ],
        "2fa": ["Resetare 2FA - mi-am pierdut telefonul", "Nu mă pot autentifica, codurile 2FA nu merg"],
        "scam": ["Cineva se dă drept echipa voastră de suport", "Acest site este al vostru? {scam_domain}"],
        "fees": ["Întrebare despre comisioanele de retragere", "De ce mi s-au luat {fee} {asset} comision?"],
    },
}

OPENINGS = {
    "en": {
        "withdrawal": "I requested a withdrawal of {amount} {asset} to my external wallet {hours} hours ago and "
        'it still shows as "Processing" in my account.',
        "deposit": "I sent {amount} {asset} to my deposit address on the {network} network and the transaction "
        "is confirmed on the explorer, but my balance has not changed.",
        "2fa": "My phone was stolen last weekend and I no longer have access to my authenticator codes, so I "
        "cannot log in to my account.",
        "scam": "Today somebody contacted me on Telegram as {scam_handle}, claiming to be from your support "
        'team, and asked me to "verify" my wallet on {scam_domain}.',
        "fees": "I withdrew {amount} {asset} yesterday and was charged a fee of {fee} {asset}, which is much "
        "higher than what your fee page says.",
    },
    "es": {
        "withdrawal": "Hace {hours} horas solicité un retiro de {amount} {asset} a mi billetera externa y en mi "
        'cuenta sigue apareciendo como "En proceso".',
        "deposit": "Envié {amount} {asset} a mi dirección de depósito en la red {network} y la transacción "
        "está confirmada en el explorador, pero mi saldo no ha cambiado.",
        "2fa": "El fin de semana pasado me robaron el teléfono y ya no tengo acceso a los códigos del "
        "autenticador, así que no puedo iniciar sesión en mi cuenta.",
        "scam": "Hoy alguien me escribió por Telegram como {scam_handle}, diciendo que era de su equipo de "
        'soporte, y me pidió "verificar" mi billetera en {scam_domain}.',
        "fees": "Ayer retiré {amount} {asset} y me cobraron una comisión de {fee} {asset}, mucho más alta de "
        "lo que indica su página de comisiones.",
    },
    "ro": {
        "withdrawal": "Am cerut acum {hours} ore o retragere de {amount} {asset} în portofelul meu extern și în "
        "cont apare în continuare „În procesare”.",
        "deposit": "Am trimis {amount} {asset} la adresa mea de depunere pe rețeaua {network}, tranzacția "
        "este confirmată în explorer, dar soldul meu nu s-a modificat.",
        "2fa": "Mi s-a furat telefonul weekendul trecut și nu mai am acces la codurile din aplicația de "
        "autentificare, așa că nu mă pot conecta la cont.",
        "scam": "Astăzi m-a contactat cineva pe Telegram ca {scam_handle}, pretinzând că este din echipa "
        "voastră de suport, și mi-a cerut să îmi „verific” portofelul pe {scam_domain}.",
        "fees": "Ieri am retras {amount} {asset} și mi s-a perceput un comision de {fee} {asset}, mult mai "
        "mare decât scrie pe pagina voastră de comisioane.",
    },
}

DETAILS = {
    "en": {
        "withdrawal": [
            "The withdrawal ID is {wid} and I selected the {network} network.",
            "The destination address is {addr}, I have checked it twice and it is correct.",
            "Previous withdrawals to the same address always arrived in less than 30 minutes.",
            "Your status page says all networks are operational, so I do not understand the delay.",
            "I need these funds to pay a supplier by the end of the week, so please escalate this.",
        ],
        "deposit": [
            "Transaction hash: {txid}",
            "The explorer already shows more than {confs} confirmations.",
            "I copied the deposit address directly from your app, so it should be correct.",
            "Can you tell me how many confirmations you require for this network?",
            "I can send you a screenshot from my wallet if that helps.",
        ],
        "2fa": [
            "My account email is {email} and my user ID is {uid}.",
            "I still have access to my email and to the phone number registered on the account.",
            "I am happy to go through a new identity verification with my passport and a selfie.",
            "Please make sure nobody can withdraw funds from my account while this is being resolved.",
            "I did not save the backup key when I set up 2FA, which I now regret.",
        ],
        "scam": [
            "They knew my name and that I have an account with you, which worries me a lot.",
            "The site looks exactly like your login page but the address is different.",
            "I did not enter my password, but I clicked the link once on my phone.",
            "Please confirm that your staff will never ask for my seed phrase or 2FA codes.",
            "I would like to know if my account is safe and whether I should change my password.",
        ],
        "fees": [
            "Is the fee fixed or does it depend on network congestion?",
            "On the {network} network I expected to pay much less.",
            "I am on the standard tier; do I get lower fees if I hold your token?",
            "Could you send me a breakdown of all fees charged in {month}? I need it for my tax return.",
            "If the fee was charged by mistake, please refund the difference.",
        ],
    },
    "es": {
        "withdrawal": [
            "El ID del retiro es {wid} y elegí la red {network}.",
            "La dirección de destino es {addr}, la he revisado dos veces y es correcta.",
            "Los retiros anteriores a la misma dirección siempre llegaron en menos de 30 minutos.",
            "Su página de estado dice que todas las redes funcionan, así que no entiendo el retraso.",
            "Necesito estos fondos para pagar a un proveedor antes del viernes, por favor escálenlo.",
        ],
        "deposit": [
            "Hash de la transacción: {txid}",
            "El explorador ya muestra más de {confs} confirmaciones.",
            "Copié la dirección de depósito directamente desde su aplicación, así que debería ser correcta.",
            "¿Cuántas confirmaciones necesitan para esta red?",
            "Puedo enviarles una captura de pantalla de mi billetera si les sirve.",
        ],
        "2fa": [
            "El correo de mi cuenta es {email} y mi ID de usuario es {uid}.",
            "Sigo teniendo acceso a mi correo y al número de teléfono registrado en la cuenta.",
            "No tengo problema en repetir la verificación de identidad con mi DNI y un selfie.",
            "Por favor, asegúrense de que nadie pueda retirar fondos mientras se resuelve esto.",
            "No guardé la clave de respaldo cuando activé el 2FA, y ahora me arrepiento.",
        ],
        "scam": [
            "Sabían mi nombre y que tengo cuenta con ustedes, y eso me preocupa mucho.",
            "La web es idéntica a su página de inicio de sesión, pero la dirección es distinta.",
            "No introduje mi contraseña, pero sí abrí el enlace una vez desde el móvil.",
            "Confírmenme, por favor, que su personal nunca pide la frase semilla ni los códigos 2FA.",
            "Quisiera saber si mi cuenta está segura y si debo cambiar la contraseña.",
        ],
        "fees": [
            "¿La comisión es fija o depende de la congestión de la red?",
            "En la red {network} esperaba pagar mucho menos.",
            "Tengo el nivel estándar; ¿pagaría menos comisiones si tengo su token?",
            "¿Me pueden enviar el detalle de todas las comisiones de {month}? Lo necesito para la declaración.",
            "Si la comisión se cobró por error, les pido que me devuelvan la diferencia.",
        ],
    },
    "ro": {
        "withdrawal": [
            "ID-ul retragerii este {wid} și am ales rețeaua {network}.",
            "Adresa de destinație este {addr}, am verificat-o de două ori și este corectă.",
            "Retragerile anterioare către aceeași adresă au ajuns mereu în mai puțin de 30 de minute.",
            "Pagina voastră de status spune că toate rețelele funcționează, deci nu înțeleg întârzierea.",
            "Am nevoie de bani ca să plătesc un furnizor până vineri, vă rog să escaladați cererea.",
        ],
        "deposit": [
            "Hash-ul tranzacției: {txid}",
            "Explorerul arată deja peste {confs} confirmări.",
            "Am copiat adresa de depunere direct din aplicația voastră, deci ar trebui să fie corectă.",
            "Câte confirmări sunt necesare pentru această rețea?",
            "Vă pot trimite o captură de ecran din portofel dacă ajută.",
        ],
        "2fa": [
            "Adresa de email a contului este {email}, iar ID-ul meu de utilizator este {uid}.",
            "Am în continuare acces la email și la numărul de telefon înregistrat în cont.",
            "Pot să refac verificarea identității cu buletinul și un selfie.",
            "Vă rog să vă asigurați că nimeni nu poate retrage fonduri din cont până se rezolvă.",
            "Nu am salvat cheia de rezervă când am activat 2FA și acum regret.",
        ],
        "scam": [
            "Îmi știau numele și faptul că am cont la voi, ceea ce mă îngrijorează foarte mult.",
            "Site-ul arată exact ca pagina voastră de autentificare, dar adresa este diferită.",
            "Nu mi-am introdus parola, dar am deschis o dată linkul de pe telefon.",
            "Vă rog să îmi confirmați că angajații voștri nu cer niciodată fraza seed sau codurile 2FA.",
            "Aș vrea să știu dacă contul meu este în siguranță și dacă trebuie să schimb parola.",
        ],
        "fees": [
            "Comisionul este fix sau depinde de aglomerarea rețelei?",
            "Pe rețeaua {network} mă așteptam să plătesc mult mai puțin.",
            "Am nivelul standard; aș avea comisioane mai mici dacă dețin tokenul vostru?",
            "Îmi puteți trimite detalierea tuturor comisioanelor din {month}? Am nevoie de ea pentru declarație.",
            "Dacă ați perceput comisionul din greșeală, vă rog să îmi returnați diferența.",
        ],
    },
}

GENERIC = {
    "en": [
        "I am using the {platform} app, version {app_version}.",
        "I have been a customer since {year} and this is the first time I have a problem like this.",
        "I already tried the live chat, but the bot only sent me links to the FAQ.",
        "Please let me know if you need any additional documents from me.",
        "My user ID is {uid}, in case you need it to find my account.",
        "I would appreciate an answer as soon as possible, it is a significant amount for me.",
    ],
    "es": [
        "Uso la aplicación de {platform}, versión {app_version}.",
        "Soy cliente desde {year} y es la primera vez que tengo un problema así.",
        "Ya probé el chat en vivo, pero el bot solo me mandó enlaces a las preguntas frecuentes.",
        "Díganme si necesitan algún documento adicional.",
        "Mi ID de usuario es {uid}, por si lo necesitan para encontrar mi cuenta.",
        "Les agradecería una respuesta lo antes posible, es una cantidad importante para mí.",
    ],
    "ro": [
        "Folosesc aplicația de {platform}, versiunea {app_version}.",
        "Sunt client din {year} și este prima dată când am o asemenea problemă.",
        "Am încercat deja chatul live, dar botul mi-a trimis doar linkuri către întrebările frecvente.",
        "Vă rog să îmi spuneți dacă aveți nevoie de documente suplimentare.",
        "ID-ul meu de utilizator este {uid}, în caz că aveți nevoie de el ca să găsiți contul.",
        "Aș aprecia un răspuns cât mai rapid, este o sumă importantă pentru mine.",
    ],
}

ATTACHMENT_NOTE = {
    "en": "I have attached {what} so you can see it yourselves.",
    "es": "Adjunto {what} para que lo puedan ver ustedes mismos.",
    "ro": "Am atașat {what} ca să vedeți și voi.",
}
ATTACHMENT_WHAT = {
    "en": {"png": "a screenshot", "pdf": "the statement from my bank"},
    "es": {"png": "una captura de pantalla", "pdf": "el extracto de mi banco"},
    "ro": {"png": "o captură de ecran", "pdf": "extrasul de la bancă"},
}
REPLY_OPENINGS = {
    "en": [
        "Thank you for your answer, but the problem is still not solved.",
        "It has now been {days} days and I still have no solution.",
        "Here is the information you asked for.",
    ],
    "es": [
        "Gracias por su respuesta, pero el problema sigue sin resolverse.",
        "Ya han pasado {days} días y sigo sin solución.",
        "Les envío la información que me pidieron.",
    ],
    "ro": [
        "Vă mulțumesc pentru răspuns, dar problema nu s-a rezolvat.",
        "Au trecut deja {days} zile și tot nu am o soluție.",
        "Vă trimit informațiile pe care mi le-ați cerut.",
    ],
}
AGENT_ANSWERS = {
    "en": [
        "Hello {first},",
        "Thank you for contacting us. Could you please confirm the transaction hash and the exact amount?",
        "Kind regards,\nAndrea\nExample Support",
    ],
    "es": [
        "Hola, {first}:",
        "Gracias por contactarnos. ¿Podría confirmarnos el hash de la transacción y el importe exacto?",
        "Un saludo,\nAndrea\nSoporte de Example",
    ],
    "ro": [
        "Bună ziua, {first},",
        "Vă mulțumim că ne-ați scris. Ne puteți confirma hash-ul tranzacției și suma exactă?",
        "Cu stimă,\nAndrea\nSuport Example",
    ],
}
GREETINGS = {
    "en": ["Hello,", "Hi,", "Dear Support Team,", "Hi there,"],
    "es": ["Hola,", "Buenos días,", "Estimado equipo de soporte:", "Buenas tardes,"],
    "ro": ["Bună ziua,", "Salut,", "Stimată echipă de suport,", "Bună,"],
}
CLOSINGS = {
    "en": ["Thanks in advance,", "Kind regards,", "Best regards,", "Thanks,"],
    "es": ["Gracias de antemano,", "Un saludo,", "Saludos cordiales,", "Muchas gracias,"],
    "ro": ["Mulțumesc anticipat,", "Cu stimă,", "O zi bună,", "Mulțumesc,"],
}
SENT_FROM = {"en": "Sent from my iPhone", "es": "Enviado desde mi iPhone", "ro": "Trimis de pe iPhone"}
MONTHS = {
    "en": ["January", "February"],
    "es": ["enero", "febrero"],
    "ro": ["ianuarie", "februarie"],
}
# The "On ... wrote:" line as the customer's mail client writes it, in the client's interface language.
ATTRIBUTION = {
    "en": "On {dow}, {day} {mon} {year} at {hm}, Example Support <support@example.com> wrote:",
    "es": "El {dow}, {day} {mon} {year} a las {hm}, Example Support (<support@example.com>) escribió:",
    "ro": "În {dow}, {day} {mon} {year} la {hm}, Example Support <support@example.com> a scris:",
}
DOW = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "ro": ["lun.", "mar.", "mie.", "joi", "vin.", "sâm.", "dum."],
}
MON = {"en": ["Feb", "Mar"], "es": ["feb", "mar"], "ro": ["feb.", "mar."]}

PEOPLE = {
    "en": [
        ("James", "Whitaker"),
        ("Emily", "Carter"),
        ("Oliver", "Bennett"),
        ("Sophie", "Turner"),
        ("Daniel", "O'Connor"),
        ("Hannah", "Patel"),
        ("Michael", "Reyes"),
        ("Grace", "Mitchell"),
    ],
    "es": [
        ("María", "González"),
        ("José Luis", "Martínez"),
        ("Lucía", "Fernández"),
        ("Javier", "Ruiz"),
        ("Carmen", "Sánchez"),
        ("Andrés", "Muñoz"),
        ("Sofía", "Ibáñez"),
        ("Pablo", "Herrera"),
    ],
    "ro": [
        ("Andrei", "Popescu"),
        ("Ioana", "Ionescu"),
        ("Mihai", "Dumitrescu"),
        ("Elena", "Stănescu"),
        ("Ștefan", "Constantinescu"),
        ("Alexandra", "Țurcanu"),
        ("Radu", "Gheorghiu"),
        ("Cristina", "Munteanu"),
    ],
}
# (provider, mailbox domain) per language; the provider decides the header, ID, boundary and HTML style.
DOMAINS = {
    "en": [
        ("gmail", "gmail.com"),
        ("outlook", "outlook.com"),
        ("apple", "icloud.com"),
        ("proton", "proton.me"),
    ],
    "es": [("gmail", "gmail.com"), ("outlook", "hotmail.es"), ("yahoo", "yahoo.es"), ("apple", "icloud.com")],
    "ro": [
        ("gmail", "gmail.com"),
        ("yahoo", "yahoo.com"),
        ("outlook", "outlook.com"),
        ("gmail", "gmail.com"),
    ],
}
ZONES = {"en": [0, 0, -5, 1], "es": [1, 1, 1, -6, -3], "ro": [2]}  # hours from UTC
ASSETS = [
    ("BTC", "Bitcoin", 8),
    ("ETH", "ERC20", 6),
    ("USDT", "TRC20", 2),
    ("USDC", "Solana", 2),
    ("SOL", "Solana", 4),
    ("XRP", "XRP Ledger", 2),
]

B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
B64STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
HEX = "0123456789abcdef"
UPPERHEX = "0123456789ABCDEF"


def _rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _is_ascii(text: str) -> bool:
    return text.isascii()


def _header_text(text: str) -> str:
    """An unstructured header value, RFC 2047-encoded if it is not ASCII (a reply prefix stays plain)."""
    if _is_ascii(text):
        return text
    prefix = next((p for p in ("Re: ", "RE: ") if text.startswith(p)), "")
    return prefix + Header(text[len(prefix) :], "utf-8").encode(maxlinelen=70)


@dataclass
class _Plan:
    """Everything random about one message, decided before it is rendered."""

    index: int
    lang: str
    ui_lang: str
    topic: str
    provider: str
    name: str
    first: str
    address: str
    when: datetime  # arrival at our MX, UTC
    tz_hours: int
    subject: str
    greeting: str
    core: list[str]  # paragraphs always present
    extras: list[str]  # sentences added one by one until the size target is met
    closing: str
    signature: list[str]
    quote_attribution: str = ""
    quote_lines: list[str] = field(default_factory=list)
    in_reply_to: str = ""
    references: str = ""
    attachment: tuple[str, str, bytes] | None = None  # (filename, content type, data)
    message_id: str = ""
    boundaries: tuple[str, str] = ("", "")
    received_ours: list[str] = field(default_factory=list)  # added by our MX and mail store, newest first
    received_theirs: list[str] = field(default_factory=list)  # added inside the sender's provider
    sent: datetime = START
    auth_results: str = ""
    dkim: str = ""
    x_mailer: str = ""
    target: int = MIN_BYTES


def _facts(rng: random.Random, lang: str, first: str, address: str) -> dict[str, str]:
    asset, network, decimals = rng.choice(ASSETS)
    if asset == "BTC":
        amount = f"{rng.uniform(0.004, 0.9):.{min(decimals, 5)}f}"
        fee = f"{rng.uniform(0.0002, 0.0009):.5f}"
        addr = "bc1q" + _rand(rng, "023456789acdefghjklmnpqrstuvwxyz", 38)
        txid = _rand(rng, HEX, 64)
    elif asset in ("ETH",):
        amount = f"{rng.uniform(0.05, 6):.4f}"
        fee = f"{rng.uniform(0.002, 0.009):.4f}"
        addr = "0x" + _rand(rng, "0123456789abcdefABCDEF", 40)
        txid = "0x" + _rand(rng, HEX, 64)
    elif asset in ("SOL", "USDC"):
        amount = f"{rng.uniform(5, 4000):.2f}"
        fee = f"{rng.uniform(0.5, 3):.2f}" if asset == "USDC" else f"{rng.uniform(0.01, 0.05):.3f}"
        addr = _rand(rng, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 44)
        txid = _rand(rng, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 87)
    elif asset == "XRP":
        amount = f"{rng.uniform(20, 9000):.2f}"
        fee = f"{rng.uniform(0.2, 1):.2f}"
        addr = "r" + _rand(rng, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33)
        txid = _rand(rng, UPPERHEX, 64)
    else:  # USDT on TRC20
        amount = f"{rng.uniform(50, 12000):.2f}"
        fee = f"{rng.uniform(1, 6):.2f}"
        addr = "T" + _rand(rng, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33)
        txid = _rand(rng, HEX, 64)
    if lang != "en":  # decimal commas
        amount, fee = amount.replace(".", ","), fee.replace(".", ",")
    handle = rng.choice(["@Support_Desk_", "@Help_Center_", "@Official_Support", "@Assist_Team"])
    return {
        "asset": asset,
        "network": network,
        "amount": amount,
        "fee": fee,
        "addr": addr,
        "txid": txid,
        "wid": f"W{rng.randint(10_000_000, 99_999_999)}",
        "uid": str(rng.randint(1_000_000, 99_999_999)),
        "hours": str(rng.randint(3, 72)),
        "days": str(rng.randint(2, 9)),
        "confs": str(rng.choice([12, 20, 35, 64, 100])),
        "email": address,
        "first": first,
        "scam_handle": handle + str(rng.randint(10, 999)),
        "scam_domain": rng.choice(["examp1e-verify.com", "example-wallet-sync.net", "exampIe-support.io"]),
        "month": rng.choice(MONTHS[lang]),
        "platform": rng.choice(["iOS", "Android"]),
        "app_version": f"4.{rng.randint(10, 38)}.{rng.randint(0, 9)}",
        "year": str(rng.randint(2017, 2023)),
    }


def _png(rng: random.Random, size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = rng.choice([(1170, 2532), (1080, 2400), (1920, 1080), (828, 1792)])
    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    tail = chunk(b"IEND", b"")
    body = rng.randbytes(max(16, size - len(head) - len(tail) - 12))
    return head + chunk(b"IDAT", body) + tail


def _pdf(rng: random.Random, size: int) -> bytes:
    head = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R "
        b"/MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
    )
    tail = b"\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\n%%EOF\n"
    n = max(16, size - len(head) - len(tail) - 60)
    return (
        head + f"4 0 obj\n<< /Length {n} /Filter /FlateDecode >>\nstream\n".encode() + rng.randbytes(n) + tail
    )


def _provider_headers(rng: random.Random, plan: _Plan, domain: str) -> None:
    """Message-ID, boundaries, Received chain, Authentication-Results and DKIM-Signature for the provider."""
    p, when = plan.provider, plan.when
    sent = when - timedelta(seconds=rng.randint(2, 9))
    ts = int(sent.timestamp())
    if p == "gmail":
        plan.message_id = (
            f"<CA{_rand(rng, B64URL.replace('-', '+'), 2)}+{_rand(rng, B64URL, 41)}@mail.gmail.com>"
        )
        plan.boundaries = (f"0000000000{_rand(rng, HEX, 18)}", f"0000000000{_rand(rng, HEX, 18)}")
        out_host = f"mail-{rng.choice(['lf1', 'ej1', 'wm1', 'ed1'])}-f{rng.randint(41, 199)}.google.com"
        out_ip = f"209.85.{rng.randint(128, 221)}.{rng.randint(1, 254)}"
        selector, dkim_domain = "20230601", domain
        inner = (
            f"by {out_host} with SMTP id {_rand(rng, 'abcdefghijklmnopqrstuvwxyz0123456789', 10)}-"
            f"{_rand(rng, '0123456789', 8)}.{rng.randint(1, 9)}"
        )
        submission = (
            f"by 2002:a05:{rng.randint(6000, 6999)}:{_rand(rng, HEX, 4)}:b0:{_rand(rng, HEX, 3)}:"
            f"{_rand(rng, HEX, 4)}:{_rand(rng, HEX, 4)} with SMTP id {_rand(rng, 'abcdefghij0123456789', 12)}"
        )
    elif p == "outlook":
        tenant = f"{rng.choice(['AM0', 'DB9', 'PA4', 'VI1', 'AS8'])}PR0{rng.randint(1, 9)}MB{rng.randint(1000, 9999)}"
        host = f"{tenant}.eurprd0{rng.randint(1, 9)}.prod.outlook.com"
        plan.message_id = f"<{tenant}{_rand(rng, UPPERHEX, 32)}@{host}>"
        plan.boundaries = (
            f"_004_{tenant}{_rand(rng, UPPERHEX, 20)}_",
            f"_000_{tenant}{_rand(rng, UPPERHEX, 20)}_",
        )
        out_host = f"mail-{rng.choice(['db8', 'am6', 'vi1', 'he1'])}eur0{rng.randint(1, 5)}on2{rng.randint(100, 999)}.outbound.protection.outlook.com"
        out_ip = f"40.107.{rng.randint(1, 250)}.{rng.randint(1, 254)}"
        selector, dkim_domain = "selector1", domain
        inner = (
            f"from {host} ([fe80::{_rand(rng, HEX, 4)}:{_rand(rng, HEX, 4)}]) "
            f"by {host} with mapi id 15.20.{rng.randint(8000, 8999)}.{rng.randint(10, 40)}"
        )
        submission = (
            f"from {host} (2603:10a6:20b:{_rand(rng, HEX, 3)}::{_rand(rng, HEX, 2)}) "
            f"by {out_host.split('.')[0]}.outbound.protection.outlook.com with Microsoft SMTP Server"
        )
    elif p == "yahoo":
        plan.message_id = f"<{rng.randint(10**8, 10**9)}.{rng.randint(10**5, 10**6)}.{ts}{rng.randint(100, 999)}@mail.yahoo.com>"
        part = rng.randint(10**5, 10**6)
        plan.boundaries = (
            f"----=_Part_{part}_{rng.randint(10**8, 10**9)}.{ts}{rng.randint(100, 999)}",
            f"----=_Part_{part + 1}_{rng.randint(10**8, 10**9)}.{ts}{rng.randint(100, 999)}",
        )
        out_host = f"sonic{rng.randint(301, 399)}-{rng.randint(1, 60)}.consmr.mail.ir2.yahoo.com"
        out_ip = f"77.238.{rng.randint(176, 179)}.{rng.randint(1, 254)}"
        selector, dkim_domain = "s2048", domain
        inner = f"from sonic.gate.mail.ne1.yahoo.com by {out_host} with HTTP"
        submission = f"by hermes--production-ir2-{_rand(rng, HEX, 10)}-{_rand(rng, 'abcdefghijklmnopqrstuvwxyz', 5)} (Yahoo Inc. Hermes SMTP Server) with ESMTPA ID {_rand(rng, HEX, 32)}"
    elif p == "apple":
        uid = "-".join(_rand(rng, UPPERHEX, n) for n in (8, 4, 4, 4, 12))
        plan.message_id = f"<{uid}@icloud.com>"
        plan.boundaries = (
            "Apple-Mail=_" + "-".join(_rand(rng, UPPERHEX, n) for n in (8, 4, 4, 4, 12)),
            "Apple-Mail=_" + "-".join(_rand(rng, UPPERHEX, n) for n in (8, 4, 4, 4, 12)),
        )
        out_host = f"st43p00im-ztdg{rng.randint(10_000_000, 99_999_999)}.me.com"
        out_ip = f"17.58.{rng.randint(6, 63)}.{rng.randint(1, 254)}"
        selector, dkim_domain = "1a1hai", domain
        inner = f"from smtpclient.apple (st43p00im-ztdg{rng.randint(10**7, 10**8)}.me.com [17.58.{rng.randint(6, 63)}.{rng.randint(1, 254)}]) by {out_host} (Postfix)"
        submission = f"from smtpclient.apple (unknown [{rng.randint(80, 95)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}]) by {out_host} (Postfix) with ESMTPSA id {_rand(rng, UPPERHEX, 11)}"
        plan.x_mailer = "Apple Mail (2.3826.400.131.1.6)"
    else:  # proton
        plan.message_id = f"<{_rand(rng, B64STD, 86)}==@proton.me>"
        plan.boundaries = (f"b1=_{_rand(rng, B64STD[:62], 43)}", f"b2=_{_rand(rng, B64STD[:62], 43)}")
        out_host = f"mail-{rng.randint(4000, 4399)}{rng.randint(10, 99)}.protonmail.ch"
        out_ip = f"185.70.40.{rng.randint(1, 254)}"
        selector, dkim_domain = "protonmail3", domain
        inner = f"from mail.proton.me by {out_host}"
        submission = f"from [{rng.randint(10, 192)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}] by {out_host} with ESMTPSA"

    def stamp(delta: int) -> str:
        return format_datetime(when + timedelta(seconds=delta)).replace("-0000", "+0000") + " (UTC)"

    queue_id = _rand(rng, UPPERHEX, 12)
    ours = [
        f"from mx1.example.com (mx1.example.com [10.20.0.11])\n\tby imap1.example.com (Postfix) with LMTP id "
        f"{_rand(rng, B64STD[:62], 22)}\n\tfor <{SUPPORT}>; {stamp(2)}",
        f"from {out_host} ({out_host} [{out_ip}])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)"
        f"\n\tby mx1.example.com (Postfix) with ESMTPS id {queue_id}\n\tfor <{SUPPORT}>; {stamp(0)}",
    ]
    theirs = [f"{submission};\n\t{format_datetime(sent)}"]
    n_hops = rng.choice([3, 4, 5])
    if n_hops >= 4:  # the content filter on our side
        ours.insert(
            1,
            f"from localhost (localhost [127.0.0.1])\n\tby mx1.example.com (amavisd-new, port 10024) with ESMTP id "
            f"{_rand(rng, 'abcdefghijklmnopqrstuvwxyz0123456789', 12)}\n\tfor <{SUPPORT}>; {stamp(1)}",
        )
    if n_hops == 5:  # one more hop inside the provider
        theirs.insert(0, f"{inner};\n\t{format_datetime(sent + timedelta(seconds=1))}")
    plan.received_ours, plan.received_theirs = ours, theirs
    plan.sent = sent

    bits = 1024 if p == "outlook" else 2048  # Outlook.com consumer domains sign with 1024-bit keys here
    bh = base64.b64encode(rng.randbytes(32)).decode()
    sig = base64.b64encode(rng.randbytes(bits // 8)).decode()
    sig_lines = "\n\t ".join(sig[i : i + 70] for i in range(0, len(sig), 70))
    plan.dkim = (
        f"v=1; a=rsa-sha256; c=relaxed/relaxed;\n\td={dkim_domain}; s={selector}; t={ts}; x={ts + 604800};"
        f" darn=example.com;\n\th=to:subject:message-id:date:from:mime-version:from:to:cc:subject\n\t :date"
        f":message-id:reply-to;\n\tbh={bh};\n\tb={sig_lines}"
    )
    plan.auth_results = (
        f"mx1.example.com;\n\tdkim=pass ({bits}-bit key) header.d={dkim_domain} header.i=@{dkim_domain} "
        f"header.b={sig[:8]};\n\tspf=pass smtp.mailfrom={dkim_domain};\n\tdmarc=pass (p=NONE) header.from={dkim_domain}"
    )


def _plan(index: int, seed: int | str) -> _Plan:
    rng = random.Random(f"clearline-email-corpus:{seed}:{index}")
    lang = rng.choice(LANGS)
    ui_lang = lang if lang == "en" or rng.random() < 0.6 else "en"
    topic = rng.choice(TOPICS)
    first, last = rng.choice(PEOPLE[lang])
    provider, domain = rng.choice(DOMAINS[lang])
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first}{last}{rng.randint(1, 99)}",
            f"{first[0]}{last}",
            f"{last}.{first}{rng.randint(70, 99)}",
        ]
    )
    local = "".join(c for c in unicodedata.normalize("NFKD", local) if c.isascii() and c not in " '").lower()
    address = f"{local}@{domain}"
    facts = _facts(rng, lang, first, address)
    when = START + timedelta(seconds=120 * index + rng.randint(0, 110))
    # Replies and attachments exclusive: a reply quoting history and carrying a file does not fit in 5 KB.
    kind_draw = rng.random()
    is_reply = kind_draw < REPLY_SHARE
    has_attachment = REPLY_SHARE <= kind_draw < REPLY_SHARE + ATTACHMENT_SHARE

    subject = rng.choice(SUBJECTS[lang][topic]).format(**facts)
    core = [OPENINGS[lang][topic].format(**facts)]
    if is_reply:
        subject = ("RE: " if provider == "outlook" else "Re: ") + subject
        core.insert(0, rng.choice(REPLY_OPENINGS[lang]).format(**facts))
    details = [d.format(**facts) for d in DETAILS[lang][topic]]
    rng.shuffle(details)
    generic = [g.format(**facts) for g in GENERIC[lang]]
    rng.shuffle(generic)

    plan = _Plan(
        index=index,
        lang=lang,
        ui_lang=ui_lang,
        topic=topic,
        provider=provider,
        name=f"{first} {last}",
        first=first,
        address=address,
        when=when,
        tz_hours=rng.choice(ZONES[lang]),
        subject=subject,
        greeting=rng.choice(GREETINGS[lang]),
        core=core,
        extras=details + generic,
        closing=rng.choice(CLOSINGS[lang]),
        signature=[first] if rng.random() < 0.5 else [f"{first} {last}"],
        target=rng.randint(MIN_BYTES + 100, MAX_BYTES - 100),
    )
    if provider == "apple" and rng.random() < 0.5:
        plan.signature.append("")
        plan.signature.append(SENT_FROM[lang])

    if has_attachment:
        kind = rng.choice(["png", "png", "pdf"])
        raw = rng.randint(750, 840)  # 1.0-1.1 KB once base64-encoded
        stamp = (when + timedelta(hours=plan.tz_hours, minutes=-rng.randint(5, 600))).strftime(
            "%Y%m%d-%H%M%S"
        )
        if kind == "png":
            name = rng.choice(
                [
                    f"Screenshot_{stamp}.png",
                    f"IMG_{rng.randint(1000, 9999)}.PNG",
                    f"image{rng.randint(0, 9)}.png",
                ]
            )
            plan.attachment = (name, "image/png", _png(rng, raw))
        else:
            name = rng.choice(
                [f"statement_{stamp[:8]}.pdf", "extras_cont.pdf", f"receipt-{rng.randint(100, 999)}.pdf"]
            )
            plan.attachment = (name, "application/pdf", _pdf(rng, raw))
        plan.core.append(ATTACHMENT_NOTE[lang].format(what=ATTACHMENT_WHAT[lang][kind]))

    if is_reply:
        answered = when - timedelta(hours=rng.randint(3, 70), minutes=rng.randint(0, 59))
        local_answered = answered + timedelta(hours=plan.tz_hours)
        plan.quote_attribution = ATTRIBUTION[ui_lang].format(
            dow=DOW[ui_lang][local_answered.weekday()],
            day=local_answered.day,
            mon=MON[ui_lang][local_answered.month - 2],
            year=local_answered.year,
            hm=local_answered.strftime("%H:%M"),
        )
        answer = "\n\n".join(AGENT_ANSWERS[lang]).format(first=first)
        plan.quote_lines = answer.split("\n")
        ours = f"<{int(answered.timestamp())}.{rng.randint(1000, 99999)}.{_rand(rng, HEX, 12)}@example.com>"
        plan.in_reply_to = ours
        theirs = f"<{_rand(rng, B64URL, 32)}@{domain}>"
        plan.references = f"{theirs}\n {ours}"

    _provider_headers(rng, plan, domain)
    return plan


# ---------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------


def _text_part(content_type: str, text: str) -> str:
    """A text/* MIME part: 7bit if ASCII (as Gmail sends it), quoted-printable otherwise."""
    if _is_ascii(text) and all(len(line) < 990 for line in text.split("\n")):
        return f'Content-Type: {content_type}; charset="UTF-8"\n\n{text}\n'
    encoded = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    return f'Content-Type: {content_type}; charset="UTF-8"\nContent-Transfer-Encoding: quoted-printable\n\n{encoded}\n'


def _html(plan: _Plan, paragraphs: list[str]) -> str:
    esc = [html.escape(p).replace("\n", "<br>") for p in paragraphs]
    quote = ""
    if plan.quote_lines:
        quoted = "<br>".join(html.escape(line) for line in plan.quote_lines)
        quote = (
            f'<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{html.escape(plan.quote_attribution)}'
            f'<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
            f'rgb(204,204,204);padding-left:1ex">{quoted}</blockquote></div>'
        )
    if plan.provider == "gmail":
        body = "<div><br></div>".join(f"<div>{p}</div>" for p in esc)
        return f'<div dir="ltr">{body}</div>{quote}'
    if plan.provider == "outlook":
        body = "\n".join(f'<div class="elementToProof">{p}</div>' for p in esc)
        return (
            '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
            '</head>\n<body dir="ltr">\n<div style="font-family: Aptos, Calibri, Helvetica, sans-serif; '
            f'font-size: 12pt;">\n{body}\n</div>\n{quote}\n</body>\n</html>'
        )
    if plan.provider == "yahoo":
        body = "".join(f'<div dir="ltr">{p}</div><div><br></div>' for p in esc)
        return (
            '<html><head></head><body><div class="ydp4f1c2a3byahoo-style-wrap" style="font-family:Helvetica '
            f'Neue, Helvetica, Arial, sans-serif;font-size:13px;">{body}</div>{quote}</body></html>'
        )
    if plan.provider == "apple":
        body = "<div><br></div>".join(f"<div>{p}</div>" for p in esc)
        return (
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body '
            'style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
            f"{body}{quote}</body></html>"
        )
    body = "<div><br></div>".join(f"<div>{p}</div>" for p in esc)
    return f'<div style="font-family: Arial, sans-serif; font-size: 14px;">{body}</div>{quote}'


def _render(plan: _Plan, n_extras: int) -> bytes:
    paragraphs = [plan.greeting, *plan.core[:1]]
    sentences = plan.core[1:] + plan.extras[:n_extras]
    # two or three sentences per paragraph, as people write
    for i in range(0, len(sentences), 2 + (plan.index % 2)):
        paragraphs.append(" ".join(sentences[i : i + 2 + (plan.index % 2)]))
    paragraphs.append("\n".join([plan.closing, *plan.signature]))

    plain = "\n\n".join(paragraphs)
    if plan.quote_lines:
        quoted = "\n".join(f"> {line}" if line else ">" for line in plan.quote_lines)
        plain += f"\n\n{plan.quote_attribution}\n\n{quoted}"
    alt_boundary = plan.boundaries[1]
    alternative = (
        f"--{alt_boundary}\n{_text_part('text/plain', plain)}\n--{alt_boundary}\n"
        f"{_text_part('text/html', _html(plan, paragraphs))}\n--{alt_boundary}--\n"
    )

    headers = [
        f"Return-Path: <{plan.address}>",
        f"Delivered-To: {SUPPORT}",
        *(f"Received: {hop}" for hop in plan.received_ours),
        f"Authentication-Results: {plan.auth_results}",
        *(f"Received: {hop}" for hop in plan.received_theirs),
        f"DKIM-Signature: {plan.dkim}",
    ]
    written = plan.sent - timedelta(seconds=1)
    date = format_datetime(written.astimezone(timezone(timedelta(hours=plan.tz_hours))))
    headers += [
        "MIME-Version: 1.0",
        f"From: {formataddr((plan.name, plan.address), charset='utf-8')}",
        f"Date: {date}",
        f"Message-ID: {plan.message_id}",
        f"Subject: {_header_text(plan.subject)}",
        f"To: {SUPPORT}",
    ]
    if plan.in_reply_to:
        headers += [f"In-Reply-To: {plan.in_reply_to}", f"References: {plan.references}"]
    if plan.x_mailer:
        headers.append(f"X-Mailer: {plan.x_mailer}")

    if plan.attachment is None:
        headers.append(f'Content-Type: multipart/alternative; boundary="{alt_boundary}"')
        body = alternative
    else:
        mixed = plan.boundaries[0]
        name, ctype, data = plan.attachment
        b64 = base64.encodebytes(data).decode("ascii")
        extra = ""
        if plan.provider == "gmail":
            att_id = f"f_{_rand(random.Random(plan.message_id), 'abcdefghijklmnopqrstuvwxyz0123456789', 9)}0"
            extra = f"Content-ID: <{att_id}>\nX-Attachment-Id: {att_id}\n"
        headers.append(f'Content-Type: multipart/mixed; boundary="{mixed}"')
        body = (
            f'--{mixed}\nContent-Type: multipart/alternative; boundary="{alt_boundary}"\n\n{alternative}\n'
            f'--{mixed}\nContent-Type: {ctype}; name="{name}"\nContent-Disposition: attachment; filename="{name}"\n'
            f"Content-Transfer-Encoding: base64\n{extra}\n{b64}--{mixed}--\n"
        )
    text = "\n".join(headers) + "\n\n" + body
    return text.replace("\n", "\r\n").encode("ascii")


def message_bytes(index: int, seed: int = 7) -> bytes:
    """Message ``index`` (0-based) of the corpus for ``seed``: the sentences are added until it is 4.1-5.0 KB.

    A draw that cannot reach that size (one in a few thousand: short text, no attachment) is drawn again from
    a derived plan, so every index has a message and the others stay as they were."""
    for attempt in range(10):
        found = _sized(_plan(index, seed if attempt == 0 else f"{seed}/{attempt}"))
        if found:
            return found
    raise AssertionError(f"message {index} (seed {seed}): no size in {MIN_BYTES}-{MAX_BYTES} bytes")


def _sized(plan: _Plan) -> bytes:
    # Too big even with no optional sentence (long names, quoted-printable text, an attachment): drop the
    # optional Received hops, the provider's internal one first, until it fits (never below three).
    while len(_render(plan, 0)) > MAX_BYTES and len(plan.received_ours) + len(plan.received_theirs) > 3:
        if len(plan.received_theirs) > 1:
            plan.received_theirs.pop(0)
        else:
            plan.received_ours.pop(1)
    best = b""
    for n in range(len(plan.extras) + 1):
        data = _render(plan, n)
        if MIN_BYTES <= len(data) <= MAX_BYTES and (
            not best or abs(len(data) - plan.target) < abs(len(best) - plan.target)
        ):
            best = data
        if len(data) > MAX_BYTES:
            break
    return best


def corpus_bytes(count: int, seed: int = 7) -> list[bytes]:
    """``count`` messages as bytes, in arrival order; deterministic for ``seed``."""
    messages = [message_bytes(i, seed) for i in range(count)]
    ids = {m.split(b"\r\nMessage-ID: ", 1)[1].split(b"\r\n", 1)[0] for m in messages}
    if len(ids) != count:
        raise AssertionError("duplicate Message-ID in the corpus")
    return messages


def write_corpus(directory: Path, count: int, *, seed: int = 7) -> list[Path]:
    """Write ``directory/msg-00001.eml`` ... (after removing earlier ``msg-*.eml`` files there)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("msg-*.eml"):
        old.unlink()
    paths = []
    for i, data in enumerate(corpus_bytes(count, seed), 1):
        path = directory / f"msg-{i:05d}.eml"
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = write_corpus(args.directory, args.count, seed=args.seed)
    sizes = [p.stat().st_size for p in paths]
    heads = [p.read_bytes().split(b"\r\n\r\n", 1)[0] for p in paths]
    print(
        json.dumps(
            {
                "directory": str(args.directory),
                "messages": len(paths),
                "seed": args.seed,
                "mean_bytes": round(statistics.fmean(sizes), 1) if sizes else 0,
                "min_bytes": min(sizes, default=0),
                "max_bytes": max(sizes, default=0),
                "replies": sum(b"\r\nIn-Reply-To: " in h for h in heads),
                "with_attachment": sum(b"multipart/mixed" in h for h in heads),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
