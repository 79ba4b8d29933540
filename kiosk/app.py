"""The kiosk app: owns the state (as Kivy properties), turns card and sync events into screens."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.utils import escape_markup

from cardreader.identity import Identity
from cardreader.reader import CardInserted, CardRemoved, Reader, ReaderStatus

from . import present, widgets  # noqa: F401 (widgets registers the classes screens.kv names)
from . import theme as T
from .booking_flow import InterviewBooking
from .data import KioskData
from .i18n import catalogue, translate
from .session import Visit
from .speech import Speaker
from .theme import Sizes

log = logging.getLogger(__name__)
KV = Path(__file__).with_name("screens.kv")  # not kiosk.kv: App would load that a second time
MOBILE = re.compile(r"^1[3-9]\d{9}$")
COUNTDOWN_S = 10
PAY_CHOICES = {"day": (20000, 25000, 30000, 40000), "hour": (2000, 2500, 3000), "month": (400000, 500000, 600000)}
AVAILABILITY = ("today", "week", "weekends", "long_term")


class KioskApp(InterviewBooking, App):
    # language and look
    lang = StringProperty("zh")
    s = DictProperty(catalogue("zh"))
    sz = ObjectProperty(Sizes(1.0))
    landscape = BooleanProperty(False)
    # the station and its devices
    station_name = StringProperty("")
    online = BooleanProperty(False)
    reader_state = StringProperty("starting")
    open_count = NumericProperty(0)
    placed_today = StringProperty("—")
    notice_titles = StringProperty("")  # markup: the attract screen's list
    notice_details = StringProperty("")  # markup: the information screen
    can_speak = BooleanProperty(False)
    # the visit
    visit_active = BooleanProperty(False)
    masked_name = StringProperty("")
    greeting = StringProperty("")
    banner = StringProperty("")
    browsing = BooleanProperty(False)
    jobs_title = StringProperty("")
    jobs = ListProperty([])
    categories = ListProperty([])  # tiles for choosing work: {"id", "text", "icon", "state"}
    job = DictProperty(present.EMPTY_DETAIL)
    job_gone = BooleanProperty(False)
    phone_masked = StringProperty("")
    phone_digits = StringProperty("")
    phone_shown = StringProperty("")  # the digits grouped 3-4-4 for reading back
    consent = BooleanProperty(False)
    message = StringProperty("")
    receipt = DictProperty(present.EMPTY_RECEIPT)
    slot_choices = ListProperty([])  # tiles: {"text", "value": slot id}
    countdown = NumericProperty(0)
    # registration
    trade_list = ListProperty([])
    pay_list = ListProperty([])
    reg_trades = ListProperty([])
    reg_pay = ListProperty([])
    reg_when = ListProperty([])
    reg_consent = BooleanProperty(False)

    def __init__(
        self,
        data: KioskData,
        *,
        reader: Reader | None = None,
        agent=None,
        speaker: Speaker | None = None,
        public_url: str = "",
        idle_timeout_s: float = 60.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data = data
        self.reader = reader
        self.agent = agent
        self.speaker = speaker or Speaker()
        self.public_url = public_url.rstrip("/")
        self.idle_timeout_s = idle_timeout_s
        self.visit: Visit | None = None
        self.last_touch = time.monotonic()
        self._events: list = []  # scheduled Clock events, kept so they can be cancelled
        self._day = data.today()

    # ---- building ------------------------------------------------------------------------------------
    def build(self):
        self.title = "零工驿站"
        self.sz = Sizes.for_window(*Window.size)
        self.landscape = Window.width > Window.height
        Window.clearcolor = T.rgba(T.PAPER)  # the screens' background, at no cost per frame
        self.can_speak = self.speaker.available
        root = Builder.load_file(str(KV))
        self.sm = root.ids.sm
        Window.bind(on_touch_down=self._touched, on_key_down=self._key)
        self._events.append(Clock.schedule_interval(self._tick, 1.0))
        self.refresh_station()
        if self.reader is not None:
            self.reader.on_event = self._reader_event
            self.reader.start()
        if self.agent is not None:
            self.agent.on_change = lambda _changes: self._refresh_in_background()
            self.agent.start()
        return root

    def on_stop(self):
        for event in self._events:
            event.cancel()
        if self.reader is not None:
            self.reader.stop()
        if self.agent is not None:
            self.agent.stop()
        self.speaker.stop()

    def tr(self, key: str, **params) -> str:
        return translate(self.lang, key, **params)

    def set_lang(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self.s = catalogue(lang)

    # ---- the station ---------------------------------------------------------------------------------
    def refresh_station(self) -> None:
        ref = self.data.reference
        self.station_name = ref.station.get("name", "")
        self.open_count = self.data.open_count()
        placed = self.data.placed_today()
        self.placed_today = str(placed) if placed is not None else "—"
        notices = self.data.notices()
        accent = T.ACCENT.lstrip("#")
        tag = lambda n: f"[color={accent}][b]{escape_markup(self.tr('notice.' + n['kind']))}[/b][/color]"
        self.notice_titles = "\n".join(f"{tag(n)}  {escape_markup(n['title'])}" for n in notices[:5])
        self.notice_details = "\n\n".join(
            f"{tag(n)}  [b]{escape_markup(n['title'])}[/b]" + (f"\n{escape_markup(n['body'])}" if n.get("body") else "")
            for n in notices
        )
        self.categories = [
            {"id": c["id"], "text": c["name"], "icon": f"cat-{c['slug']}", "state": "normal"}
            for c in sorted(ref.categories.values(), key=lambda c: c["sort"])
        ]
        order = {c["id"]: c["sort"] for c in ref.categories.values()}
        self.trade_list = sorted(ref.trades.values(), key=lambda t: (order.get(t["category"], 99), t["sort"]))
        self.pay_list = self.pay_choices()

    def _refresh_in_background(self) -> None:
        threading.Thread(target=self._refresh_then_show, daemon=True, name="kiosk-refresh").start()

    def _refresh_then_show(self) -> None:
        self.data.refresh()
        self._after_refresh()

    @mainthread
    def _after_refresh(self) -> None:
        self.online = bool(self.agent is not None and self.agent.status.online)
        if self.visit is None:
            self.refresh_station()
        elif self.sm.current == "jobs":
            # Filled or closed postings leave the list at once; the order stays under the worker's finger.
            live = {m.posting["id"] for m in self.data.matches(self._worker(), limit=500)}
            self.jobs = [j for j in self.jobs if j["pid"] in live]
        elif self.sm.current == "detail" and self.job["pid"]:
            self.job_gone = self.data.posting(self.job["pid"]) is None
            self.job["slots"] = len(self.data.slots(self.job["pid"]))
        elif self.sm.current == "slots":
            self.show_slots()  # a slot booked elsewhere leaves the choices at once

    # ---- cards ---------------------------------------------------------------------------------------
    @mainthread
    def _reader_event(self, event) -> None:
        if isinstance(event, ReaderStatus):
            self.reader_state = event.state.value
        elif isinstance(event, CardInserted):
            self.card_inserted(event.identity)
        elif isinstance(event, CardRemoved) and self.visit is not None and self.visit.identity is not None:
            self.logout()

    def card_inserted(self, identity: Identity) -> None:
        """A card: greet, show matches at once, then ask the hub what it knows (in the background)."""
        self.wipe()
        self.visit = Visit(identity=identity)
        self.visit_active = True
        self.set_lang(self.visit.lang)
        self.masked_name = identity.masked_name or identity.masked_number
        self.greeting = self.tr("jobs.hello", name=self.masked_name)
        self.banner = (
            self.tr("expired")
            if identity.expired(self.data.today())
            else ("" if self.online or self.agent is None else self.tr("jobs.offline_note"))
        )
        self.browsing = False
        self.banner = self.booking_news(identity) or self.banner
        self.show_matches()
        self.sm.current = "jobs"
        if self.agent is not None and self.visit.with_card:
            visit = self.visit
            threading.Thread(target=self._lookup, args=(visit,), daemon=True, name="kiosk-lookup").start()

    def _lookup(self, visit: Visit) -> None:
        answer = self.data.lookup(self.agent.session, visit.identity)
        self._looked_up(visit, answer)

    @mainthread
    def _looked_up(self, visit: Visit, answer: dict | None) -> None:
        if visit is not self.visit:  # they left meanwhile
            return
        if answer is None:
            self.banner = self.banner or self.tr("jobs.offline_note")
            return
        visit.known = answer.get("known", False)
        visit.intention = answer.get("intention") or {}
        visit.phone_masked = answer.get("phone_masked", "")
        visit.hub_applied = set(answer.get("applied") or ())
        self.phone_masked = visit.phone_masked
        if self.sm.current == "jobs" and not visit.trades:
            self.show_matches()

    # ---- jobs ----------------------------------------------------------------------------------------
    def _worker(self):
        visit = self.visit or Visit()
        return visit.worker(self.data.today(), self.data.reference.category_of)

    def show_matches(self, category: int | None = None) -> None:
        ref = self.data.reference
        matches = self.data.matches(self._worker(), limit=20 if category is None else 60, category=category)
        self.jobs = [present.job_card(m, self.lang, ref.employers, ref.trades) for m in matches]
        if category is not None:
            self.jobs_title = self.tr("jobs.browse_title", category=ref.categories[category]["name"])
        elif self.visit is not None and self.visit.identity is not None:
            self.jobs_title = self.tr("jobs.found", n=len(self.jobs)) if self.jobs else self.tr("jobs.none")
        else:
            self.jobs_title = self.tr("jobs.all")
        if self.visit is not None:
            chosen = self.visit.categories
            self.categories = [{**c, "state": "down" if c["id"] in chosen else "normal"} for c in self.categories]

    def choose_category(self, category_id: int) -> None:
        """The trade choice re-ranks at once."""
        if self.visit is None:
            self.visit = Visit()
            self.visit_active = True
        chosen = self.visit.categories
        chosen.symmetric_difference_update({category_id})
        self.visit.trades = {t["id"] for c in chosen for t in self.data.reference.trades_in(c)}
        self.show_matches()

    def browse(self) -> None:
        """Looking without a card: by category, the same detail screen; applying asks for the card."""
        self.wipe()
        self.visit = Visit()
        self.visit_active = True
        self.browsing = True
        self.sm.current = "browse"

    def browse_category(self, category_id: int) -> None:
        self.show_matches(category=category_id)
        self.sm.current = "jobs"

    def open_job(self, posting_id: int) -> None:
        doc = self.data.posting(posting_id)
        self.job_gone = doc is None
        if doc is None:
            self.jobs = [j for j in self.jobs if j["pid"] != posting_id]
            return
        ref = self.data.reference
        detail = present.detail(
            doc,
            self.lang,
            self.data.today(),
            distance_km=self.data.distance_km(posting_id),
            employers=ref.employers,
            trades=ref.trades,
            qr_url=f"{self.public_url}/p/{posting_id}",
        )
        self.job = {**detail, "slots": len(self.data.slots(posting_id))}
        self.sm.current = "detail"

    def speak_job(self) -> None:
        if self.job["pid"]:
            self.speaker.say(present.speech(self.job, self.lang), self.lang)

    # ---- applying --------------------------------------------------------------------------------------
    def start_apply(self) -> None:
        if self.visit is None or not self.visit.with_card:
            self.message = self.tr("apply.need_card")
            return
        self.message = ""
        self.consent = False
        self.phone_digits = ""
        self.phone_masked = self.visit.phone_masked
        self.sm.current = "apply"

    def confirm_apply(self) -> None:
        if not self.consent:
            self.message = self.tr("apply.need_consent")
            return
        phone = self.phone_digits or None
        if not self.phone_masked and not (phone and MOBILE.match(phone)):
            self.message = self.tr("apply.phone_bad")
            return
        visit, pid = self.visit, self.job["pid"]
        doc = self.data.posting(pid)
        if doc is None:
            self.job_gone = True
            self.message = self.tr("detail.gone")
            return
        code = self.data.apply(visit.identity, pid, phone, consent=True)
        visit.applied.add(pid)
        sent = bool(self.agent is not None and self.agent.status.online)
        employer = self.data.reference.employers.get(doc.get("employer"), {}).get("name", "")
        self.receipt = present.receipt(code, doc, self.lang, self.data.today(), sent=sent, employer=employer)
        self.phone_digits = ""
        self.sm.current = "receipt"

    def speak_receipt(self) -> None:
        if self.receipt["code"]:
            self.speaker.say(present.receipt_speech(self.receipt, self.lang), self.lang)

    def more_jobs(self) -> None:
        self.show_matches()
        self.sm.current = "jobs"

    # ---- registering -----------------------------------------------------------------------------------
    def open_register(self) -> None:
        if self.visit is None or not self.visit.with_card:
            self.message = self.tr("apply.need_card")
            return
        intention = self.visit.intention
        self.reg_trades = sorted(set(intention.get("trades") or ()) | self.visit.trades)
        self.reg_pay = [intention["pay_unit"], intention["pay_min_fen"]] if intention.get("pay_unit") else []
        self.reg_when = list(intention.get("availability") or ())
        self.reg_consent = bool(self.visit.phone_masked)
        self.phone_digits = ""
        self.message = ""
        self.sm.current = "register"

    def press_key(self, key: str) -> None:
        """The phone keypad: digits only, at most eleven."""
        if key == "del":
            self.phone_digits = self.phone_digits[:-1]
        elif key.isdigit() and len(self.phone_digits) < 11:
            self.phone_digits += key

    def on_phone_digits(self, _instance, digits: str) -> None:
        self.phone_shown = " ".join(p for p in (digits[:3], digits[3:7], digits[7:]) if p)

    def tile(self, action: str, value) -> None:
        """A tile was tapped: a category to match on or browse, or a registration choice."""
        if action == "category":
            self.choose_category(value)
        elif action == "browse":
            self.browse_category(value)
        elif action == "trade":
            self.toggle("reg_trades", value)
        elif action == "when":
            self.toggle("reg_when", value)
        elif action == "pay":
            self.reg_pay = [] if list(value) == list(self.reg_pay) else list(value)
        elif action == "slot":
            self.book_slot(value)

    def toggle(self, field: str, value) -> None:
        items = list(getattr(self, field))
        items.remove(value) if value in items else items.append(value)
        setattr(self, field, items)

    def pay_choices(self) -> list[dict]:
        return [
            {
                "value": [unit, fen],
                "text": self.tr("register.pay_at_least", amount=present.yuan(fen), unit=self.tr(f"unit.{unit}")),
            }
            for unit, amounts in PAY_CHOICES.items()
            for fen in amounts
        ]

    def save_register(self) -> None:
        phone = self.phone_digits or None
        if phone and not MOBILE.match(phone):
            self.message = self.tr("apply.phone_bad")
            return
        intention = {"trades": list(self.reg_trades), "availability": list(self.reg_when)}
        if self.reg_pay:
            intention.update(pay_unit=self.reg_pay[0], pay_min_fen=self.reg_pay[1])
        self.data.register(self.visit.identity, intention, phone, consent=self.reg_consent)
        self.visit.intention, self.visit.known = intention, True
        self.visit.trades = set(self.reg_trades)
        self.message = self.tr("register.saved")
        self.phone_digits = ""
        self.show_matches()
        self.sm.current = "jobs"

    # ---- leaving -----------------------------------------------------------------------------------------
    def logout(self) -> None:
        self.wipe()
        self.sm.current = "attract"

    def wipe(self) -> None:
        """Nothing of a worker stays: not on screen, not in memory, not in the speaker."""
        self.visit = None
        self.visit_active = False
        self.masked_name = ""
        self.speaker.stop()
        self.set_lang("zh")
        self.greeting = self.banner = self.message = self.jobs_title = ""
        self.jobs, self.job, self.receipt = [], dict(present.EMPTY_DETAIL), dict(present.EMPTY_RECEIPT)
        self.slot_choices = []
        self.phone_digits = self.phone_masked = ""
        self.consent = self.reg_consent = self.browsing = self.job_gone = False
        self.reg_trades, self.reg_pay, self.reg_when = [], [], []
        self.countdown = 0
        self.refresh_station()

    def stay(self) -> None:
        self.last_touch = time.monotonic()
        self.countdown = 0

    def _touched(self, *_args) -> None:
        # During the countdown a touch is the overlay's to answer (it must not also press
        # whatever lies beneath); otherwise any touch is activity.
        if not self.countdown:
            self.last_touch = time.monotonic()

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
        self.online = bool(self.agent is not None and self.agent.status.online)
        if self.root is None or self.sm.current == "attract":
            self.open_count = self.data.open_count()
            return
        idle = time.monotonic() - self.last_touch
        if idle >= self.idle_timeout_s + COUNTDOWN_S:
            self.logout()
        elif idle >= self.idle_timeout_s:
            self.countdown = int(self.idle_timeout_s + COUNTDOWN_S - idle) or 1
