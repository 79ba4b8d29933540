"""`lingong bench kiosk`: the real kiosk app offscreen, driven by the simulated reader for many visits.

The store is prepared first (a seeded hub's documents, all N postings); then a fresh process starts
the kiosk on it, so `startup_s` counts everything a kiosk does from `python` to its first drawn
attract screen. Each visit: a card is laid on the reader (from a thread, as a real reader's is),
the matched list is drawn, the worker chooses a trade or opens a job (QR code and all) or only
reads, and lifts the card. Memory is measured after WARMUP visits and again after the counted
ones. `card_to_list` runs from the reader's Identity event to the end of the
first frame that draws the list (`glFinish`, so software rendering has really finished)."""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .stats import ms, rss_mb

PEOPLE = 60  # distinct fictional residents taking turns at the reader
# Visits before memory is first measured: the first of each kind opens fonts at their sizes, builds
# row widgets and fills Kivy's caches, all of it once per process; growth after them is what leaks.
WARMUP = 30


def bench_kiosk(args: argparse.Namespace) -> dict:
    from lingong.demodata import device_store

    with tempfile.TemporaryDirectory(prefix="lingong-bench-kiosk-") as folder:
        store = device_store(Path(folder) / "device.db", postings=args.postings, all_stations=True)
        cached = len(store.posting_ids())  # in their validity window now
        store.close()
        spawned = time.time()
        child = subprocess.run(
            [sys.executable, "-m", "lingong.bench.kiosk", folder, str(args.sessions), args.size, repr(spawned)],
            capture_output=True,
            text=True,
            timeout=args.timeout,
        )
        lines = child.stdout.strip().splitlines()
        if child.returncode != 0 or not lines:
            raise SystemExit(f"the kiosk process failed ({child.returncode}):\n{child.stderr[-3000:]}")
        result = json.loads(lines[-1])
    return {"bench": "kiosk", "postings_seeded": args.postings, "postings_live": cached, "size": args.size, **result}


def run_visits(folder: Path, sessions: int, size: tuple[int, int], spawned: float) -> dict:
    """In the kiosk's own process: start the app, run the visits, return the figures."""
    from device import env

    env.prepare(folder, size=size, offscreen=True)
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.graphics.opengl import glFinish

    from cardreader.drivers.sim import SimReader
    from cardreader.fictional import person
    from cardreader.reader import CardInserted
    from cardreader.sim import resident
    from kiosk.app import KioskApp
    from kiosk.data import KioskData
    from sync.store import DeviceStore

    data = KioskData(DeviceStore(folder / "device.db"))
    data.refresh()
    reader = SimReader()
    app = KioskApp(data, reader=reader, public_url="https://hub.example.cn", idle_timeout_s=3600)
    rng = random.Random(5)
    cards = [resident(p.id_number, p.name) for p in (person(rng, born_from=1962, born_to=2004) for _ in range(PEOPLE))]
    out: dict = {}
    state = {"phase": "starting", "visit": 0, "event_at": 0.0, "frames": 0}
    to_list: list[float] = []
    rss: list[float] = []
    flips: list[int] = []  # frames drawn from the card to the list (the last one included)
    job_list: list = []

    def emit_hook(original):
        def on_event(event):
            if isinstance(event, CardInserted):
                state["event_at"], state["flips"] = time.perf_counter(), 0
            original(event)

        return on_event

    def list_drawn() -> bool:
        if not job_list:
            # (by its view class: Kivy's Factory loads RecycleView from a second module object, so
            # isinstance against `kivy.uix.recycleview.RecycleView` is False)
            job_list.extend(
                w
                for w in app.sm.get_screen("jobs").walk()
                if getattr(getattr(w, "viewclass", None), "__name__", None) == "JobRow"
            )
        jobs = app.sm.get_screen("jobs").view.jobs
        if app.sm.current != "jobs" or not jobs:
            return False
        first = jobs[0]["pid"]
        return any(getattr(row, "pid", None) == first for row in job_list[0].layout_manager.children)

    def flipped(*_args) -> None:
        glFinish()
        now = time.perf_counter()
        state["flips"] = state.get("flips", 0) + 1
        if state["phase"] == "starting" and app.sm.current == "attract" and not app.sm.transition.is_active:
            out["startup_s"] = round(time.time() - spawned, 2)
            state["phase"] = "ready"
        elif state["phase"] == "tapped" and list_drawn():
            to_list.append(now - state["event_at"])
            flips.append(state["flips"])
            state["phase"] = "listed"

    def step(_dt) -> None:
        phase, visit = state["phase"], state["visit"]
        if phase == "ready":
            if visit == 0:
                reader.on_event = emit_hook(reader.on_event)
                gc.collect()
                out["rss_started_mb"] = rss_mb()
            if visit == WARMUP:
                gc.collect()
                out["rss_start_mb"] = rss_mb()
                to_list.clear()
                flips.clear()
            if visit == WARMUP + sessions:
                gc.collect()
                out["rss_mb"] = rss_mb()
                app.stop()
                return
            state["phase"] = "tapped"
            threading.Thread(target=reader.tap, args=(cards[visit % PEOPLE],), daemon=True).start()
        elif phase == "listed":
            view = app.view
            if visit % 3 == 0 and view.tiles:
                app.act("tile", "category", view.tiles[visit % len(view.tiles)]["value"])
            elif visit % 3 == 1 and view.jobs:
                app.act("open_job", view.jobs[visit % len(view.jobs)]["pid"])
            state["phase"], state["frames"] = "acting", 0
        elif phase == "acting":
            state["frames"] += 1
            if state["frames"] >= 3 and not app.sm.transition.is_active:
                state["phase"] = "leaving"
                threading.Thread(target=reader.remove, daemon=True).start()
        elif (
            phase == "leaving"
            and app.flow.visit is None
            and app.sm.current == "attract"
            and not app.sm.transition.is_active
        ):
            state["visit"] += 1
            if state["visit"] > WARMUP and (state["visit"] - WARMUP) % 100 == 0:
                gc.collect()
                rss.append(rss_mb())
            state["phase"] = "ready"

    Window.bind(on_flip=flipped)
    Clock.schedule_interval(step, 0)
    started = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - started
    if len(to_list) < sessions:
        raise SystemExit(f"only {len(to_list)} of {sessions} visits completed")
    return {
        "sessions": sessions,
        "card_to_list_p50_ms": ms(to_list, 50),
        "card_to_list_p95_ms": ms(to_list, 95),
        "card_to_list_max_ms": ms(to_list, 100),
        "frames_to_list_max": max(flips),
        "startup_s": out["startup_s"],
        "rss_started_mb": out["rss_started_mb"],
        "warmup_sessions": WARMUP,
        "rss_start_mb": out["rss_start_mb"],
        "rss_mb": out["rss_mb"],
        "rss_growth_mb": round(out["rss_mb"] - out["rss_start_mb"], 1),
        "rss_every_100_mb": rss,
        "visit_s": round(seconds / (WARMUP + sessions), 2),
    }


def add_parser(b) -> None:
    s = b.add_parser("kiosk", help="the real kiosk offscreen: card to matched list, start-up, memory over visits")
    s.add_argument("--postings", type=int, default=50000)
    s.add_argument("--sessions", type=int, default=1000)
    s.add_argument("--size", default="1080x1920", help="WIDTHxHEIGHT")
    s.add_argument("--timeout", type=float, default=7200, help="give up on the kiosk process after this long")
    s.add_argument("--json", action="store_true", help="(the result is always one JSON line)")


if __name__ == "__main__":
    work, count, size_text, spawned_at = sys.argv[1:5]
    width, height = (int(v) for v in size_text.split("x"))
    print(json.dumps(run_visits(Path(work), int(count), (width, height), float(spawned_at))))
