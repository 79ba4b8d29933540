"""Logging for every lingong process, with a last-line scrubber for ID numbers and phone numbers."""
from __future__ import annotations

import logging
import logging.config
import re

from cardreader import idnumber

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


class ScrubFilter(logging.Filter):
    """Nothing should log personal data in the first place; this masks whatever slips through."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = _PHONE.sub(r"\1****\2", idnumber.scrub(message))
        if clean != message:
            record.msg, record.args = clean, None
        return True


def config(level: str = "INFO") -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"scrub": {"()": ScrubFilter}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn.access": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            "alembic": {"level": "WARNING"},
        },
    }


def setup(level: str = "INFO") -> None:
    logging.config.dictConfig(config(level))
