"""`lingong bench display`: the real wall app offscreen, turning N pages while its content changes.

The wall's own clock is replaced by a counter that turns a page every frame; every tenth turn,
postings are closed and new ones published in the device store, as the sync agent would, and the
wall takes the new version at its next turn. `flip` runs from the page change to the end of the
frame that draws it (`glFinish`). Memory is measured after WARMUP turns and at the end."""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .stats import ms, rss_mb

WARMUP = 50
CHANGE_EVERY = 10


def bench_display(args: argparse.Namespace) -> dict:
    from lingong.demodata import device_store

    with tempfile.TemporaryDirectory(prefix="lingong-bench-display-") as folder:
        device_store(Path(folder) / "device.db", postings=args.postings, kind="display").close()
        child = subprocess.run(
            [sys.executable, "-m", "lingong.bench.display", folder, str(args.flips), args.size, args.layout],
            capture_output=True,
            text=True,
            timeout=args.timeout,
        )
        lines = child.stdout.strip().splitlines()
        if child.returncode != 0 or not lines:
            raise SystemExit(f"the wall process failed ({child.returncode}):\n{child.stderr[-3000:]}")
    return {"bench": "display", "size": args.size, "postings": args.postings, **json.loads(lines[-1])}


def turn_pages(folder: Path, flips: int, size: tuple[int, int], layout: str) -> dict:
    """In the wall's own process."""
    from device import env

    env.prepare(folder, size=size, offscreen=True)
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.graphics.opengl import glFinish

    from display.app import WallApp
    from display.content import WallData
    from sync.store import DeviceStore

    store = DeviceStore(folder / "device.db")
    data = WallData(store, public_url="https://hub.example.cn")
    data.refresh()
    app = WallApp(data, config={"layout": layout, "dwell_s": 10.0})
    state = {"turn": 0, "changed_at": None, "next_id": 10_000_000}
    flip_s: list[float] = []
    refresh_s: list[float] = []
    out: dict = {}

    def change_content() -> None:
        """Close the first few postings shown and publish as many new ones (copies, new ids)."""
        docs = store.live_postings()
        changes = [
            {"k": "posting", "id": d["id"], "op": "del", "d": {"id": d["id"], "reason": "full"}} for d in docs[:3]
        ]
        for d in docs[3:6]:
            state["next_id"] += 1
            changes.append(
                {
                    "k": "posting",
                    "id": state["next_id"],
                    "op": "put",
                    "d": {**d, "id": state["next_id"], "title": d["title"] + "（新）"},
                }
            )
        store.apply_changes((store.cursor or 0) + 1, changes)
        started = time.perf_counter()
        app.absorb(data.refresh())
        refresh_s.append(time.perf_counter() - started)

    def turn(_dt) -> None:
        if state["changed_at"] is not None:
            return  # the last turn is not drawn yet
        n = state["turn"]
        if n == WARMUP:
            gc.collect()
            out["rss_start_mb"] = rss_mb()
        if n == WARMUP + flips:
            gc.collect()
            out["rss_end_mb"] = rss_mb()
            app.stop()
            return
        if n % CHANGE_EVERY == 0:
            change_content()
        now = (n + 1) * app.pager.dwell_s + 0.5
        state["changed_at"] = time.perf_counter()
        app.pager.tick(now)
        app.show_page(force=True, now=now)
        state["turn"] += 1

    def flipped(*_args) -> None:
        if state["changed_at"] is None:
            return
        glFinish()
        if state["turn"] > WARMUP:
            flip_s.append(time.perf_counter() - state["changed_at"])
        state["changed_at"] = None

    def start(_dt) -> None:
        for event in app._events[:2]:  # the wall clock's tick and the self-check: the bench turns pages
            event.cancel()
        Window.bind(on_flip=flipped)
        Clock.schedule_interval(turn, 0)

    Clock.schedule_once(start, 0.5)
    started = time.perf_counter()
    app.run()
    return {
        "layout": app.layout,
        "flips": len(flip_s),
        "per_page": app.plan.per_page,
        "flip_p50_ms": ms(flip_s, 50),
        "flip_p95_ms": ms(flip_s, 95),
        "flip_max_ms": ms(flip_s, 100),
        "refresh_p95_ms": ms(refresh_s, 95),
        "warmup_flips": WARMUP,
        "rss_start_mb": out["rss_start_mb"],
        "rss_end_mb": out["rss_end_mb"],
        "rss_growth_mb": round(out["rss_end_mb"] - out["rss_start_mb"], 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def add_parser(b) -> None:
    s = b.add_parser("display", help="the real wall offscreen: page turns with content changing, and memory")
    s.add_argument("--flips", type=int, default=5000)
    s.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT")
    s.add_argument("--layout", default="auto", help="auto, table, cards, ticker, booth")
    s.add_argument("--postings", type=int, default=3000)
    s.add_argument("--timeout", type=float, default=7200)
    s.add_argument("--json", action="store_true", help="(the result is always one JSON line)")


if __name__ == "__main__":
    work, count, size_text, layout_name = sys.argv[1:5]
    width, height = (int(v) for v in size_text.split("x"))
    print(json.dumps(turn_pages(Path(work), int(count), (width, height), layout_name)))
