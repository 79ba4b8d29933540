"""The one small interface over every driver: start, stop, events, and the reader's own state."""

from __future__ import annotations

import enum
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .identity import Identity

log = logging.getLogger(__name__)


class ReaderState(enum.StrEnum):
    STARTING = "starting"
    READY = "ready"  # a reader is there, no card on it
    CARD = "card"  # a card is on the reader and was read
    NO_READER = "no_reader"  # unplugged, pcscd not running, no such port
    ERROR = "error"  # the reader answers, but reading failed (the detail says why)


@dataclass(frozen=True)
class CardInserted:
    identity: Identity
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class CardRemoved:
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class ReaderStatus:
    state: ReaderState
    detail: str = ""
    at: float = field(default_factory=time.time)


Event = CardInserted | CardRemoved | ReaderStatus


class Reader:
    """Drivers run in a background thread of their own and report through `_emit`. Consumers
    either pass `on_event` (called on the driver's thread: hop to the UI thread yourself) or
    take events with `next_event(timeout)`."""

    name = "reader"

    def __init__(self, on_event: Callable[[Event], None] | None = None):
        self.on_event = on_event
        self.state = ReaderState.STARTING
        self.detail = ""
        self._events: queue.Queue[Event] = queue.Queue(maxsize=1000)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Reader:
        self._stop.clear()
        self._thread = threading.Thread(target=self._guarded_run, name=f"reader-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def next_event(self, timeout: float | None = None) -> Event | None:
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None

    def _guarded_run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run()
                return
            except Exception as exc:  # a driver bug must not take the kiosk's reader away for good
                log.exception("reader driver %s failed; restarting it", self.name)
                self._set_state(ReaderState.ERROR, type(exc).__name__)
                self._stop.wait(1.0)

    def run(self) -> None:  # pragma: no cover - every driver overrides it
        raise NotImplementedError

    def _set_state(self, state: ReaderState, detail: str = "") -> None:
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            self._emit(ReaderStatus(state, detail))

    def _emit(self, event: Event) -> None:
        if isinstance(event, CardInserted):
            log.info("card read: %s", event.identity)  # Identity shows masked forms only
        try:
            self._events.put_nowait(event)
        except queue.Full:  # nobody is taking events from the queue: keep the newest
            self._events.get_nowait()
            self._events.put_nowait(event)
        if self.on_event is not None:
            try:
                self.on_event(event)
            except Exception:
                log.exception("reader event listener failed")
