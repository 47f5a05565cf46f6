"""Masking: the only form in which a found value may leave the process."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-./#]")


def mask_token(token: str) -> str:
    """Keep the first character of a word: ``Maria`` -> ``M****``."""
    if not token:
        return token
    return token[0] + "*" * min(max(len(token) - 1, 3), 8)


def mask_name(value: str) -> str:
    """``Juan Carlos Pérez`` -> ``J*** C*** P***``."""
    tokens = [t for t in re.split(r"[\s,]+", value.strip()) if t]
    return " ".join(t[0] + "***" for t in tokens[:4]) or "***"


def mask_id(value: str) -> str:
    """Keep two characters at each end of an identifier: ``A012345678`` -> ``A0******78``."""
    v = value.strip()
    compact = _SEPARATORS.sub("", v)
    if len(compact) <= 6:
        return "*" * len(compact)
    return compact[:2] + "*" * (len(compact) - 4) + compact[-2:]


def mask_email(value: str) -> str:
    local, _, domain = value.strip().partition("@")
    parts = domain.split(".")
    tld = parts[-1] if len(parts) > 1 else ""
    masked_domain = (parts[0][:1] + "***" if parts and parts[0] else "***") + (
        "." + tld if tld else ""
    )
    return (local[:1] or "*") + "***@" + masked_domain


def mask_phone(value: str) -> str:
    digits = [c for c in value if c.isdigit()]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 2) + "".join(digits[-2:])


def mask_date(value: str) -> str:
    """Only the century survives: ``1987-03-14`` -> ``19**-**-**``."""
    m = re.search(r"(1[89]|20)\d\d", value)
    century = m.group(1) if m else "**"
    return f"{century}**-**-**"


def mask_generic(value: str) -> str:
    v = value.strip()
    if len(v) <= 2:
        return "*" * len(v)
    return v[0] + "*" * min(len(v) - 1, 10)


_BY_ENTITY = {
    "PERSON": mask_name,
    "EMAIL_ADDRESS": mask_email,
    "PHONE_NUMBER": mask_phone,
    "DATE_OF_BIRTH": mask_date,
    "A_NUMBER": mask_id,
    "US_SSN": mask_id,
    "US_ITIN": mask_id,
    "USCIS_RECEIPT": mask_id,
    "I94_NUMBER": mask_id,
    "PASSPORT_NUMBER": mask_id,
    "NATIONAL_ID": mask_id,
    "CREDIT_CARD": mask_id,
    "IBAN": mask_id,
    "IP_ADDRESS": mask_id,
}


def mask(entity: str, value: str) -> str:
    """Mask `value` as fits its entity. The result never contains the value."""
    return _BY_ENTITY.get(entity, mask_generic)(value)
