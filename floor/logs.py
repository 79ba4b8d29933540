"""Logging for every lingong process, with a last-line scrubber for ID numbers and phone numbers that
works on the finished line — message, exception text and stack alike — so a traceback quoting a
value cannot carry one out either. (Names cannot be recognised by shape: they are kept out of
errors at the source — SQLAlchemy's hide_parameters, pydantic's hide_input_in_errors.)"""

from __future__ import annotations

import datetime as dt
import faulthandler
import json
import logging
import logging.config
import os
import re
import signal
import sys

from floor import idnumber
from floor.phone import scrub_phones

# An ID number written in its groups (110105 19491231 002X, 110105-19491231-002X).
_ID_GROUPED = re.compile(r"(?<![\dA-Za-z])(\d{6})[\s-]\d{8}[\s-](\d{3}[\dXx])(?![\dA-Za-z])")
# A mobile in a URL's query string as a form sends it (an access log line: the console's search
# box sends 138 1234 5678 as 138+1234+5678, or 138%201234%205678; +86 as %2B86).
_URL_GAP = r"(?:\+|%20|%2[Bb]|-)?"
_MOBILE_IN_URL = re.compile(
    rf"(?:(?<!\d)|(?<=%20)|(?<=%2[Bb]))(?:(?:%2[Bb]|00)?86{_URL_GAP})?(1[3-9]\d){_URL_GAP}\d{{4}}{_URL_GAP}(\d{{4}})(?!\d)"
)


def scrub(text: str) -> str:
    """ID numbers masked (110105********002X), mobile numbers masked (138****5678), in a URL too."""
    text = _ID_GROUPED.sub(r"\1 ******** \2", idnumber.scrub(text))
    return scrub_phones(_MOBILE_IN_URL.sub(r"\1****\2", text))


class ScrubFormatter(logging.Formatter):
    """Formats as usual, then scrubs the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))

    def formatException(self, ei) -> str:
        return scrub(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return scrub(super().formatStack(stack_info))


class JsonScrubFormatter(logging.Formatter):
    """One JSON object a line (time, level, logger, message; exception and stack when there are),
    each text scrubbed before it is encoded: JSON's escapes must not hide a number from the scrubber."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = scrub(record.exc_text)
        if record.stack_info:
            line["stack"] = scrub(self.formatStack(record.stack_info))
        # Scrubbed once more whole: a value that only the encoded line shows (no case is known).
        return scrub(json.dumps(line, ensure_ascii=False))


def config(level: str = "INFO", fmt: str | None = None) -> dict:
    """`fmt` "json" (or LINGONG_LOG_FORMAT=json when not given) writes JSON lines, else plain text."""
    fmt = (fmt or os.environ.get("LINGONG_LOG_FORMAT") or "text").lower()
    plain = {"()": ScrubFormatter, "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"()": JsonScrubFormatter} if fmt == "json" else plain},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn.access": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            "alembic": {"level": "WARNING"},
        },
    }


def setup(level: str = "INFO", fmt: str | None = None) -> None:
    logging.config.dictConfig(config(level, fmt))


def stacks_on_signal() -> None:
    """SIGUSR1 writes every thread's stack to stderr (the journal): how an operator, or a bench, sees
    where a wedged process waits — files, lines and functions only, never a value."""
    if not hasattr(signal, "SIGUSR1"):
        return
    try:
        faulthandler.register(signal.SIGUSR1, file=sys.__stderr__, all_threads=True)
    except (AttributeError, ValueError, OSError, RuntimeError):  # no real stderr (a service without one)
        pass
