"""The wall app: owns what is on screen (as Kivy properties) and turns the clock and the store into pages."""

from __future__ import annotations

import base64
import logging
import threading
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, ListProperty, NumericProperty, StringProperty

from device.data import STALE_AFTER_S

from . import fair as fairs
from . import fast as fast_hiring
from . import layout as layouts
from . import teams as wall_teams
from . import theme, widgets  # noqa: F401 (widgets registers the classes wall.kv names)
from .columns import FIELDS, table_columns
from .content import WallData, short_employer
from .fair_screen import EMPTY as FAIR_EMPTY
from .fair_screen import FairScreen
from .market import market_view
from .offers import bus_lines, course_lines
from .power import Power
from .proof import PlayLog
from .rotation import Pager
from .selfcheck import CHECK_WORDS, OK, SelfCheck, capture_png
from .sleeping import Keeper
from .strings import tr
from .widgets import fit_cover, fit_lines, fitted_height

log = logging.getLogger(__name__)
KV = Path(__file__).with_name("kv")  # one file per layout, and what they share (root.kv)
KV_FILES = ("root", "table", "cards", "ticker", "market", "fair")
TICK_S = 0.25
SELF_CHECK_S = 60.0
READ_CPS = 5.0  # characters a second the notices band moves by (older readers)
ROOTS = {
    "table": "TableWall",
    "cards": "CardsWall",
    "ticker": "TickerWall",
    "booth": "CardsWall",
    "market": "MarketWall",
    "fair": "FairWall",  # (not configured: taken while a fair is on at the wall's station, display.fair)
}
NO_POSTINGS = ("market", "fair")  # layouts that show no postings: nothing booked as shown (proof of play)


class WallApp(App):
    layout = StringProperty("table")
    c = DictProperty(theme.kivy_palette("table"))  # colours
    small = NumericProperty(16)
    body = NumericProperty(18)
    title_px = NumericProperty(24)
    hero = NumericProperty(34)
    rows = NumericProperty(1)
    cols = NumericProperty(1)
    line = NumericProperty(26)
    pad = NumericProperty(6)
    band = NumericProperty(26)
    heading = StringProperty("")
    page = ListProperty([])  # the items on screen (see content.item)
    page_text = StringProperty("")
    updated_text = StringProperty("")
    stale_text = StringProperty("")
    notice_text = StringProperty("")  # the announcements' moving line
    notice_x = NumericProperty(0)
    section_text = StringProperty("")  # the page's trade category and where it stands (建筑装修 2/9)
    cells = DictProperty({})  # table and strip rows: field → (x, width, line), see columns.py
    lines = NumericProperty(1)  # lines per posting on a table or strip row
    market = DictProperty({"rates": [], "shortage": []})  # the market layout's rows (display.market)
    market_mode = StringProperty("side")  # side | stacked | alternate (layout.market_mode)
    market_panel = NumericProperty(0)  # in alternate mode, the panel on screen: 0 rates, 1 shortages
    emergency = DictProperty({"title": "", "body": "", "source": "", "until": "", "size": 18})
    fast = DictProperty({"pid": 0, "body": "", "size": 18})  # 即时快招's interrupting card (display.fast)
    fair = DictProperty(FAIR_EMPTY)  # the fair layout's table and board (display.fair_screen)
    fair_cells = DictProperty({})  # its booth rows: field → (x, width, line), as `cells`
    call = DictProperty({"key": "", "body": "", "size": 18})  # 招聘会叫号's cover: the calls just made
    show_phone = BooleanProperty(True)
    side_panel = BooleanProperty(False)  # the figures beside the cards (landscape lobby screens)
    figures = DictProperty({"open": "", "placed": "", "top": ""})
    asleep = BooleanProperty(False)  # the schedule's off hours: the screen blanked (and off by CEC)

    def __init__(self, data: WallData, *, agent=None, config: dict | None = None, power: Power | None = None, **kwargs):
        """`config` fixes the configuration (screenshots, benches); without it the device's own
        configuration applies and follows the hub's changes. Times come from `data.clock`."""
        super().__init__(**kwargs)
        self.data = data
        self.agent = agent
        self._own_config = config
        self.wall_config = config if config is not None else data.config
        self.plan = None
        self.pager: Pager | None = None
        self.plays = PlayLog(data.store)
        self.checker = SelfCheck()
        self.rebuilds = 0
        self.restarts: dict = {}  # how often this wall had to start again, for the heartbeat
        self.restart_reason: str | None = None  # set when rebuilding did not help: start afresh
        self.turns = 0
        self._turns_at_check = 0
        self._capture: str | None = None  # the last self-check's picture, until a heartbeat takes it
        self._events: list = []
        self._due = float("inf")  # when a fast-hiring mark starts, ends or lapses: read the store again
        self.keeper = Keeper(power or Power())  # the week's schedule: asleep or awake, which daypart
        self.fairs = FairScreen()
        self.own_layout = "table"  # the layout the configuration and the screen choose (a fair aside)

    # ---- building --------------------------------------------------------------------------------
    def build(self):
        self.title = "零工驿站 · 招聘信息"
        for name in KV_FILES:
            Builder.load_file(str(KV / f"{name}.kv"))
        self._apply_config(self.wall_config)
        root = Factory.WallRoot()
        self._fill(root)
        self.absorb(self.data.snapshot)
        self._events += [
            Clock.schedule_interval(self._tick, TICK_S),
            Clock.schedule_interval(self._self_check, SELF_CHECK_S),
            Clock.schedule_interval(self._scroll, 0),
        ]
        if self.agent is not None:
            self.agent.on_change = lambda _changes: self.refresh_in_background()
            self.agent.state = self.heartbeat_state
            self.agent.start()
        return root

    def _apply_config(self, cfg: dict, now: float | None = None) -> None:
        """Layout, sizes and paging from the device's configuration, the window's pixels and the
        fair on now, if any."""
        self.wall_config = cfg
        width, height = Window.size
        filters = cfg.get("filters") or {}
        self.own_layout = layouts.choose_layout(width, height, cfg.get("layout", "auto"), filters.get("employer"))
        now = self.data.clock() if now is None else now
        name = self._layout_for(fairs.on_now(self.data.snapshot.fairs, now))
        self.plan = layouts.large_plan(
            width,
            height,
            layout=name,
            scale=float(cfg.get("text_scale", 1.0)),
            distance_m=cfg.get("viewing_distance_m"),
            pitch_mm=cfg.get("pixel_pitch_mm"),
        )
        p = self.plan
        self.layout, self.c = name, theme.kivy_palette(name)
        self.small, self.body, self.title_px, self.hero = p.small, p.body, p.title, p.hero
        self.rows, self.cols, self.line, self.pad, self.band = p.rows, p.cols, p.line, p.pad, p.band
        self.lines = p.lines
        self.market_mode = layouts.market_mode(width, height, p.body)
        self.show_phone = cfg.get("show_phone", "full") != "hidden"
        self.side_panel = name == "cards" and width > height
        self.qr_wall = (self.data.enrollment.device_id, name)  # its codes say which wall and page (device.qr)
        Window.clearcolor = self.c["bg"]
        dwell = float(cfg.get("dwell_s", 12.0))
        self.pager = Pager(dwell, wall_teams.posting_slots(p.per_page, name, self.data.snapshot.teams))
        self.page = []  # (the new layout's own comes with the next showing: a team's card is no table row)

    def _layout_for(self, fair: dict | None) -> str:
        """The layout while `fair` is on (None: no fair). A configuration fixed for this run (`lingong
        display --layout`, a bench, a screenshot of one layout) keeps the layout it names."""
        return self.own_layout if self._own_config is not None else fairs.wall_layout(self.own_layout, fair)

    def _fair_turn(self, fair: dict | None, now: float) -> bool:
        """A fair starting or ending by the wall's clock changes the layout: True when it did."""
        if self._layout_for(fair) == self.layout:
            return False
        log.info("fair %s: the layout is now %s", (fair or {}).get("id", "over"), self._layout_for(fair))
        self._apply_config(self.wall_config, now)
        if self.root is not None:
            self._fill(self.root)
        self.pager.offer(self.data.snapshot.version, self.data.snapshot.sections)
        self.pager.tick(now)
        self.show_page(force=True, now=now)
        return True

    def _fill(self, root) -> None:
        root.ids.stage.clear_widgets()
        root.ids.stage.add_widget(Factory.get(ROOTS[self.layout])())

    def rebuild(self) -> None:
        """A fresh widget tree for the stage (what a failed self-check calls for)."""
        self.rebuilds += 1
        log.warning("self-check failed (%s): rebuilding the screen", self.checker.last_result)
        self._fill(self.root)
        self.show_page(force=True)

    def on_stop(self):
        for event in self._events:
            event.cancel()
        if self.agent is not None:
            self.agent.stop()
        self.plays.flush()

    # ---- content ---------------------------------------------------------------------------------
    def refresh_in_background(self) -> None:
        threading.Thread(
            target=lambda: self._absorb_on_ui(self.data.refresh()), daemon=True, name="wall-refresh"
        ).start()

    @mainthread
    def _absorb_on_ui(self, snapshot) -> None:
        self.absorb(snapshot)

    def absorb(self, snapshot) -> None:
        """New content: queued for the next page turn; what closed leaves the screen now."""
        if snapshot.config and snapshot.config != self.wall_config and self._own_config is None:
            # Staff changed this wall's configuration (or it arrived with the first sync).
            self._apply_config(snapshot.config)
            if self.root is not None:
                self._fill(self.root)
        self.pager.per_page = wall_teams.posting_slots(self.plan.per_page, self.layout, snapshot.teams)
        self.pager.offer(snapshot.version, snapshot.sections)  # (teams coming or going change its version)
        self._due = snapshot.next_change
        station = snapshot.station.get("name", "")
        employer = (snapshot.config.get("filters") or {}).get("employer")
        if self.layout == "booth" and employer:
            name = short_employer(snapshot.employers.get(employer, {}).get("name", ""))
            self.heading = tr("booth.title", employer=name)
        else:
            self.heading = tr("title", station=station) if station else ""
        self.show_page(force=False)

    # ---- the clock -------------------------------------------------------------------------------
    def _tick(self, _dt) -> None:
        now = self.data.clock()
        if self._sleep_or_wake(now):
            return
        if now >= self._due:
            self._due = float("inf")  # (one reading; the new snapshot sets the next time)
            self.refresh_in_background()
        turned = self.pager.tick(now)
        self.turns += turned
        self.show_page(force=turned, now=now)
        self._freshness(now)

    def _sleep_or_wake(self, now: float) -> bool:
        """The schedule at this minute (and an emergency waking the wall); True while it sleeps."""
        emergency = self.data.announcements(now)[1] is not None
        changed = self.keeper.tick(self.data.raw_config, self.data.local(now), emergency)
        if changed is not None:
            self.asleep = changed.asleep
            if changed.part != self.data.part:
                self.data.part = changed.part  # (the daypart's layout and filters, from the next reading)
                self.refresh_in_background()
            if changed.asleep:
                self._show_emergency(None)  # (fitted afresh when one wakes it)
            else:
                self.show_page(force=True, now=now)
        return self.asleep

    def show_page(self, force: bool, now: float | None = None) -> None:
        now = self.data.clock() if now is None else now
        fair = fairs.on_now(self.data.snapshot.fairs, now)
        if self._fair_turn(fair, now):
            return
        live = self.data.live_ids(now)
        items = self.pager.current(now, live)
        teams = self.data.snapshot.teams  # (a 零工团队 card rides along on a lobby screen's page, not booked)
        cards = wall_teams.with_team(items, teams, self.layout, self.plan.per_page, now, self.pager.dwell_s)
        pages = len(self.pager.pages)
        if force and self.layout == "market":
            self.market = market_view(self.data.snapshot.market, self.data.snapshot.trades, now, self.rows)
            self.market_panel = self.pager.index(now) % 2 if self.market_mode == "alternate" else 0
        if force or [i["pid"] for i in cards] != [i["pid"] for i in self.page]:
            if self.layout in ("table", "ticker"):
                self.cells = self._columns(items)
            self.page = cards
            page = self.pager.page(now)
            self.section_text = tr("section", name=page.section, n=page.number, of=page.of) if page.section else ""
            # (one counter: the section's — 建筑装修 2/9 — where pages have sections)
            show_total = pages > 1 and not page.section
            self.page_text = tr("page", page=self.pager.index(now) + 1, pages=pages) if show_total else ""
            if force and not self.covered():
                self.plays.showing([] if self.layout in NO_POSTINGS else [i["pid"] for i in items])
        self._notices(now, len(live), fair)
        self._show_fast(now, live)
        self.fairs.show(self, fair, now)

    def covered(self) -> bool:
        """A cover over the page: the emergency notice, a call just made, a 即时快招 card."""
        return bool(self.emergency["title"] or self.call["key"] or self.fast["pid"])

    def _columns(self, items: list[dict]) -> dict:
        """Where each field sits on this page's rows: pay, count and phone as wide as their texts."""
        from kivy.core.text import Label as CoreLabel

        plain, bold = CoreLabel(font_size=self.body), CoreLabel(font_size=self.body, bold=True)
        ticker = self.layout == "ticker"
        headers = {} if ticker else {"title": tr("col.title"), "pay": tr("col.pay"), "places": tr("col.places")}
        # (a strip's rows sit beside its section cell, one spacing (pad) apart: ticker.kv)
        width = Window.width - (self.small * layouts.SECTION_EMS + self.pad if ticker else 0)
        columns = table_columns(
            items,
            width,
            pad=self.pad,
            em=self.body,
            measure=lambda text, b: (bold if b else plain).get_extents(text)[0],
            headers=headers,
            show_phone=self.show_phone,
            fields=("title", "pay", "employer", "phone") if ticker else FIELDS,
            two_lines=self.lines == 2,
            spare="employer" if ticker else "",
        )
        return {name: (cell.x, cell.width, cell.line) for name, cell in columns.cells.items()}

    def _notices(self, now: float, open_count: int, fair: dict | None) -> None:
        notices, emergency = self.data.announcements(now)
        lines = [f"【{n['title']}】{n.get('body', '')}" for n in notices[:3]]
        if fair is not None and self.layout != "fair" and fairs.calls(fair):  # (the fair layout has its board)
            lines.insert(0, fairs.call_text(fairs.calls(fair)[0]))
        snapshot = self.data.snapshot
        offers = course_lines(snapshot.courses, now) + bus_lines(snapshot.buses, now, self.data.tz)
        self.notice_text = "      ".join(lines + offers)
        self._show_emergency(emergency)
        placed = self.data.placed_today()
        top = self.data.snapshot.figures.get("top_week") or []
        self.figures = {
            "open": str(open_count),
            "placed": "—" if placed is None else str(placed),
            "top": "\n".join(f"{t['name']}  {tr('figures.count', n=t['count'])}" for t in top[:3]),
        }

    def _show_emergency(self, notice: dict | None) -> None:
        """The emergency notice over the whole screen: its instruction as large as the screen
        lets it be (read from across the hall), and until when it is in force."""
        if notice is None:
            if self.emergency["title"]:
                self.emergency = {"title": "", "body": "", "source": "", "until": "", "size": self.body}
            return
        until = tr("emergency.until", when=self.data.when(notice["to"])) if notice.get("to") else ""
        wanted = (notice["title"], notice.get("body", ""), until)
        if wanted == (self.emergency["title"], self.emergency.get("source"), self.emergency["until"]):
            return  # fitted already: fitting measures text and is done once per notice
        width, height = Window.size
        inner_w = width - self.pad * 6
        # badge, title and the time in force take their own lines; the instruction has the rest
        taken = (
            self.pad * 6
            + self.pad * 2 * 3
            + self.title_px * 1.6 * 2
            + fitted_height(notice["title"], inner_w, self.hero, bold=True)
        )
        size, body = fit_lines(wanted[1], inner_w, height - taken, low=self.title_px, high=self.hero * 2)
        self.emergency = {"title": wanted[0], "body": body, "source": wanted[1], "until": until, "size": size}

    def _show_fast(self, now: float, live: frozenset[int]) -> None:
        """A posting marked 即时快招 over the whole screen for its first minutes (several take turns,
        a page's dwell each); the emergency notice, when there is one, stays on top of it."""
        cards = [c for c in self.data.snapshot.fast_cards if c["card_to"] > now and c["pid"] in live]
        if not cards:
            if self.fast["pid"]:
                self.fast = {"pid": 0, "body": "", "size": self.body}
                self.show_page(force=True, now=now)  # (the page under the card is on screen again)
            return
        card = cards[int(now // self.pager.dwell_s) % len(cards)]
        if card["pid"] == self.fast["pid"]:
            return  # fitted already: fitting measures text and is done once per card
        badge = self.layout != "ticker"  # (a strip has no room for a badge line: the text says 快招)
        shapes = fast_hiring.arrangements(card, tr, prefix="" if badge else f"【{tr('tag.fast')}】")
        # (a strip cuts its one line: the card on two lines where they fit whole, else one)
        size, lines = fit_cover(shapes, badge=badge, strip=not badge)
        self.fast = {"pid": card["pid"], "body": "\n".join(lines), "size": size}
        if not self.call["key"]:  # (under the call cover nothing is seen; its end books the card)
            self.plays.showing([card["pid"]])

    def _freshness(self, now: float) -> None:
        last = self.data.last_sync()
        self.updated_text = tr("updated", hm=self.data.hm(last)) if last else tr("never")
        # Offline for days, the banner says since which day, not only the hour.
        since = self.data.out_of_step(float(self.wall_config.get("stale_after_s", STALE_AFTER_S)))
        self.stale_text = tr("stale", hm=self.data.when(since) if since else "—") if since is not None else ""

    def _scroll(self, _dt) -> None:
        """Moving text, placed by the wall clock (so it moves the same on every screen)."""
        now = time.time()
        if self.notice_text and self.root is not None:
            band = self.root.ids.notice
            width = band.texture_size[0] + Window.width
            self.notice_x = Window.width - (now * READ_CPS * self.small) % width

    # ---- watching itself -------------------------------------------------------------------------
    def _self_check(self, _dt=None) -> str:
        from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

        if self.asleep:
            return "asleep"  # (a black screen is what it should show now)
        width, height = Window.size
        Window.dispatch("on_draw")  # the buffer read back holds this frame
        pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
        # (the market layout's figures and the fair's booths stay put from one page turn to the next;
        # a cover stays put over the turning pages: an emergency for hours, a 即时快招 card for minutes)
        changed = self.turns != self._turns_at_check and self.layout not in NO_POSTINGS and not self.covered()
        self._turns_at_check = self.turns
        stage = self.root.ids.stage
        result = self.checker.check(
            pixels, width, height, expected_change=changed, region=(stage.x, stage.y, stage.width, stage.height)
        )
        self._capture = base64.b64encode(capture_png(pixels, width, height)).decode()
        if result != OK and self.checker.streak >= 2:
            # Rebuilt a minute ago and still wrong: the process itself is sick (a lost GL context,
            # a driver): end it, asking to be started again, and say why at the next start.
            self.restart_reason = f"屏幕自检：{CHECK_WORDS.get(result, result)}，重画后仍然不对"
            log.error("self-check failed again after a rebuild (%s): stopping to be started again", result)
            self.stop()
        elif result != OK:
            self.rebuild()
        return result

    def showing(self) -> str:
        """What is on screen, in a few words: layout, page and content version."""
        if self.asleep:
            return self.keeper.words()
        pages = len(self.pager.pages) if self.pager else 0
        index = self.pager.index(self.data.clock()) + 1 if self.pager else 0
        return f"{self.layout} {index}/{pages} v{self.pager.version if self.pager else ''}"

    def heartbeat_state(self) -> dict:
        """For the sync agent's heartbeat: the self-check, what is showing, and the newest picture
        of the screen once (the hub keeps the last one for the staff console)."""
        check = "asleep" if self.asleep else self.checker.last_result or "pending"
        state = {"self_check": check, "showing": self.showing(), **self.restarts}
        capture, self._capture = self._capture, None
        if capture:
            state["capture_png_b64"] = capture
        return state
