"""The kiosk as a state machine in plain Python: a card, a lift, a tap or a tick goes in; the screen
to show comes out (and `views.build` says what it shows). The Kivy app only binds the two."""

from __future__ import annotations

import time
from collections.abc import Callable

from cardreader.identity import Identity
from floor.phone import is_mobile

from . import buses, present
from .charter import Charter
from .data import KioskData
from .hall import Hall
from .i18n import translate
from .interviews import Interviews
from .matching import found_first
from .offers import speech as offer_speech
from .registering import Registering
from .reporting import Reporting
from .shortage import rows as shortage_rows
from .shortage import speech as shortage_speech
from .speech import Speaker
from .steps import (  # noqa: F401 (the names the app, the views and the tests take from the flow)
    ACTIONS,
    APPLY,
    ATTRACT,
    BACK,
    BOOTH,
    BROWSE,
    BROWSED,
    BUS,
    BUSES,
    COUNTDOWN_S,
    COURSE,
    COURSES,
    DETAIL,
    FAIR,
    INFO,
    JOBS,
    MATCHES,
    OFFER_LISTS,
    PAGE,
    RECEIPT,
    REGISTER,
    REGISTER_PAY,
    REGISTER_PHONE,
    REGISTER_STEPS,
    REGISTER_WHEN,
    REPORT,
    REPORT_REASONS,
    SCREENS,
    SHORTAGE,
    SLOTS,
    TAKE_CARD_S,
)
from .training import Training
from .visit import Visit
from .visits import VisitLog


class Flow(Registering, Interviews, Reporting, Training, Charter, Hall):
    """Which screen is up and whose visit it is. Station-wide facts (online, the reader, the idle
    clock) live here; everything about a worker lives on `visit`, replaced whole at each visit."""

    def __init__(
        self,
        data: KioskData,
        *,
        public_url: str = "",
        speaker: Speaker | None = None,
        linked: bool = False,
        idle_timeout_s: float = 60.0,
        countdown_s: float = COUNTDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.data = data
        self.public_url = public_url.rstrip("/")
        self.speaker = speaker
        self.linked = linked  # a sync agent runs: "offline" is news worth telling a worker
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self.clock = clock
        self.screen = ATTRACT
        self.visit: Visit | None = None
        self.online = False
        self.reader_state = "starting"
        self.last_touch = clock()
        self.countdown = 0
        self.card_left_at: float | None = None  # a visit ended with the card still on the reader
        self.visits = VisitLog(data)  # card visits per day, for the outcome figures (no person)

    @property
    def lang(self) -> str:
        return self.visit.lang if self.visit is not None else "zh"

    def tr(self, key: str, **params) -> str:
        return translate(self.lang, key, **params)

    def page_url(self, path: str) -> str:
        """A hub phone page for a receipt's QR, headed by this station (its phone, its hotline)."""
        return f"{self.public_url}{path}?s={self.data.enrollment.station_id}"

    def stale_note(self, short: bool = False) -> str:
        """Out of touch with the hub for long (offline for days, say): the list may be out of date,
        said on the first screen and, `short`, over the list. What expired meanwhile is already gone
        from it (by this kiosk's clock); what was filled or closed at the hub may still show."""
        since = self.data.out_of_step() if self.linked else None
        if since is None:
            return ""
        return self.tr("stale.short" if short else "stale", when=self.data.when(since) if since else "—")

    # ---- visits begin and end ------------------------------------------------------------------
    def card(self, identity: Identity) -> Visit:
        """A card on the reader: a new visit, their matches at once (what the hub knows of them
        comes later, through `looked_up`)."""
        # A card laid on a course or bus being looked at without one: its 报名 goes on with the card.
        course = self.visit.course if self.visit is not None and self.screen == COURSE else None
        bus = self.visit.bus if self.visit is not None and self.screen == BUS else None
        booth = self.visit.booth if self.visit is not None and self.screen == BOOTH else None
        visit = self._begin(Visit(identity=identity))
        self.visits.count()
        if identity.expired(self.data.today()):
            visit.banner = self.tr("expired")
        elif self.linked and not self.online and not self.stale_note():  # (the stale line says more)
            visit.banner = self.tr("jobs.offline_note")
        news = [
            self._booking_news(identity),
            self._signup_news(identity),
            *(self.tr("applied.ended", title=t) for t in self.data.ended_applications(identity)),
        ]
        visit.banner = "\n".join(line for line in news if line) or visit.banner
        self._show_matches()
        self.screen = JOBS
        if course is not None and self.data.course(course) is not None:
            visit.course, self.screen = course, COURSE
        if bus is not None and self.data.bus(bus) is not None:
            visit.bus, self.screen = bus, BUS
        if booth is not None and self.data.booth(booth) is not None:
            visit.booth, self.screen = booth, BOOTH
        offering = {COURSE: self.course_view, BUS: self.bus_view, BOOTH: self.booth_view}.get(self.screen)
        if offering is not None and offering().can_sign_up:  # the card was what 刷身份证报名 asked for
            visit.message = self.tr("offer.card_ready")  # (else the screen says why they cannot)
        return visit

    def lift(self) -> None:
        """The card left the reader: a card visit ends (a browsing one does not)."""
        if self.visit is not None and self.visit.identity is not None:
            self.end(lifted=True)
        self.card_left_at = None

    def browse(self) -> None:
        """Looking without a card: by category, the same detail screen; applying asks for the card."""
        self._begin(Visit(browsing=True))
        self.screen = BROWSE

    def info(self) -> None:
        self.screen = INFO

    def shortage(self) -> None:
        """这些活最缺人: the hub's shortage list (none fresh: the tile is not shown, and nothing moves).
        From the first screen it is looked at without a card, like 先看看岗位."""
        if not self.data.shortage():
            return
        if self.visit is None:
            self._begin(Visit(browsing=True))
        self._go(SHORTAGE)

    def end(self, *, lifted: bool = False) -> None:
        """Nothing of the worker stays: not on screen, not in memory, not in the speaker. A card
        visit ended by 退出 or by the idle clock leaves the card on the reader: say to take it."""
        card_left = not lifted and self.visit is not None and self.visit.identity is not None
        if self.speaker is not None:
            self.speaker.stop()
            if card_left:
                self.speaker.say(self.tr("attract.take_card"), self.lang)
        self.card_left_at = self.clock() if card_left else None
        self.visit = None
        self.countdown = 0
        self.screen = ATTRACT

    def back(self) -> None:
        if self.screen == SHORTAGE and not self.visit.browsing:
            self.more_jobs()
        elif self.screen == JOBS and self.visit.browse_trade is not None:
            self._go(SHORTAGE)  # the list of a shortage trade: back to the trades
        elif self.screen == INFO:
            self.screen = JOBS if self.visit is not None else ATTRACT
        elif self.screen in OFFER_LISTS and self.visit.browsing:
            self.end()
        elif self.screen in OFFER_LISTS:
            self.more_jobs()
        elif self.screen in (BROWSE, SHORTAGE) or (self.screen == JOBS and not self.visit.browsing):
            self.end()
        elif self.screen == JOBS:
            self.browse()
        elif self.screen in BACK:
            self._go(BACK[self.screen])

    def _begin(self, visit: Visit) -> Visit:
        self.end(lifted=True)  # a new card (or browsing): whatever lay on the reader is this visit's
        self.visit = visit
        self.last_touch = self.clock()
        return visit

    def _go(self, screen: str) -> None:
        self.visit.message = ""  # an answer belongs to the screen it was given on
        self.screen = screen

    # ---- jobs -----------------------------------------------------------------------------------
    def _show_matches(self, category: int | None = None, trade: int | None = None) -> None:
        visit, ref = self.visit, self.data.reference
        worker = visit.worker(self.data.today(), ref.category_of)
        narrowed = category is not None or trade is not None
        matches, visit.found = self.data.ranked(
            worker, limit=BROWSED if narrowed else MATCHES, category=category, trade=trade
        )
        if not narrowed and visit.hub_found:  # 岗位找人: what found them since their last card leads, 新
            matches = found_first(matches, visit.hub_found, self.data.matches(worker, limit=500))
        visit.jobs = [present.job_card(m, self.lang, ref.employers, ref.trades) for m in matches]
        visit.browse_category, visit.browse_trade = category, trade
        visit.page = 0

    @property
    def list_items(self) -> list[dict]:
        """The list's cards: the jobs, then (a card visit's own list, not a category or trade browsed)
        a card to the courses and one to the buses here, as many as the last page has room for —
        they never add a page, nor a pager to a short list."""
        visit = self.visit
        jobs = visit.jobs
        room = -len(jobs) % PAGE if jobs else PAGE
        own = not (visit.browsing or visit.browse_category is not None or visit.browse_trade is not None)
        if not room or not own:
            return jobs
        cards = [c for c in (self.courses_card(), self.buses_card()) if c is not None]
        if room < len(cards) and not self.course_rows()[0]["yours"] and self._a_bus_takes_them():
            cards.reverse()  # one slot, no course in their trades, a bus they may board: the bus
        return [*jobs, *cards[:room]]

    def _a_bus_takes_them(self) -> bool:
        return any(not buses.refusal(d, self._age_on_bus(d), self.lang) for d in self.data.buses())

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one, even when empty)."""
        return max(1, -(-len(self.list_items) // PAGE))

    def next_page(self) -> None:
        if self.screen in OFFER_LISTS:  # (its button is there only while a page follows)
            self.visit.offers_page += 1
        else:
            self.visit.page = min(self.visit.page + 1, self.pages - 1)

    def previous_page(self) -> None:
        if self.screen in OFFER_LISTS:
            self.visit.offers_page = max(self.visit.offers_page - 1, 0)
        else:
            self.visit.page = max(self.visit.page - 1, 0)

    def choose_category(self, category_id: int) -> None:
        """A trade category tapped on the list: the list re-ranks at once."""
        chosen = self.visit.categories
        chosen.symmetric_difference_update({category_id})
        self.visit.trades = {t["id"] for c in chosen for t in self.data.reference.trades_in(c)}
        self._show_matches()

    def browse_category(self, category_id: int) -> None:
        self._show_matches(category=category_id)
        self._go(JOBS)

    def browse_trade(self, trade_id: int) -> None:
        """A row of 这些活最缺人 tapped: that trade's jobs at this kiosk, on the usual list (a card
        visit applies as usual; without a card, as browsing). A trade with none here says so."""
        if self.data.open_in_trade(trade_id) == 0:
            name = self.data.reference.trades.get(trade_id, {}).get("name", "")
            self.visit.message = self.tr("shortage.none_message", trade=name)
            return
        self._show_matches(trade=trade_id)
        self._go(JOBS)

    def open_job(self, posting_id: int) -> None:
        visit, doc = self.visit, self.data.posting(posting_id)
        if doc is None:  # filled or closed since the list was drawn: it leaves the list
            visit.jobs = [j for j in visit.jobs if j["pid"] != posting_id]
            visit.page = min(visit.page, self.pages - 1)
            return
        ref = self.data.reference
        visit.job = present.detail(
            doc,
            self.lang,
            self.data.today(),
            distance_km=self.data.distance_km(posting_id),
            employers=ref.employers,
            trades=ref.trades,
            qr_url=f"{self.public_url}/p/{posting_id}",
            guide=ref.rates.get((doc.get("trade"), doc.get("unit"))),
        ) | {"slots": len(self.data.slots(posting_id))}
        visit.job_gone = False
        self._go(DETAIL)

    def more_jobs(self) -> None:
        self._show_matches()
        self._go(JOBS)

    def speak(self) -> None:
        """朗读: the job on the detail screen, the receipt on the receipt screen."""
        visit = self.visit
        if self.speaker is None or visit is None:
            return
        if self.screen == DETAIL and visit.job:
            self.speaker.say(present.speech(visit.job, self.lang), self.lang)
        elif self.screen == RECEIPT and visit.receipt:
            self.speaker.say(present.receipt_speech(visit.receipt, self.lang), self.lang)
        elif self.screen == SHORTAGE:
            self.speaker.say(shortage_speech(shortage_rows(self.data, self.lang), self.lang), self.lang)
        elif self.screen == COURSE:
            self.speaker.say(offer_speech(self.course_view(), self.lang), self.lang)
        elif self.screen == BUS:
            self.speaker.say(offer_speech(self.bus_view(), self.lang), self.lang)
        elif self.screen == BOOTH:
            self.speaker.say(offer_speech(self.booth_view(), self.lang), self.lang)

    # ---- applying -------------------------------------------------------------------------------
    def start_apply(self) -> None:
        if not self.visit.with_card:
            self.visit.message = self.tr("apply.need_card")
            return
        self._go(APPLY)
        self.visit.consent, self.visit.digits = False, ""

    def press_key(self, key: str) -> None:
        """The phone keypad: digits only, at most eleven."""
        visit = self.visit
        if key == "del":
            visit.digits = visit.digits[:-1]
        elif key.isdigit() and len(key) == 1 and len(visit.digits) < 11:
            visit.digits += key

    def toggle_consent(self) -> None:
        if self.screen == REGISTER_PHONE:
            self.visit.reg_consent = not self.visit.reg_consent
        else:
            self.visit.consent = not self.visit.consent

    def confirm_apply(self) -> None:
        visit = self.visit
        phone = visit.digits or None
        if not visit.consent:
            visit.message = self.tr("apply.need_consent")
            return
        if not visit.phone_masked and not is_mobile(phone):
            visit.message = self.tr("apply.phone_bad")
            return
        pid = visit.job["pid"]
        doc = self.data.posting(pid)
        if doc is None:
            visit.job_gone = True
            visit.message = self.tr("detail.gone")
            return
        code = self.data.apply(visit.identity, pid, phone, consent=True)
        visit.applied.add(pid)
        employer = self.data.reference.employers.get(doc.get("employer"), {}).get("name", "")
        visit.receipt = present.receipt(code, doc, self.lang, self.data.today(), sent=self.online, employer=employer)
        visit.digits = ""
        self._go(RECEIPT)

    # ---- registering what they want -------------------------------------------------------------
    def tile(self, action: str, value) -> None:
        """A tile was tapped: a category to match on or browse, a registration choice, a slot."""
        visit = self.visit
        if action == "category":
            self.choose_category(value)
        elif action == "browse":
            self.browse_category(value)
        elif action == "trade":
            _toggle(visit.reg_trades, value)
        elif action == "trade_category":
            visit.reg_category = value
        elif action == "when":
            _toggle(visit.reg_when, value)
        elif action == "pay":
            visit.reg_pay = [] if list(value) == visit.reg_pay else list(value)
        elif action == "slot":
            self.book_slot(value)
        elif action == "report":
            self.send_report(value)

    # ---- news from outside ----------------------------------------------------------------------
    def looked_up(self, visit: Visit, answer: dict | None) -> None:
        """The hub's answer about the worker (None: it could not be asked)."""
        if visit is not self.visit:  # they left meanwhile
            return
        if answer is None:
            visit.banner = visit.banner or self.tr("jobs.offline_note")
            return
        visit.asked, visit.known = True, answer.get("known", False)
        visit.intention = answer.get("intention") or {}
        visit.phone_masked = answer.get("phone_masked", "")
        visit.hub_applied = set(answer.get("applied") or ())
        visit.certified = {t for t in answer.get("certified") or () if isinstance(t, int)}
        visit.hub_found = [p for p in answer.get("new") or () if isinstance(p, int)][:5]
        if self.screen == JOBS and not visit.trades:
            self._show_matches()

    def refreshed(self) -> None:
        """The store changed: filled or closed postings leave the screen at once, and the order of
        the list stays under the worker's finger."""
        visit = self.visit
        if visit is None:
            return
        if self.screen == JOBS:
            worker = visit.worker(self.data.today(), self.data.reference.category_of)
            live = {m.posting["id"] for m in self.data.matches(worker, limit=500)}
            visit.jobs = [j for j in visit.jobs if j["pid"] in live]
            visit.page = min(visit.page, self.pages - 1)  # the page under the finger, or the last
        elif self.screen == DETAIL and visit.job:
            visit.job_gone = self.data.posting(visit.job["pid"]) is None
            visit.job = visit.job | {"slots": len(self.data.slots(visit.job["pid"]))}
        elif self.screen == SLOTS:
            self._show_slots()  # a slot booked elsewhere leaves the choices at once
        # (the course screens are drawn from the store at each show: seats left move by themselves)

    # ---- the idle clock -------------------------------------------------------------------------
    def touched(self) -> None:
        # During the countdown a touch is the overlay's to answer; otherwise any touch is activity.
        if not self.countdown:
            self.last_touch = self.clock()

    def stay(self) -> None:
        self.last_touch = self.clock()
        self.countdown = 0

    def tick(self) -> None:
        """Once a second: after `idle_timeout_s` without a touch a countdown, then the visit ends."""
        if self.visits.due():  # every few minutes, the card visits counted go to the outbox
            self.visits.flush()
        self.seat_news()
        if self.screen == ATTRACT:
            # A reader that says the card still lies on it keeps the reminder up until it is lifted;
            # one that never reports removal (a keyboard wedge) lets it lapse after TAKE_CARD_S.
            lapsed = self.card_left_at is not None and self.clock() - self.card_left_at > TAKE_CARD_S
            if lapsed and self.reader_state != "card":
                self.card_left_at = None
            return
        idle = self.clock() - self.last_touch
        if idle >= self.idle_timeout_s + self.countdown_s:
            self.end()
        elif idle >= self.idle_timeout_s:
            self.countdown = int(self.idle_timeout_s + self.countdown_s - idle) or 1


def _toggle(items: list, value) -> None:
    items.remove(value) if value in items else items.append(value)
