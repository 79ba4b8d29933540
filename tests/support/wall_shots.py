"""Renders the wall at one size in every layout asked for, in one process, and measures it:
`python -m tests.support.wall_shots FOLDER WIDTHxHEIGHT LAYOUT[,LAYOUT…]`. A layout named
`emergency` is the screen's own layout with an emergency notice in force; `fast`, the screen's own
layout with a posting just marked 即时快招 (its interrupting card); `fair`, the wall while the demo's
招聘会 is on (the fair layout, or a strip's own with the newest call beside its lines); `call`, the
same with a number just called, covering the screen. The fair is a week ahead in every other state.
The demo's station has two 零工团队 (hub.seed.teams): a lobby screen's page carries one (display.teams).

For each layout it writes FOLDER/<layout>.png and, in FOLDER/audit.json, the layout shown, the
smallest text on screen, the sizes used, how full the page is, and every fault the geometry audit
finds (tests/support/layout_audit.py), titles cut below their trade word among them; the team
cards on screen with the size their codes are drawn at, beside the postings' codes; and what the page
booked as shown (proof of play: postings only)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from device.capture import save_png
from lingong.screenshot import (
    CALLED_AGO,
    WALL_FAIR,
    emergency_change,
    fair_changes,
    fast_change,
    open_wall,
    when_settled,
)
from tests.support.layout_audit import cut_titles, problems, shown


def audit(app, size: tuple[int, int]) -> dict:
    from kivy.uix.label import Label

    ids = app.root.ids
    cover = (
        ids.cover
        if app.emergency["title"]
        else ids.call_cover
        if app.call["key"]
        else ids.fast_cover
        if app.fast["pid"]
        else app.root
    )
    cards = [w for w in app.root.walk() if type(w).__name__ in ("WallCard", "TeamCard") and shown(w)]
    teams = [w for w in cards if type(w).__name__ == "TeamCard"]
    code_px = lambda card: min(card.ids.code.norm_image_size) if card.ids.code.texture else 0
    texts = [
        (float(w.font_size), w.text[:20])
        for w in app.root.walk()
        if isinstance(w, Label) and w.text.strip() and shown(w)
    ]
    return {
        "layout": app.layout,
        "min_text_px": min(texts)[0],
        "min_text": min(texts)[1],
        "sizes": sorted({t for t, _ in texts}),
        "page": len(app.page),
        "per_page": app.plan.per_page,
        "index": app.pager.index(time.time()),
        "pages": len(app.pager.pages),
        # (under a cover — the emergency, a call, a fast-hiring card — nothing else is seen: only it is measured)
        "problems": problems(cover, size) + cut_titles(cover),
        "fast": app.fast["pid"],
        "call": app.call["body"],
        "booths": len(app.fair["rows"]) if app.layout == "fair" else 0,
        "board": app.fair["newest"] if app.layout == "fair" else "",
        "strip_call": app.section_text if app.layout == "ticker" else "",
        "notice": app.notice_text[:40],
        "teams": [w.name for w in teams],
        "team_code_px": min((code_px(w) for w in teams), default=0),
        "posting_code_px": max((code_px(w) for w in cards if w not in teams), default=0),
        "page_pids": [i["pid"] for i in app.page],
        "booked": list(app.plays.on_screen),
    }


def main(folder: Path, size: str, wanted: list[str]) -> None:
    width, height = (int(v) for v in size.split("x"))
    first = wanted[0] if wanted[0] not in ("emergency", "fast", *WALL_FAIR) else "auto"
    app = open_wall(folder / "work", (width, height), first)
    from kivy.clock import Clock

    results: dict = {}
    queue = list(wanted)

    def next_layout(_dt=None):
        if not queue:
            (folder / "audit.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
            app.stop()
            return
        name = queue.pop(0)
        store = app.data.store
        if name == "emergency":
            store.apply_changes((store.cursor or 0) + 1, [emergency_change(time.time())])
        elif name == "fast":
            changes = fair_changes(store, time.time()) + [fast_change(store, time.time())]
            store.apply_changes((store.cursor or 0) + 1, changes)
        else:  # as staff change a wall's layout: its device document changes (the screen's own at a fair)
            device = store.doc("device", app.data.enrollment.device_id)
            device = {**device, "config": {**device["config"], "layout": "auto" if name in WALL_FAIR else name}}
            change = {"k": "device", "id": device["id"], "op": "put", "d": device}
            fair = fair_changes(store, time.time(), CALLED_AGO.get(name))
            store.apply_changes((store.cursor or 0) + 1, [change, *fair])
        app.absorb(app.data.refresh())
        app.show_page(force=True)

        def shoot():
            save_png(folder / f"{name}.png")
            results[name] = audit(app, (width, height))
            Clock.schedule_once(next_layout, 0)

        when_settled(app, shoot, frames=6)

    Clock.schedule_once(next_layout, 0.5)
    app.run()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3].split(","))
