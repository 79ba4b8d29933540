"""The card-reader errors: a small hierarchy that keeps what the reader or card actually said."""

from __future__ import annotations


class CardReaderError(Exception):
    """Base of every error this package raises."""


class FrameError(CardReaderError):
    """A SAM frame that cannot be right: wrong preamble, length, checksum, or cut short."""


class StatusError(CardReaderError):
    """The reader or card answered with a status other than success; the raw status is kept."""

    def __init__(self, status: int, meaning: str, *, raw: bytes = b""):
        super().__init__(f"{meaning} (status {status:#04x})" if status <= 0xFF else f"{meaning} (SW {status:04X})")
        self.status = status
        self.meaning = meaning
        self.raw = raw


class NoCard(StatusError):
    """Nothing on the reader (SAM 80) or nothing in the slot."""


class CardDataError(CardReaderError):
    """A card's data decoded but made no sense (a date that is not a date, an empty number)."""


class ReaderUnavailable(CardReaderError):
    """The reader cannot be reached: port gone, pcscd not running, no such reader."""
