"""The wall at the sizes stations own: the layout each gets, its text never under the floor, a full
page drawn. The pictures are kept under artifacts/screens/."""

import json
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from display import layout as L
from tests.support.hub import ROOT, lingong_env

ARTIFACTS = ROOT / "artifacts" / "screens"


@pytest.mark.parametrize(
    "size, layout, expected",
    [
        ("1536x384", "auto", "ticker"),
        ("1920x640", "auto", "table"),
        ("768x384", "auto", "table"),
        ("1920x1080", "auto", "cards"),
        ("1080x1920", "auto", "cards"),
        ("1280x800", "booth", "booth"),
    ],
)
def test_the_wall_at_each_size(tmp_path, size, layout, expected):
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.wall_shots", str(tmp_path), size, layout],
        env=lingong_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    audit_file = tmp_path / "audit.json"
    assert audit_file.exists(), out.stderr[-3000:]
    audit = json.loads(audit_file.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "wall.png", ARTIFACTS / f"display-{expected}-{size}.png")
    width, height = (int(v) for v in size.split("x"))
    assert audit["layout"] == expected
    floor = (L.WALL_FLOOR if expected in ("table", "ticker") else L.SCREEN_FLOOR) * min(width, height)
    assert audit["min_text_px"] >= max(L.MIN_PX, floor) - 0.5, audit
    assert len(audit["sizes"]) <= 6, audit  # a small fixed set (the four sizes, and two derived captions)
    if expected != "ticker" and audit["index"] < audit["pages"] - 1:  # only the last page may be short
        assert audit["page"] == audit["per_page"], "a page was not full although postings were plenty"
    with Image.open(tmp_path / "wall.png") as image:
        assert image.size == (width, height)
        assert len(image.convert("RGB").getcolors(1 << 20) or ()) > 20
