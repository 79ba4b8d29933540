"""Drives the real kiosk app offscreen with touches and the simulated reader, in a process of its own
(Kivy allows one window per process): `python -m tests.support.kiosk_flow FOLDER FLOW`.

Each flow is a list of steps run on Kivy's clock; what the test needs to check is written to
FOLDER/result.json. Touches are real touch events at the centre of the widget showing a text."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from cardreader.fictional import person
from device import env

ID = "11010519491231002X"
NAME = "张三丰"
# Someone of working age for the buses' work (18–50), made up by the project's fictional-person generator.
YOUNG = person(random.Random(5), born_from=1980, born_to=2000)
PHONE = "13912345678"


def main(folder: Path, flow: str, size: str = "1080x1920") -> None:
    width, height = (int(v) for v in size.split("x"))
    env.prepare(folder, size=(width, height), offscreen=True)
    from kivy.clock import Clock
    from kivy.tests.common import UnitTestTouch

    from cardreader.drivers.sim import SimReader
    from cardreader.reader import ReaderState
    from cardreader.sim import resident
    from kiosk.app import KioskApp
    from kiosk.data import KioskData
    from kiosk.speech import Speaker
    from lingong.demodata import device_store, slot_docs

    store = device_store(folder / "device.db", postings=300)
    data = KioskData(store)
    data.refresh()
    reader = SimReader()
    app = KioskApp(
        data,
        reader=reader,
        speaker=Speaker(record_to=folder / "speech"),
        public_url="https://hub.example.cn",
        idle_timeout_s=3 if flow == "idle" else 60,
        countdown_s=4 if flow == "idle" else 10,
    )
    result: dict = {"steps": []}

    def on_show(widget) -> bool:
        """Neither the widget nor anything it sits in is hidden."""
        node = widget
        while node is not None and node is not node.parent:
            if node.opacity <= 0 or not getattr(node, "shown", True):
                return False
            node = node.parent
        return True

    def visible(text: str):
        """The tappable widget on the current screen (or the countdown) whose label reads `text`."""
        roots = [app.sm.current_screen] + ([app.root.children[0]] if app.countdown else [])
        for root in roots:
            for widget in root.walk():
                if getattr(widget, "text", None) == text and on_show(widget):
                    node = widget
                    # Up to a button; the window is its own parent (a plain label reading the
                    # text, like a phone box's digit, would loop here for ever).
                    while node is not None and not hasattr(node, "trigger_action"):
                        node = node.parent if node.parent is not node else None
                    if node is not None and not node.disabled:
                        return node
        raise AssertionError(f"nothing tappable reads {text!r} on screen {app.sm.current}")

    def on_screen(text: str) -> bool:
        """Some widget on the current screen shows exactly `text`."""
        return any(getattr(w, "text", None) == text and on_show(w) for w in app.sm.current_screen.walk())

    def enabled(text: str) -> bool:
        try:
            visible(text)
            return True
        except AssertionError:
            return False

    def tap(text: str) -> None:
        target = visible(text)
        x, y = target.to_window(*target.center)
        result.setdefault("taps", []).append([text, type(target).__name__, round(x), round(y), app.sm.current])
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()

    def note(label: str, **values) -> None:
        jobs = app.flow.visit.jobs if app.flow.visit is not None else []
        values.update(screen=app.sm.current, greeting=getattr(app.view, "heading", ""), jobs=len(jobs))
        result["steps"].append({"step": label, **values})

    def boxes() -> str:
        """The digits the phone's eleven boxes show."""
        return "".join(w.text for w in app.sm.current_screen.walk() if type(w).__name__ == "PhoneBox")

    def first_job_title() -> str:
        jobs = getattr(app.view, "jobs", [])
        return jobs[0]["title"] if jobs else ""

    def leftovers() -> list[str]:
        """Screens still holding anything of a visit, and texts on any screen naming the worker."""
        stale = [
            sc.name for sc in app.sm.screens if sc.name != "attract" and sc.view != sc.property("view").defaultvalue
        ]
        texts = [str(getattr(w, "text", "")) for sc in app.sm.screens for w in sc.walk()]
        named = [t for t in texts if "张*" in t or "张师傅" in t]
        return stale + named

    card = resident(ID, NAME)
    young = resident(YOUNG.id_number, YOUNG.name)

    def offer_slots() -> None:
        """Two interview slots for the first job on the list, as the hub's feed would bring them."""
        store.apply_changes(
            (store.cursor or 0) + 1, slot_docs(app.view.jobs[0]["pid"], time.time() + 3 * 3600, count=2)
        )
        app._refresh_in_background()

    def hub_answers(status: str, reason: str = "", kind: str = "booking") -> None:
        """The hub's answer to the queued booking (or sign-up), as the sync agent records it."""
        n = store.outbox.pending()[0]["n"]
        store.outbox.acknowledge(n, [{"n": n, "status": status, "reason": reason, "kind": kind}])

    def free_course() -> str:
        """The title of the demo's free course open to everyone, as its row on the list shows it."""
        return next(c["title"] for c in data.courses() if not c.get("cost") and c.get("age_max") is None)

    def scroll():
        """The current screen's scroll view that a 往下看 cue goes with."""
        return app.sm.current_screen.ids.scroll

    flows = {
        "apply": [
            lambda: reader.tap(card),
            lambda: note("card", first=first_job_title()),
            lambda: tap(app.view.tiles[1]["text"]),
            lambda: note("category", first=first_job_title(), chosen=[t["chosen"] for t in app.view.tiles]),
            lambda: tap(app.view.jobs[0]["title"]),
            lambda: note("detail", title=app.view.title, pay=app.view.pay, qr=app.view.qr),
            lambda: tap(app.s["detail.speak"]),
            lambda: tap(app.s["detail.apply"]),
            lambda: note("apply", message=app.view.message),
            *[lambda d=d: tap(d) for d in PHONE],
            lambda: note("typed", digits=app.flow.visit.digits, shown=boxes()),
            lambda: tap(app.s["apply.confirm"]),
            lambda: note("without consent", message=app.view.message, outbox=store.outbox.count()),
            lambda: tap(app.s["apply.consent"]),
            lambda: tap(app.s["apply.confirm"]),
            lambda: note(
                "receipt",
                code=app.view.code,
                status=app.view.status,
                note=app.view.note,
                outbox=store.outbox.count(),
                kinds=[e["kind"] for e in store.outbox.pending()],
            ),
            lambda: tap(app.s["jobs.logout"]),
            lambda: note("after", visit=app.flow.visit is not None, leftovers=leftovers()),
        ],
        "book": [
            lambda: reader.tap(card),
            offer_slots,
            "wait 1.0",
            lambda: tap(app.view.jobs[0]["title"]),
            lambda: note("detail", slots=app.flow.visit.job["slots"], can_book=enabled(app.s["detail.interview"])),
            lambda: tap(app.s["detail.interview"]),
            lambda: note("slots", choices=[t["text"] for t in app.view.tiles], message=app.view.message),
            lambda: tap(app.view.tiles[0]["text"]),
            lambda: note(
                "receipt",
                code=app.view.code,
                status=app.view.status,
                note=app.view.note,
                when=app.view.when,
                where=app.view.where,
                kinds=[e["kind"] for e in store.outbox.pending()],
            ),
            lambda: tap(app.s["jobs.logout"]),
            lambda: hub_answers("rejected", "这个面试时间已经被别人约了，请另选时间"),
            lambda: reader.tap(card),
            lambda: note("next visit", banner=app.view.warning),
            lambda: tap(app.s["jobs.logout"]),
            lambda: reader.tap(card),
            lambda: note("told once", banner=app.view.warning),
        ],
        # 技能培训 offline: from the first screen without a card, the card laid on the course, one
        # tap on 报名; the hub then finds the course full, and the next card hears so, once.
        "course": [
            lambda: tap(app.s["attract.courses"]),
            lambda: note("list", rows=[r["title"] for r in app.view.rows]),
            lambda: tap(free_course()),
            lambda: note("course", title=app.view.title, seats=app.view.seats, can=app.view.can_sign_up),
            lambda: tap(app.s["offer.sign_up_card"]),
            lambda: note("needs card", message=app.view.message, outbox=store.outbox.count()),
            lambda: reader.tap(card),
            lambda: note("card laid", title=app.view.title, button=app.view.sign_up),
            lambda: tap(app.s["offer.sign_up"]),
            lambda: note(
                "receipt",
                code=app.view.code,
                status=app.view.status,
                note=app.view.note,
                where=app.view.where,
                kinds=[e["kind"] for e in store.outbox.pending()],
            ),
            lambda: tap(app.s["jobs.logout"]),
            lambda: hub_answers("rejected", "这期培训的名额已经报满了", kind="course_signup"),
            lambda: reader.tap(card),
            lambda: note("next visit", banner=app.view.warning),
            lambda: tap(app.s["jobs.logout"]),
            lambda: reader.tap(card),
            lambda: note("told once", banner=app.view.warning),
        ],
        # 包车, offline: from the first screen, a worker of 76 is told before any tap that the work is
        # not for their age; a young worker's card laid on it asks for a seat in one tap, and the
        # receipt turns to 座位已确认 when the hub's answer comes while they are still there.
        "bus": [
            lambda: tap(app.s["attract.buses"]),
            lambda: note("list", rows=[r["title"] for r in app.view.rows]),
            lambda: tap(app.view.rows[0]["title"]),
            lambda: note("bus", title=app.view.title, seats=app.view.seats, can=app.view.can_sign_up),
            lambda: reader.tap(card),
            lambda: note("too old", message=app.view.message, can=enabled(app.s["offer.sign_up"])),
            # Another card on the reader is another visit: their own jobs, and the card to the buses
            # after them (the list cut short here so that it has room on the first page).
            lambda: reader.tap(young),
            lambda: setattr(app.flow.visit, "jobs", app.flow.visit.jobs[:1]),
            lambda: app.show(),
            lambda: tap(app.s["bus.card_title"]),
            lambda: tap(app.view.rows[0]["title"]),
            lambda: note("young", title=app.view.title, can=enabled(app.s["offer.sign_up"])),
            lambda: tap(app.s["offer.sign_up"]),
            lambda: note(
                "receipt",
                code=app.view.code,
                status=app.view.status,
                mark=app.view.mark,
                kinds=[e["kind"] for e in store.outbox.pending()],
            ),
            lambda: hub_answers("applied", kind="bus_signup"),
            "wait 1.5",
            lambda: note("answered", status=app.view.status, mark=app.view.mark),
        ],
        "browse": [
            lambda: tap(app.s["attract.browse"]),
            lambda: tap(app.view.tiles[0]["text"]),
            lambda: note("list", title=app.view.heading, page=app.view.page, first=first_job_title()),
            lambda: tap(app.s["jobs.next"] + " ›"),
            lambda: note("next page", page=app.view.page, first=first_job_title()),
            lambda: tap(app.view.jobs[0]["title"]),
            lambda: tap(app.s["detail.apply"]),
            lambda: note("needs card", message=app.view.message),
        ],
        # Run at 1920x1080: the station's five notices run past the foot of the info screen.
        "more": [
            lambda: tap(app.s["attract.info"]),
            lambda: note(
                "info", overflows=scroll().overflows, y=scroll().scroll_y, cue=on_screen(app.s["scroll.more"])
            ),
            lambda: tap(app.s["scroll.more"]),
            "wait 1.0",
            lambda: note("down", y=scroll().scroll_y, cue=on_screen(app.s["scroll.top"])),
            lambda: tap(app.s["scroll.top"]),
            "wait 1.0",
            lambda: note("up", y=scroll().scroll_y, cue=on_screen(app.s["scroll.more"])),
        ],
        "removal": [
            lambda: reader.tap(card),
            lambda: note("card"),
            lambda: reader.remove(),
            lambda: note("removed", visit=app.flow.visit is not None, leftovers=leftovers()),
        ],
        "idle": [
            lambda: reader.tap(card),
            lambda: note("card"),
            "wait 3.6",
            lambda: note("countdown", countdown=app.countdown),
            lambda: tap(app.s["idle.stay"]),
            lambda: note("stayed", countdown=app.countdown),
            "wait 9.5",
            lambda: note("timed out", visit=app.flow.visit is not None, leftovers=leftovers()),
        ],
        "register": [
            lambda: reader.tap(card),
            lambda: tap(app.s["jobs.register"]),
            lambda: note("trades", progress=app.view.step, trades=len(app.view.trades)),
            lambda: tap(app.view.trades[0]["text"]),
            lambda: tap(app.view.trades[1]["text"]),
            lambda: tap(app.s["register.next"] + " ›"),
            lambda: note("pay", progress=app.view.step, pay=[t["text"] for t in app.view.pay]),
            lambda: tap(app.view.pay[2]["text"]),
            lambda: tap(app.s["register.next"] + " ›"),
            lambda: note("when", progress=app.view.step),
            lambda: tap(app.s["avail.today"]),
            lambda: tap(app.s["register.next"] + " ›"),
            lambda: tap(app.s["register.consent"]),
            lambda: note(
                "chosen",
                progress=app.view.step,
                trades=list(app.flow.visit.reg_trades),
                pay=list(app.flow.visit.reg_pay),
                when=list(app.flow.visit.reg_when),
            ),
            lambda: tap(app.s["register.save"]),
            lambda: note(
                "saved",
                message=app.view.warning,
                kinds=[e["kind"] for e in store.outbox.pending()],
                first=first_job_title(),
            ),
        ],
        "unplug": [
            lambda: reader.tap(card),
            lambda: note("card"),
            # The reader goes away mid-visit (its driver reports it; see cardreader's own tests).
            lambda: reader._set_state(ReaderState.NO_READER, "unplugged"),
            lambda: note("unplugged", reader=app.flow.reader_state, jobs_left=len(app.view.jobs)),
            lambda: tap(app.s["jobs.logout"]),
            lambda: note("attract", reader=app.flow.reader_state, told=on_screen(app.s["reader.no_reader"])),
            lambda: reader._set_state(ReaderState.READY, "simulated"),
            lambda: reader.tap(card),
            lambda: note("back", reader=app.flow.reader_state),
        ],
        "fresh": [
            lambda: reader.tap(card),
            lambda: tap(app.view.jobs[0]["title"]),
            lambda: store.apply_changes(
                (store.cursor or 0) + 1,
                [
                    {
                        "k": "posting",
                        "id": app.flow.visit.job["pid"],
                        "op": "del",
                        "d": {"id": app.flow.visit.job["pid"], "reason": "full"},
                    }
                ],
            ),
            lambda: app._refresh_in_background(),
            "wait 1.5",
            lambda: note(
                "gone",
                gone=app.flow.visit.job_gone,
                can_apply=enabled(app.s["detail.apply"]),
                can_go_back=enabled(app.s["detail.back"]),
            ),
        ],
    }
    steps = list(flows[flow])
    pace = {"frames": 0, "not_before": 0.0}

    def tick(_dt) -> None:
        """Runs the next step once the screen has settled: layouts and transitions happen on
        frames, and software-rendered frames are slow, so steps wait for frames, not seconds."""
        pace["frames"] += 1
        if app.sm.transition.is_active:
            pace["frames"] = 0
        if pace["frames"] < 3 or time.monotonic() < pace["not_before"]:
            return
        if not steps:
            result["ok"] = True
            app.stop()
            return
        step = steps.pop(0)
        # A ScrollView holds a tap for its scroll timeout (0.2 s) before passing it on.
        delay = 0.3
        try:
            if isinstance(step, str):
                delay = float(step.split()[1])
            else:
                step()
        except Exception as exc:  # reported, not raised: the test reads the result
            result["error"] = f"{type(exc).__name__}: {exc}"
            app.stop()
            return
        pace["frames"], pace["not_before"] = 0, time.monotonic() + delay

    Clock.schedule_interval(tick, 0)
    started = time.monotonic()
    app.run()
    result["seconds"] = round(time.monotonic() - started, 1)
    store.close()
    (folder / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], *sys.argv[3:])
