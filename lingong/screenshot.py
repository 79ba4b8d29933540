"""`lingong screenshot …`: one screen of the real app, rendered offscreen with demo data, to a PNG."""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from device import env
from device.capture import save_png

WALL_LAYOUTS = ("table", "cards", "ticker", "booth", "market")
# The screen's own layout with the demo's 招聘会 on now: its booths and board; and a call just made over it.
WALL_FAIR = ("fair", "call")
CALLED_AGO = {"fair": 60.0, "call": 0.0}  # the newest call's age in each: on the board only, or over the screen
KIOSK_SCREENS = (
    "attract",
    "jobs",
    "detail",
    "apply",
    "receipt",
    "register",
    "register_pay",
    "register_when",
    "register_phone",
    "browse",
    "info",
    "slots",
    "booked",
    "report",  # 举报's reasons (hub.trust)
    "shortage",  # 这些活最缺人 (hub.market's 紧缺工种), from the first screen
    "take_card",  # the first screen after 退出 with the card still on the reader: 请取走您的身份证
    "receipt_offline",  # 报名成功 with the hub out of reach: 网络恢复后自动发给单位
    "jobs_stale",  # the list after days without the hub: 岗位信息可能已过时 over it
    "courses",  # 技能培训 (hub.training), from the first screen's 免费学手艺
    "course",  # one course, looked at with the card on the reader
    "course_signed",  # 培训报名成功: the sign-up's code and QR
    "jobs_last",  # a worker's list on its last page: after the jobs, the card to the courses here
    "buses",  # 包车外出务工 (hub.buses), from the first screen
    "bus",  # one bus, looked at with the card on the reader
    "bus_asked",  # a seat asked for online, the hub not yet answered: 正在确认座位…
    "fair",  # 招聘会取号 (hub.fairs): the booths of the fair on in the hall
    "booth",  # one booth, looked at with the card on the reader
    "fair_number",  # the number the hub gave (A001), its QR the number's own phone page
)
# What the flow calls the screen each of these shows.
SHOWN_AS = {
    "booked": "receipt",
    "take_card": "attract",
    "receipt_offline": "receipt",
    "jobs_stale": "jobs",
    "course_signed": "receipt",
    "jobs_last": "jobs",
    "bus_asked": "receipt",
    "fair_number": "receipt",
}
# States reached by another screen's steps, with the hub out of reach (or out of touch for days).
SAME_STEPS_AS = {"receipt_offline": "receipt", "jobs_stale": "jobs"}
REGISTER_STEPS = KIOSK_SCREENS[5:9]


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"size must be WIDTHxHEIGHT, e.g. 1080x1920 (not {text!r})") from None
    return width, height


def open_kiosk(work: Path, size: tuple[int, int], postings: int = 600):
    """The real kiosk app over a demo device store, offscreen, not yet running; and a card for it."""
    env.prepare(work, size=size, offscreen=True)
    from cardreader.drivers.sim import SimReader
    from cardreader.fictional import person
    from cardreader.sim import resident
    from kiosk.app import KioskApp
    from kiosk.data import KioskData
    from lingong.demodata import device_store

    data = KioskData(device_store(work / "device.db", postings=postings))
    data.refresh()
    app = KioskApp(data, reader=SimReader(), public_url="https://hub.example.cn")
    who = person(random.Random(3), born_from=1970, born_to=1978)
    return app, resident(who.id_number, who.name)


def staged_slots_start(now: dt.datetime) -> float:
    """When the staged interview slots begin: 10:00 the next day in the kiosk's time zone, so the
    pictures show the daytime times a station offers whenever they are taken (not 21:15–23:15)."""
    tomorrow = (now + dt.timedelta(days=1)).date()
    return dt.datetime.combine(tomorrow, dt.time(10, 0), tzinfo=now.tzinfo).timestamp()


def stage_kiosk(app, screen: str, card) -> None:
    """Puts the running app on `screen` the way a worker would get there (a card, a trade, a job…)."""
    if screen not in KIOSK_SCREENS:
        raise SystemExit(f"unknown kiosk screen {screen!r}; screens: {', '.join(KIOSK_SCREENS)}")
    flow = app.flow
    flow.end()
    flow.online = screen not in SAME_STEPS_AS
    flow.linked = screen == "jobs_stale"  # (the states pictured after it are in touch again)
    if screen == "jobs_stale":  # last heard from the hub three days ago
        store, clock = app.data.store, app.data.store.clock
        store.clock = lambda: clock() - 3 * 86400
        try:
            store.mark_sync_ok()
        finally:
            store.clock = clock
    screen = SAME_STEPS_AS.get(screen, screen)
    if screen in ("jobs", "jobs_last", "detail", "apply", "receipt", "slots", "booked", *REGISTER_STEPS):
        flow.card(card)
        flow.tile("category", next(iter(app.data.reference.categories)))
    if screen in ("detail", "slots", "booked"):
        from lingong.demodata import slot_docs

        store = app.data.store
        first = flow.visit.jobs[0]["pid"]
        start = staged_slots_start(dt.datetime.now(app.data.tz))
        store.apply_changes((store.cursor or 0) + 1, slot_docs(first, start, count=6))
    if screen == "report":
        flow.card(card)
    if screen == "take_card":
        flow.card(card)
        flow.end()  # 退出, the card left lying on the reader
    if screen in ("detail", "apply", "receipt", "slots", "booked", "report"):
        flow.open_job(flow.visit.jobs[0]["pid"])
    if screen == "report":
        flow.start_report()
    if screen in ("slots", "booked"):
        flow.start_booking()
    if screen == "booked":
        flow.book_slot(flow.visit.slots[1]["id"])
    if screen in ("apply", "receipt"):
        flow.start_apply()
        for key in "1391234":
            flow.press_key(key)
    if screen == "receipt":
        flow.toggle_consent()
        for key in "5678":
            flow.press_key(key)
        flow.confirm_apply()
    if screen in REGISTER_STEPS:  # three trades of the first category, then on to the step shown
        flow.open_register()
        from kiosk import views

        flow.visit.reg_trades.clear()
        for tile in views.build(flow).trades[:3]:
            flow.tile("trade", tile["value"])
        for _ in range(REGISTER_STEPS.index(screen)):
            if flow.screen == "register_pay":
                flow.tile("pay", views.build(flow).pay[2]["value"])
            if flow.screen == "register_when":
                flow.tile("when", "today")
                flow.tile("when", "weekends")
            flow.next_step()
        if screen == "register_pay":
            flow.tile("pay", views.build(flow).pay[2]["value"])
        if screen == "register_phone":
            for key in "1391234":
                flow.press_key(key)
    if screen == "browse":
        flow.browse()
    if screen == "info":
        flow.info()
    if screen == "shortage":
        flow.shortage()
    if screen == "jobs_last":
        while flow.visit.page < flow.pages - 1:
            flow.next_page()
    if screen in ("courses", "course", "course_signed"):
        flow.courses()
    if screen in ("course", "course_signed"):  # the free course open to everyone, the card laid on it
        flow.open_course(next(c["id"] for c in app.data.courses() if not c.get("cost") and c.get("age_max") is None))
        flow.card(card)
    if screen == "course_signed":
        flow.sign_up_course()
    if screen in ("buses", "bus", "bus_asked"):
        flow.buses()
    if screen in ("bus", "bus_asked"):  # the first bus whose work takes the card's age, the card laid on it
        age = card.age(app.data.today())
        flow.open_bus(next(b["id"] for b in app.data.buses() if age <= (b.get("age_max") or 99)))
        flow.card(card)
    if screen == "bus_asked":
        flow.sign_up_bus()
    if screen in ("fair", "booth", "fair_number"):  # an hour into the demo's fair, whatever the time now
        fair = app.data.reference.fairs[0]
        app.data.clock = lambda: fair["opens_at"] + 3600
        flow.fair()
    if screen in ("booth", "fair_number"):
        flow.open_booth(fair["booths"][0]["id"])
        flow.card(card)
    if screen == "fair_number":
        flow.take_number()
        n = app.data.store.outbox.pending()[-1]["n"]
        app.data.store.outbox.acknowledge(n, [{"n": n, "status": "applied", "ref": "A001", "kind": "fair_ticket"}])
        flow.tick()
    app.show()


def when_settled(app, then, frames: int = 4) -> None:
    """Calls `then()` once any transition has ended and `frames` more frames were drawn (software
    rendering is slow, and lists and images settle over a frame or two)."""
    from kivy.clock import Clock

    count = {"frames": 0}
    manager = getattr(app, "sm", None)  # the kiosk's screens change with a transition; walls have none

    def check(_dt):
        if manager is not None and manager.transition.is_active:
            count["frames"] = 0
            return True
        count["frames"] += 1
        if count["frames"] < frames:
            return True
        then()
        return False

    Clock.schedule_interval(check, 0)


def kiosk(screen: str, size: tuple[int, int], out: Path, postings: int = 600) -> int:
    if screen not in KIOSK_SCREENS:
        raise SystemExit(f"unknown kiosk screen {screen!r}; screens: {', '.join(KIOSK_SCREENS)}")
    work = Path(tempfile.mkdtemp(prefix="lingong-shot-"))
    app, card = open_kiosk(work, size, postings)
    from kivy.clock import Clock

    def shoot():
        save_png(out)
        app.stop()

    def stage(_dt):
        stage_kiosk(app, screen, card)
        when_settled(app, shoot)

    Clock.schedule_once(stage, 0.3)
    app.run()
    app.data.store.close()
    if not out.exists():
        print(f"no screenshot was written to {out}", file=sys.stderr)
        return 2
    print(out)
    return 0


def emergency_change(now: float) -> dict:
    """A storm warning in force for the next hour, as the feed carries it."""
    return {
        "k": "announcement",
        "id": 9999,
        "op": "put",
        "d": {
            "id": 9999,
            "kind": "emergency",
            "title": "暴雨红色预警",
            "priority": 100,
            "from": now - 60,
            "to": now + 3600,
            "body": "今日下午停止一切户外作业，请到驿站大厅避雨，热水和充电免费提供",
        },
    }


def fast_change(store, now: float) -> dict:
    """The first posting on the wall marked 即时快招 a moment ago: its card up for ten minutes."""
    doc = min(store.live_postings(now), key=lambda d: d["id"])
    return {
        "k": "posting",
        "id": doc["id"],
        "op": "put",
        "d": {**doc, "fast": [int(now) - 5, int(now) + 600, int(now) + 3600]},
    }


# The demo fair's queues mid-morning, booth by booth (in the seed's order): the last number called
# and how many wait after it. The 5号 booth called last: 请 D023 到 5号展位.
FAIR_CALLED = (31, 12, 7, 23, 4, 9)
FAIR_WAITING = (14, 6, 3, 22, 0, 5)
FAIR_CALL_ORDER = (3, 0, 5, 1, 2, 4)  # the booths' calls, the newest first


def fair_changes(store, now: float, called_ago: float | None = None) -> list[dict]:
    """The demo's fair, on now, as the hub publishes it after a morning of numbers: each booth's
    queue and the number it serves, the calls a minute apart, the newest `called_ago` seconds ago.
    Without `called_ago`, the same fair a week ahead (as one is announced before its day): the demo
    holds it today, and a picture of another layout must not depend on the hour it is taken at."""
    found = store.docs("fair")
    if not found:
        return []
    fair, hour = found[0], 3600
    if called_ago is None:
        doc = {**fair, "opens_at": int(now) + 7 * 24 * hour, "closes_at": int(now) + 7 * 24 * hour + 9 * hour}
        return [{"k": "fair", "id": fair["id"], "op": "put", "d": {**doc, "calls": [], "to": doc["closes_at"]}}]
    booths = [
        {**b, "serving": f"{b['letter']}{FAIR_CALLED[i % 6]:03d}", "waiting": FAIR_WAITING[i % 6]}
        for i, b in enumerate(fair["booths"])
    ]
    calls = [
        [booths[b]["serving"], booths[b]["number"], int(now - called_ago) - 60 * n]
        for n, b in enumerate(i for i in FAIR_CALL_ORDER if i < len(booths))
    ]
    doc = {**fair, "opens_at": int(now) - hour, "closes_at": int(now) + 6 * hour, "booths": booths, "calls": calls}
    return [{"k": "fair", "id": fair["id"], "op": "put", "d": {**doc, "to": doc["closes_at"]}}]


def open_wall(
    work: Path,
    size: tuple[int, int],
    layout: str,
    postings: int = 600,
    emergency: bool = False,
    fast: bool = False,
    fair: str = "",
):
    """The real wall app over a demo device store, offscreen, not yet running; `fair` ("fair" or
    "call", WALL_FAIR) puts the demo's fair on now, else it is a week ahead (fair_changes)."""
    env.prepare(work, size=size, offscreen=True)
    import time
    from collections import Counter

    from display.app import WallApp
    from display.content import WallData
    from lingong.demodata import device_store

    store = device_store(work / "device.db", postings=postings, kind="display")
    # (pages turn every 10 minutes: a picture and its measurements are of the same page)
    config = {"layout": layout, "show_phone": "full", "dwell_s": 600}
    if layout == "booth":  # the employer with the most postings here has the booth
        config["filters"] = {"employer": Counter(d["employer"] for d in store.live_postings()).most_common(1)[0][0]}
    now = time.time()
    changes = [
        {
            "k": "device",
            "id": 1,
            "op": "put",
            "d": {"id": 1, "name": "演示屏", "kind": "display", "station": 1, "config": config},
        }
    ]
    if emergency:
        changes.append(emergency_change(now))
    if fast:
        changes.append(fast_change(store, now))
    changes += fair_changes(store, now, CALLED_AGO.get(fair))
    store.apply_changes((store.cursor or 0) + 1, changes)
    data = WallData(store, public_url="https://hub.example.cn")
    data.refresh()
    return WallApp(data)


def display(
    layout: str, size: tuple[int, int], out: Path, postings: int = 600, emergency: bool = False, fast: bool = False
) -> int:
    if layout not in (*WALL_LAYOUTS, *WALL_FAIR, "auto"):
        raise SystemExit(f"unknown layout {layout!r}; layouts: {', '.join(WALL_LAYOUTS + WALL_FAIR)}")
    fair = layout if layout in WALL_FAIR else ""
    work = Path(tempfile.mkdtemp(prefix="lingong-shot-"))
    app = open_wall(work, size, "auto" if fair else layout, postings, emergency, fast, fair)
    from kivy.clock import Clock

    def shoot():
        save_png(out)
        app.stop()

    Clock.schedule_once(lambda _dt: when_settled(app, shoot, frames=6), 0.5)
    app.run()
    if not out.exists():
        print(f"no screenshot was written to {out}", file=sys.stderr)
        return 2
    print(out)
    return 0
