"""The agent's view of an email: the new words, without the quoted history and the signature.

Pure Python. Only the view is trimmed; the stored message keeps the full text (an examiner reads all of it).
Reply headers of the clients our customers use, in English, Spanish and Romanian.
"""

from __future__ import annotations

import re


def _attribution(first: str, last: str) -> str:
    """ "On <date>, <name> <address> wrote:" on one line, or on two when a client wraps it (Gmail moves the
    address to the next line); a two-line match must hold an address, so prose that begins with "On" and
    ends a later line with "wrote:" is not taken for one."""
    line = r"[^\n]{0,200}"
    return rf"{first}\b(?:{line}|{line}@{line}\n{line}|{line}\n{line}@{line})\b{last}"


_REPLY_HEADER = re.compile(
    r"^\s*(?:"
    + _attribution("On", "wrote:")  # Gmail, Apple Mail, Thunderbird (en)
    + "|"
    + _attribution("El", "escribi[oó]:")  # es
    + "|"
    + _attribution("[IÎ]n", "a scris:")  # ro
    + r"|-{2,}\s*(?:Original Message|Mensaje original|Mesaj original|Forwarded message|Mensaje reenviado)"
    r"\s*-{2,}"
    r"|_{20,}"  # Outlook's rule above its header block
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook (desktop and web) quotes with a header block: From/Sent/To/Subject, localised.
_OUTLOOK_BLOCK = re.compile(
    r"^\s*\*?(?:From|De|De la):\*?\s.+\n(?:\s*\*?(?:Sent|Date|Enviado|Fecha|Trimis|Data|To|Para|Către"
    r"|Cc|Subject|Asunto|Subiect):\*?.*\n){2,}",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE = re.compile(
    r"^(?:-- ?$|(?:Sent from my|Get Outlook for|Enviado desde mi|Obtener Outlook para|Trimis de pe|"
    r"Trimis din)\b.*$)",
    re.IGNORECASE | re.MULTILINE,
)


def visible_text(text: str) -> str:
    """Cut at the first reply header, Outlook header block or signature; then drop trailing quoted lines.

    Whole-message quotes are kept: if trimming would leave nothing, the full text is the view.
    """
    normalised = text.replace("\r\n", "\n")
    cut = len(normalised)
    for pattern in (_REPLY_HEADER, _OUTLOOK_BLOCK, _SIGNATURE):
        found = pattern.search(normalised)
        if found and found.start() < cut:
            cut = found.start()
    lines = normalised[:cut].rstrip().split("\n")
    while lines and (lines[-1].lstrip().startswith(">") or not lines[-1].strip()):
        lines.pop()
    view = "\n".join(lines).strip()
    return view or normalised.strip()
