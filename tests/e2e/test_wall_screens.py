"""The wall at the sizes stations own, in every layout, while a 招聘会 is on (its booths and calling
board, a number just called over the screen), with a posting marked 即时快招 and under an
emergency notice; the cards layout with one of the station's 零工团队 on its page: text never
under the floor, a full page drawn, and nothing that looks broken — no text over other text, nothing
outside its box or the screen, no text cut without an ellipsis, never the pay, never one flat
colour; a team's code drawn larger than a posting's, and the team never booked as a posting (proof of
play). The pictures are kept under artifacts/screens/display-<size>/."""

import json
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from display import fair as F
from display import layout as L
from display import teams as T
from tests.support.hub import ROOT, lingong_env

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

ARTIFACTS = ROOT / "artifacts" / "screens"
# (`fair` is the screen's own layout while the demo's fair is on, `call` a number just called over it;
# `fast` and `emergency` cover the layout before them: a posting marked 即时快招, then an emergency)
WALL_LAYOUTS = ["cards", "ticker", "market", "table", "fair", "call", "fast", "emergency"]


@pytest.mark.parametrize(
    "size, layouts",
    [
        ("1536x384", WALL_LAYOUTS),  # a strip over a window
        ("1920x640", WALL_LAYOUTS),  # an LED wall
        ("768x384", WALL_LAYOUTS),  # a panel over a trade sign
        ("1920x1080", WALL_LAYOUTS),  # a lobby screen
        ("1080x1920", WALL_LAYOUTS),  # a portrait lobby screen
        ("1280x800", ["booth", "fair", "call"]),  # an employer's booth at a fair
    ],
)
def test_the_wall_at_each_size_in_each_layout(tmp_path, size, layouts):
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.wall_shots", str(tmp_path), size, ",".join(layouts)],
        env=lingong_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    audit_file = tmp_path / "audit.json"
    assert audit_file.exists(), out.stderr[-3000:]
    audits = json.loads(audit_file.read_text(encoding="utf-8"))
    kept = ARTIFACTS / f"display-{size}"
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    width, height = (int(v) for v in size.split("x"))
    # while the fair is on: the fair layout, but a strip and a booth screen keep their own
    own = L.choose_layout(width, height, "auto", 1 if "booth" in layouts else None)
    at_fair = F.wall_layout(own, {})
    for name in layouts:
        shutil.copy(tmp_path / f"{name}.png", kept / f"{name}.png")
        audit = audits[name]
        if name not in ("emergency", "fast", "fair", "call"):
            assert audit["layout"] == name
        if name == "fast":  # (the card stays under the emergency notice that follows it)
            assert audit["fast"], "the fast-hiring card did not cover the screen"
        if name in ("fair", "call"):
            assert audit["layout"] == at_fair, (name, audit["layout"])
            # the newest call: on the board, in a strip's cell, leading a booth screen's notices
            shown = {"fair": audit["board"], "ticker": audit["strip_call"], "booth": audit["notice"]}[at_fair]
            assert shown.replace("\n", " ").startswith("请 D023 到 5号展位"), (name, shown)
            assert at_fair != "fair" or audit["booths"] >= 3, audit  # (the demo's six: all, or three a page)
        if name == "cards" and audit["per_page"] >= T.MIN_SLOTS:
            # a team's card rides along on the page (the demo station's two), its code the larger
            assert len(audit["teams"]) == 1 and audit["page_pids"][-1] < 0, audit
            assert audit["team_code_px"] > audit["posting_code_px"] > 0, audit
        if name == "cards":  # proof of play: the page's postings, no team
            assert audit["booked"] == [pid for pid in audit["page_pids"] if pid > 0], audit
        if audit["layout"] != "cards":  # (a booth screen is one employer's; the others carry no codes)
            assert audit["teams"] == [], (name, audit["teams"])
        if name == "call":
            assert audit["call"].replace("\n", " ") == "请 D023 到 5号展位", audit["call"]
        hall = ("table", "ticker", "fair")  # (read from across the hall)
        floor = (L.WALL_FLOOR if audit["layout"] in hall else L.SCREEN_FLOOR) * min(width, height)
        assert audit["min_text_px"] >= max(L.MIN_PX, floor) - 0.5, (name, audit)
        assert len(audit["sizes"]) <= 6, (name, audit)  # the four sizes, a derived caption or two
        assert audit["problems"] == [], (name, audit["problems"])
        if (
            name not in ("emergency", "fast", "call")
            and audit["layout"] != "fair"  # (its booths are not postings: one page holds them here)
            and audit["index"] < audit["pages"] - 1
            and audit["page"] < audit["per_page"]
        ):
            # Only a section's last page may be short (a page never mixes two trade categories).
            assert audit["page"] > 0, (name, "an empty page although postings were plenty")
        with Image.open(tmp_path / f"{name}.png") as image:
            assert image.size == (width, height)
            assert len(image.convert("RGB").getcolors(1 << 20) or ()) > 20, f"{name}: a flat frame"
