"""The one phone-number rule: what a mainland mobile number is, how a phone is shown masked, and
how one is found inside free text (to scrub logs and to catch an unsealed phone in an event)."""

from __future__ import annotations

import re

MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"  # eleven digits, 13x–19x (for pydantic and HTML patterns)
# A mobile, or a landline with its area code (0851-12345678, 085112345678): what employers give.
PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"
# A mobile inside text, with or without +86 / 0086 / 86 in front and with blanks or dashes between
# its groups (138 1234 5678, 138-1234-5678, +86 13812345678); groups 1 and 2 are its ends.
MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")

_MOBILE = re.compile(MOBILE_PATTERN)


def is_mobile(text: str | None) -> bool:
    return bool(text) and _MOBILE.match(text) is not None


def mask_phone(phone: str | None) -> str:
    """138****5678 for an 11-digit mobile; other numbers keep only their last four digits."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def scrub_phones(text: str) -> str:
    """Every mobile number in `text` masked (138****5678)."""
    return MOBILE_IN_TEXT.sub(r"\1****\2", text)
