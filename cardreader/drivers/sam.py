"""Serial SAM readers (GA/T 467): poll find → select → read, report insertions and removals,
resynchronise on bad frames, and survive the port vanishing and coming back."""

from __future__ import annotations

from collections.abc import Callable

from ..connection import ByteConnection
from ..errors import CardDataError, FrameError, ReaderUnavailable, StatusError
from ..reader import CardInserted, CardRemoved, Event, Reader, ReaderState
from ..sam.session import SamSession

# Many models answer find with 80 while a card that was read stays on them; select still works.
# A card counts as removed after this many polls in a row where neither find nor select saw it.
REMOVAL_MISSES = 3


class SamReader(Reader):
    name = "sam"

    def __init__(
        self,
        open_connection: Callable[[], ByteConnection],
        *,
        poll_s: float = 0.25,
        reconnect_s: float = 1.0,
        on_event: Callable[[Event], None] | None = None,
    ):
        super().__init__(on_event)
        self.open_connection = open_connection
        self.poll_s = poll_s
        self.reconnect_s = reconnect_s

    def run(self) -> None:
        connection: ByteConnection | None = None
        card_on, misses = False, 0
        while not self._stop.is_set():
            if connection is None:
                try:
                    connection = self.open_connection()
                    session = SamSession(connection)
                    session.status()
                    self._set_state(ReaderState.READY)
                except (ReaderUnavailable, FrameError, StatusError) as exc:
                    if connection is not None:
                        connection.close()
                        connection = None
                    self._set_state(ReaderState.NO_READER, str(exc))
                    self._stop.wait(self.reconnect_s)
                    continue
            try:
                if not card_on:
                    if session.find_card():
                        session.select_card()
                        identity = session.read()
                        card_on, misses = True, 0
                        self._set_state(ReaderState.CARD)
                        self._emit(CardInserted(identity))
                elif self._present(session):
                    misses = 0
                else:
                    misses += 1
                    if misses >= REMOVAL_MISSES:
                        card_on = False
                        self._set_state(ReaderState.READY)
                        self._emit(CardRemoved())
            except ReaderUnavailable as exc:  # the port went away (USB pulled) or went silent
                connection.close()
                connection = None
                if card_on:
                    card_on = False
                    self._emit(CardRemoved())
                self._set_state(ReaderState.NO_READER, str(exc))
                continue
            except (StatusError, FrameError, CardDataError) as exc:
                # A read that failed (card moved mid-read, bad frame): say so, poll again.
                self._set_state(ReaderState.ERROR, str(exc))
            self._stop.wait(self.poll_s)
        if connection is not None:
            connection.close()

    @staticmethod
    def _present(session: SamSession) -> bool:
        try:
            if session.find_card():
                return True
            session.select_card()
            return True
        except (StatusError, FrameError):
            return False
