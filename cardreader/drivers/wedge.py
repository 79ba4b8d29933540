"""Keyboard-wedge readers: 18 ID characters and Enter, typed faster than any person types.

The kiosk window passes every key event to `key()`; normal typing never looks like a card."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from floor import idnumber

from ..identity import Identity, Kind, Sex
from ..reader import CardInserted, Event, Reader, ReaderState

ID_CHARS = re.compile(r"^\d{17}[\dXx]$")
MAX_GAP_S = 0.05  # a reader types a key every few milliseconds; fast typists need ~100 ms
MAX_BURST_S = 0.8  # all 18 characters and Enter


class WedgeReader(Reader):
    name = "wedge"

    def __init__(self, on_event: Callable[[Event], None] | None = None, *, clock: Callable[[], float] = time.monotonic):
        super().__init__(on_event)
        self.clock = clock
        self._keys: list[tuple[str, float]] = []

    def run(self) -> None:
        self._set_state(ReaderState.READY, "keyboard reader")
        self._stop.wait()

    def key(self, char: str) -> bool:
        """One key from the window ("\\n" or "\\r" for Enter). True when it was part of a card
        burst that just completed (the window should then ignore the keys)."""
        now = self.clock()
        if self._keys and now - self._keys[-1][1] > MAX_GAP_S:
            self._keys.clear()  # a pause: whatever came before was a person
        if char in ("\n", "\r"):
            keys, self._keys = self._keys, []
            text = "".join(k for k, _ in keys)
            if len(keys) == 18 and ID_CHARS.match(text) and now - keys[0][1] <= MAX_BURST_S:
                self._emit(CardInserted(self._identity(text)))
                return True
            return False
        if len(char) == 1:
            self._keys.append((char, now))
            del self._keys[:-18]
        return False

    @staticmethod
    def _identity(text: str) -> Identity:
        number = idnumber.normalize(text)
        if not idnumber.is_valid(number):
            # Without a SAM a wedge reader types the chip serial: a card, not a person.
            return Identity(kind=Kind.CHIP_SERIAL, _number=number)
        return Identity(
            kind=Kind.RESIDENT_ID, _number=number, sex=Sex(idnumber.sex(number)), birth=idnumber.birth_date(number)
        )
