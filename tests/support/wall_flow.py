"""Runs the real wall app offscreen on an enrolled device folder, with the real sync agent:
`python -m tests.support.wall_flow HOME WIDTHxHEIGHT`.

Four times a second it writes HOME/wall.json: the postings on screen, those on the next page,
the stale banner and what the app is showing. It obeys one command file, HOME/command: `black`
empties the screen (as a wedged widget tree would), runs the self-check twice (it should find the
black frame and rebuild, then pass), then empties it twice more around a check (the second finds it
black again after the rebuild: the wall ends itself), and writes HOME/selfcheck.json."""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from pathlib import Path

from device import env


def main(home: Path, size: str) -> None:
    width, height = (int(v) for v in size.split("x"))
    env.prepare(home, size=(width, height), offscreen=True)
    from kivy.clock import Clock

    from display.app import WallApp
    from display.content import WallData
    from sync.agent import SyncAgent
    from sync.store import DeviceStore

    store = DeviceStore.in_home(home)
    data = WallData(store, public_url="https://hub.example.cn")
    data.refresh()
    app = WallApp(data, agent=SyncAgent(store, longpoll_s=5))

    def report(_dt) -> None:
        now = time.time()
        pager = app.pager
        upcoming = pager._waiting[1] if pager._waiting else pager.pages
        following = upcoming[(pager.index(now) + 1) % len(upcoming)].items if upcoming else []
        live = data.live_ids(now)
        state = {
            "at": now,
            "page": [i["pid"] for i in app.page],
            "next": [i["pid"] for i in following if i["pid"] in live],
            "pages": len(pager.pages),
            "stale": app.stale_text,
            "updated": app.updated_text,
            "showing": app.showing(),
            "layout": app.layout,
            "fast": app.fast["pid"],  # the posting whose 即时快招 card covers the screen, or 0
        }
        tmp = home / "wall.json.tmp"
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, home / "wall.json")
        command = home / "command"
        if command.exists() and command.read_text().strip() == "black":
            command.unlink()
            lose_the_picture()

    def lose_the_picture() -> None:
        # What a wedged widget tree leaves: the stage empty, nothing else drawn (no notices).
        data.announcements = lambda now: ([], None)
        app.root.ids.stage.clear_widgets()
        result: dict = {}

        def first(_dt):
            result["first"] = app._self_check()
            result["rebuilds_after_first"] = app.rebuilds
            Clock.schedule_once(second, 1.0)

        def second(_dt):
            result["second"] = app._self_check()
            result["page_after"] = len(app.page)
            picture = app.heartbeat_state().get("capture_png_b64", "")
            result["capture_is_png"] = base64.b64decode(picture).startswith(b"\x89PNG") if picture else False
            result["capture_bytes"] = len(picture) * 3 // 4
            # Then a picture that a rebuild does not bring back: lost, checked (rebuilt), lost
            # again, checked — the wall ends itself, asking to be started afresh.
            app.root.ids.stage.clear_widgets()
            result["third"] = app._self_check()
            app.root.ids.stage.clear_widgets()
            result["fourth"] = app._self_check()
            result["restart_reason"] = app.restart_reason
            (home / "selfcheck.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")

        Clock.schedule_once(first, 1.0)

    Clock.schedule_interval(report, 0.25)
    app.run()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
