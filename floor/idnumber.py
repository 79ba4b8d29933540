"""Resident ID numbers (GB 11643-1999): check digit, masking, and what the number itself says."""

from __future__ import annotations

import datetime as dt
import re

# ISO 7064 MOD 11-2 as GB 11643 states it: weights for the first 17 digits, and the check
# character for each remainder 0..10.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII digits: "\d" would take ٣ and ３ too
# Anything that looks like an ID number inside free text (used by the log scrubber).
ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def normalize(number: str) -> str:
    """Upper-cases the check character and strips surrounding blanks."""
    return number.strip().upper()


def check_char(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("an ID number's body is 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def is_valid(number: str) -> bool:
    """True when the number has the 18-character shape and its check character holds."""
    number = normalize(number)
    return bool(_SHAPE.match(number)) and check_char(number[:17]) == number[17]


def mask(number: str) -> str:
    """The masked form shown and stored instead of the number: 110105********002X."""
    number = normalize(number)
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def birth_date(number: str) -> dt.date | None:
    """The birth date encoded in digits 7–14, or None when they are not a real date."""
    number = normalize(number)
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def sex(number: str) -> str:
    """'male' or 'female' from digit 17 (odd is male), 'unknown' when it is not a digit."""
    number = normalize(number)
    if len(number) < 17 or not number[16].isdigit():
        return "unknown"
    return "male" if int(number[16]) % 2 else "female"


def age_on(number: str, day: dt.date) -> int | None:
    """Whole years of age on `day`, from the birth date in the number."""
    born = birth_date(number)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def scrub(text: str) -> str:
    """Replaces every ID-number-shaped run in free text by its masked form."""
    return ID_IN_TEXT.sub(lambda m: mask(m.group(0)), text)
