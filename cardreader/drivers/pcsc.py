"""PC/SC readers: social-security cards by their holder, any other card by its chip serial.
No pcscd, no reader, or a card pulled mid-read are states the kiosk shows, never crashes."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import CardDataError, NoCard, ReaderUnavailable, StatusError
from ..pcsc.socialsecurity import identify
from ..reader import CardInserted, CardRemoved, Event, Reader, ReaderState
from ..transports import pcsc


class PcscReader(Reader):
    name = "pcsc"

    def __init__(
        self, reader_name: str | None = None, *, poll_s: float = 0.25, on_event: Callable[[Event], None] | None = None
    ):
        super().__init__(on_event)
        self.reader_name = reader_name
        self.poll_s = poll_s

    def _choose(self) -> str:
        names = pcsc.reader_names()
        if not names:
            raise ReaderUnavailable("no PC/SC reader is connected")
        if self.reader_name is None:
            return names[0]
        if self.reader_name not in names:
            raise ReaderUnavailable(f"no PC/SC reader named {self.reader_name!r} (there are: {', '.join(names)})")
        return self.reader_name

    def run(self) -> None:
        # While a card is in the slot its connection stays open and presence is checked with
        # SCardStatus: reconnecting on every poll raced with pcscd powering the card down.
        card: pcsc.PcscCard | None = None
        while not self._stop.is_set():
            if card is not None:
                if not card.present():
                    card.close()
                    card = None
                    self._emit(CardRemoved())
                    self._set_state(ReaderState.READY, self.detail)
                self._stop.wait(self.poll_s)
                continue
            try:
                name = self._choose()
                card = pcsc.PcscCard(name)
            except NoCard:
                self._set_state(ReaderState.READY, name)
            except ReaderUnavailable as exc:
                self._set_state(ReaderState.NO_READER, str(exc))
                self._stop.wait(1.0)
                continue
            else:
                try:
                    identity = identify(card)
                except (StatusError, CardDataError) as exc:
                    # Pulled out mid-read, or a card we cannot read: say so, and wait for it to
                    # be taken out rather than reading it again and again.
                    self._set_state(ReaderState.ERROR, str(exc))
                else:
                    self._set_state(ReaderState.CARD, name)
                    self._emit(CardInserted(identity))
            self._stop.wait(self.poll_s)
        if card is not None:
            card.close()
