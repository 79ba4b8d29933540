"""Renders the wall at one size and layout and measures its text:
`python -m tests.support.wall_shots FOLDER WIDTHxHEIGHT LAYOUT`. Writes FOLDER/wall.png and
FOLDER/audit.json (the layout chosen, the smallest text on screen, the floor it must clear)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from device.capture import save_png
from lingong.screenshot import open_wall, when_settled
from tests.support.kiosk_shots import shown


def main(folder: Path, size: str, layout: str) -> None:
    width, height = (int(v) for v in size.split("x"))
    app = open_wall(folder / "work", (width, height), layout)
    from kivy.clock import Clock
    from kivy.uix.label import Label

    def shoot():
        save_png(folder / "wall.png")
        texts = [
            (float(w.font_size), w.text[:20])
            for w in app.root.walk()
            if isinstance(w, Label) and w.text.strip() and shown(w)
        ]
        (folder / "audit.json").write_text(
            json.dumps(
                {
                    "layout": app.layout,
                    "min_text_px": min(texts)[0],
                    "min_text": min(texts)[1],
                    "sizes": sorted({t for t, _ in texts}),
                    "page": len(app.page),
                    "per_page": app.plan.per_page,
                    "index": app.pager.index(time.time()),
                    "pages": len(app.pager.pages),
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        app.stop()

    Clock.schedule_once(lambda _dt: when_settled(app, shoot, frames=6), 0.5)
    app.run()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
