"""The booth's screen (`lingong kiosk --booth`): a card checks the worker in, the browser opens the
interview room, and when the call ends or its time is up the booth clears itself for the next one."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import DictProperty, ObjectProperty, StringProperty

from cardreader.identity import Identity
from cardreader.reader import CardInserted, Reader, ReaderStatus

from . import theme as T
from .booth import Booth
from .i18n import catalogue, translate
from .theme import Sizes

log = logging.getLogger(__name__)
KV = Path(__file__).with_name("booth.kv")
SHOW_ANSWER_S = 15  # how long "no booking" and its free times stay up
ICON_OF_STATE = {
    "call": "interview",
    "none": "date",
    "offline": "offline",
    "unconfigured": "warning",
    "ended": "check",
    "checking": "time",
}


class BoothApp(App):
    s = DictProperty(catalogue("zh"))
    sz = ObjectProperty(Sizes(1.0))
    state = StringProperty("attract")  # attract, checking, call, none, offline, unconfigured, ended
    reader_state = StringProperty("starting")
    headline = StringProperty("")
    detail = StringProperty("")
    icon_name = StringProperty("card")

    def __init__(
        self,
        booth: Booth,
        *,
        reader: Reader | None = None,
        agent=None,
        tz: dt.tzinfo = dt.UTC,
        settings_source=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.booth = booth
        self.reader = reader
        self.agent = agent
        self.tz = tz
        self.settings_source = settings_source  # reads the device's configuration again after a sync
        self._events: list = []
        self._back = None

    def build(self):
        self.title = "零工驿站 · 远程面试"
        self.sz = Sizes.for_window(*Window.size)
        Window.clearcolor = T.rgba(T.PAPER)
        root = Builder.load_file(str(KV))
        self._events.append(Clock.schedule_interval(self._tick, 0.5))
        if self.reader is not None:
            self.reader.on_event = self._reader_event
            self.reader.start()
        if self.agent is not None:
            self.agent.on_change = lambda _changes: self._settings_changed()
            self.agent.start()
        self.reset()
        return root

    def on_stop(self):
        for event in [*self._events, *([self._back] if self._back else [])]:
            event.cancel()
        self.booth.finish()
        if self.reader is not None:
            self.reader.stop()
        if self.agent is not None:
            self.agent.stop()

    def on_state(self, _instance, state: str) -> None:
        self.icon_name = ICON_OF_STATE.get(state, "card")

    def tr(self, key: str, **params) -> str:
        return translate("zh", key, **params)

    @mainthread
    def _settings_changed(self) -> None:
        if self.settings_source is not None:
            self.booth.settings = self.settings_source()
            if self.state in ("attract", "unconfigured"):
                self.reset()

    # ---- cards ---------------------------------------------------------------------------------------
    @mainthread
    def _reader_event(self, event) -> None:
        if isinstance(event, ReaderStatus):
            self.reader_state = event.state.value
        elif isinstance(event, CardInserted):
            self.card(event.identity)

    def card(self, identity: Identity) -> None:
        if self.state in ("call", "checking", "unconfigured"):
            return  # one interview at a time; an unready booth says so already
        self.state, self.headline, self.detail = "checking", self.tr("booth.checking"), ""
        threading.Thread(
            target=lambda: self._checked(self.booth.check_in(identity)), daemon=True, name="booth-checkin"
        ).start()

    @mainthread
    def _checked(self, answer: dict) -> None:
        if answer.get("found"):
            interview = answer["interview"]
            try:
                self.booth.start(interview)
            except OSError as exc:  # the browser command cannot be run
                log.warning("booth: the browser did not start: %s", exc)
                self.state, self.headline = (
                    "unconfigured",
                    self.tr("booth.unconfigured", missing=self.tr("booth.missing.browser")),
                )
                return
            end = dt.datetime.fromtimestamp(interview.ends_at, self.tz)
            self.state = "call"
            self.headline = self.tr("booth.in_call", title=interview.title)
            self.detail = self.tr("booth.call_note", employer=interview.employer, end=f"{end:%H:%M}")
            return
        if answer.get("error"):
            self.state, self.headline, self.detail = "offline", self.tr("booth.offline"), ""
        else:
            free = answer.get("next_free") or []
            self.state, self.headline = "none", self.tr("booth.none")
            self.detail = (
                self.tr("booth.next_free")
                + "\n"
                + "\n".join(
                    f"{dt.datetime.fromtimestamp(f['start'], self.tz):%m月%d日 %H:%M}  {f['posting_title']}"
                    for f in free
                )
                if free
                else self.tr("booth.no_free")
            )
        self._back_later(SHOW_ANSWER_S)

    # ---- the call --------------------------------------------------------------------------------------
    def _tick(self, _dt) -> None:
        call = self.booth.call
        if call is not None and call.over():
            reason = self.booth.finish()
            log.info("booth: the call is over (%s)", reason)
            self.state, self.headline, self.detail = "ended", self.tr("booth.ended"), ""
            self._back_later(5)

    def _back_later(self, seconds: float) -> None:
        if self._back is not None:
            self._back.cancel()
        self._back = Clock.schedule_once(lambda _dt: self.reset(), seconds)  # one at a time: no list to grow

    def reset(self) -> None:
        """The attract screen, nothing of the last worker left (or what staff must still set)."""
        self.booth.finish()
        missing = self.booth.settings.missing()
        if missing:
            names = "、".join(self.tr(f"booth.missing.{m}") for m in missing)
            self.state, self.headline, self.detail = "unconfigured", self.tr("booth.unconfigured", missing=names), ""
        else:
            self.state, self.headline, self.detail = "attract", self.tr("booth.attract"), self.tr("booth.attract_note")
