"""The kiosk app: binds the flow (kiosk.flow) and its views (kiosk.views) to the screens of kiosk/kv/,
and feeds the flow what happens outside it — cards, sync, the clock, touches."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, ObjectProperty, StringProperty

from cardreader.reader import CardInserted, CardRemoved, Reader, ReaderStatus

from . import screens, views, widgets  # noqa: F401 (the classes the kv files name)
from . import theme as T
from .data import KioskData
from .flow import ACTIONS, BOOTH, BUS, BUSES, COURSE, COURSES, FAIR, SCREENS, Flow
from .i18n import catalogue
from .speech import Speaker
from .steps import COUNTDOWN_S
from .theme import Sizes
from .visit import Visit

log = logging.getLogger(__name__)
KV = Path(__file__).with_name("kv")
# Screens of the same shape share one file: a list of offerings with seats, and one offering in full.
SHARED_KV = {COURSES: "offers", BUSES: "offers", FAIR: "offers", COURSE: "offer", BUS: "offer", BOOTH: "offer"}
# Rules first (the building blocks, then one file per screen), the root last: it names them all.
KV_FILES = tuple(dict.fromkeys(("basics", "choices", "rows", *(SHARED_KV.get(s, s) for s in SCREENS), "root")))


class KioskApp(App):
    lang = StringProperty("zh")
    s = DictProperty(catalogue("zh"))  # the fixed words of the worker's language, for kv
    sz = ObjectProperty(Sizes(1.0))
    landscape = BooleanProperty(False)
    can_speak = BooleanProperty(False)
    countdown = NumericProperty(0)
    countdown_text = StringProperty("")

    def __init__(
        self,
        data: KioskData,
        *,
        reader: Reader | None = None,
        agent=None,
        speaker: Speaker | None = None,
        public_url: str = "",
        idle_timeout_s: float = 60.0,
        countdown_s: float = COUNTDOWN_S,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data = data
        self.reader = reader
        self.agent = agent
        self.speaker = speaker or Speaker()
        self.flow = Flow(
            data,
            public_url=public_url,
            speaker=self.speaker,
            linked=agent is not None,
            idle_timeout_s=idle_timeout_s,
            countdown_s=countdown_s,
        )
        self._events: list = []  # scheduled Clock events, kept so they can be cancelled
        self._day = data.today()
        self._shown_visit = None  # the visit the screens were last filled for

    # ---- building ------------------------------------------------------------------------------------
    def build(self):
        self.title = "零工驿站"
        self.sz = Sizes.for_window(*Window.size)
        self.landscape = Window.width > Window.height
        Window.clearcolor = T.rgba(T.PAPER)  # the screens' background, at no cost per frame
        self.can_speak = self.speaker.available
        for name in KV_FILES[:-1]:
            Builder.load_file(str(KV / f"{name}.kv"))
        root = Builder.load_file(str(KV / "root.kv"))
        self.sm = root.ids.sm
        Window.bind(on_touch_down=self._touched, on_key_down=self._key)
        self._events.append(Clock.schedule_interval(self._tick, 1.0))
        if self.reader is not None:
            self.reader.on_event = self._reader_event
            self.reader.start()
        if self.agent is not None:
            self.agent.on_change = lambda _changes: self._refresh_in_background()
            self.agent.start()
        self.show()
        return root

    def on_stop(self):
        for event in self._events:
            event.cancel()
        if self.reader is not None:
            self.reader.stop()
        if self.agent is not None:
            self.agent.stop()
        self.speaker.stop()
        self.flow.visits.flush()  # the visits counted since the last flush

    # ---- the flow, bound ---------------------------------------------------------------------------
    def act(self, name: str, *args) -> None:
        """A tap on a screen: one of the flow's actions (kiosk.flow.ACTIONS), then the screen it leads to."""
        if name not in ACTIONS:
            raise ValueError(f"not a kiosk action: {name!r}")
        getattr(self.flow, name)(*args)
        self.show()

    def show(self) -> None:
        """The flow's screen, with a fresh view of it (an equal view changes nothing on screen)."""
        flow = self.flow
        if flow.lang != self.lang:
            self.lang, self.s = flow.lang, catalogue(flow.lang)
        if flow.visit is not self._shown_visit:  # a visit ended or began: no screen keeps the last one
            for screen in self.sm.screens:
                screen.view = screen.property("view").defaultvalue
            self._shown_visit = flow.visit
        self.sm.get_screen(flow.screen).view = views.build(flow)
        self.sm.current = flow.screen
        self.countdown = flow.countdown
        self.countdown_text = flow.tr("idle.still_here", n=flow.countdown) if flow.countdown else ""

    @property
    def view(self):
        """What the current screen shows (for tests and tools)."""
        return self.sm.current_screen.view

    # ---- what happens outside ---------------------------------------------------------------------
    @mainthread
    def _reader_event(self, event) -> None:
        if isinstance(event, ReaderStatus):
            self.flow.reader_state = event.state.value
        elif isinstance(event, CardInserted):
            self.card_inserted(event.identity)
            return
        elif isinstance(event, CardRemoved):
            self.flow.lift()
        self.show()

    def card_inserted(self, identity) -> None:
        """A card: greet, show matches at once, then ask the hub what it knows (in the background)."""
        visit = self.flow.card(identity)
        self.show()
        if self.agent is not None and visit.with_card:
            threading.Thread(target=self._lookup, args=(visit,), daemon=True, name="kiosk-lookup").start()

    def _lookup(self, visit: Visit) -> None:
        answer = self.data.lookup(self.agent.session, visit.identity)
        self._looked_up(visit, answer)

    @mainthread
    def _looked_up(self, visit: Visit, answer: dict | None) -> None:
        self.flow.looked_up(visit, answer)
        self.show()

    def _refresh_in_background(self) -> None:
        threading.Thread(target=self._refresh_then_show, daemon=True, name="kiosk-refresh").start()

    def _refresh_then_show(self) -> None:
        self.data.refresh()
        self._after_refresh()

    @mainthread
    def _after_refresh(self) -> None:
        self.flow.online = self._online()
        self.flow.refreshed()
        self.show()

    def _online(self) -> bool:
        return bool(self.agent is not None and self.agent.status.online)

    def _touched(self, *_args) -> None:
        self.flow.touched()

    def _key(self, _window, key, _scancode, codepoint, _modifiers) -> bool:
        """Keyboard-wedge readers type the card: their bursts go to the reader, not the screen."""
        from cardreader.drivers.wedge import WedgeReader

        if isinstance(self.reader, WedgeReader):
            char = "\n" if key == 13 else (codepoint or "")
            return self.reader.key(char)
        return False

    def _tick(self, _dt) -> None:
        if self.data.today() != self._day:  # a new day: "today", "tomorrow" and expiry move on
            self._day = self.data.today()
            self._refresh_in_background()
        self.flow.online = self._online()
        self.flow.tick()
        self.show()
