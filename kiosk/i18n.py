"""The one translation function: a key and its parameters to the text of the session's language."""

from __future__ import annotations

import datetime as dt

from .strings import STRINGS

LANGUAGES = ("zh", "en")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def translate(lang: str, key: str, **params) -> str:
    """`kiosk.strings` text for `key`; a missing key shows as itself, so it is seen and fixed."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    return text.format(**params) if params else text


def catalogue(lang: str) -> dict[str, str]:
    """Every string of a language, for kv rules (`app.s['attract.title']`)."""
    return {key: translate(lang, key) for key in STRINGS}


def month_day(lang: str, day: dt.date) -> str:
    return translate(lang, "date.md", m=day.month, d=day.day, mon=MONTHS[day.month - 1])
