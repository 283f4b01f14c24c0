"""Customer-visible case references: ``CL-`` plus 8 characters from an unambiguous alphabet.

Random (not sequential) so a reference reveals nothing about volume and cannot be enumerated; uniqueness
is enforced by the database, and references are never reused because cases are never deleted.
"""

from __future__ import annotations

import re
import secrets

# Crockford-style: no 0/O, 1/I/L, U; upper case only. 30^8 ≈ 6.6e11 possibilities.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "CL-"
REFERENCE_LENGTH = 8
REFERENCE_PATTERN = re.compile(rf"\b{REFERENCE_PREFIX}[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}\b")


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(value: str) -> str | None:
    """Accept what customers type (lower case, spaces, a missing dash); ``None`` if it cannot be one."""
    compact = re.sub(r"[\s-]", "", value.strip().upper())
    if compact.startswith("CL"):
        compact = compact[2:]
    candidate = REFERENCE_PREFIX + compact
    return candidate if REFERENCE_PATTERN.fullmatch(candidate) else None
