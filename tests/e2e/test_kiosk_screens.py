"""Every kiosk screen of the real app at both sizes: rendered, distinct, legible (text and touch
targets measured on the drawn widget tree) and whole (no overlap, nothing outside its box, no border
or text cut: tests.support.layout_audit). The pictures are kept under artifacts/screens/."""

import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from kiosk import theme as T
from lingong.screenshot import KIOSK_SCREENS, SHOWN_AS
from tests.support.hub import ROOT, lingong_env

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

ARTIFACTS = ROOT / "artifacts" / "screens"


@pytest.mark.parametrize("size", ["1080x1920", "1920x1080"])
def test_every_screen_renders_legibly(tmp_path, size):
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.kiosk_shots", str(tmp_path), size],
        env=lingong_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    audit_file = tmp_path / "audit.json"
    assert audit_file.exists(), out.stderr[-3000:]
    audit = json.loads(audit_file.read_text(encoding="utf-8"))
    kept = ARTIFACTS / f"kiosk-{size}"
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    width, height = (int(v) for v in size.split("x"))
    scale = min(width, height) / 1080
    paper = tuple(int(T.PAPER[i : i + 2], 16) for i in (1, 3, 5))
    digests = set()
    faults: dict[str, list[str]] = {}
    for screen in KIOSK_SCREENS:
        png = tmp_path / f"{screen}.png"
        shutil.copy(png, kept / png.name)
        facts = audit[screen]
        assert facts["current"] == SHOWN_AS.get(screen, screen)
        with Image.open(png) as image:
            assert image.size == (width, height)
            rgb = image.convert("RGB")
            assert rgb.getpixel((2, 2)) == paper, f"{screen}: the background is not paper"
            assert len(rgb.getcolors(maxcolors=1 << 20) or ()) > 50, f"{screen}: next to nothing drawn"
        digests.add(hashlib.sha256(png.read_bytes()).hexdigest())
        assert facts["min_text_px"] >= 32 * scale, (screen, facts["min_text"])
        assert facts["min_target_px"] >= 120 * scale, (screen, facts["min_target"])
        assert facts["overflow"] == [], (screen, facts["overflow"])
        faults[screen] = facts["problems"]
    assert {s: f for s, f in faults.items() if f} == {}
    # The states a worker meets that are not screens of their own: said, and pictured.
    assert "请取走您的身份证" in audit["take_card"]["words"]
    assert "报名成功" in audit["receipt_offline"]["words"]
    assert any(w.startswith("网络恢复后自动发给单位") for w in audit["receipt_offline"]["words"])
    assert any(w.startswith("没联网，岗位信息截至") for w in audit["jobs_stale"]["words"])
    assert "培训报名成功" in audit["course_signed"]["words"]  # 技能培训 (hub.training), online
    assert any(w.startswith("还剩") for w in audit["courses"]["words"])
    # the list's last card: the courses, or (no course in their trades, a bus their age may board) the buses
    assert {"学门手艺：这里有技能培训", "包车去外地干活"} & set(audit["jobs_last"]["words"])
    assert "正在确认座位…" in audit["bus_asked"]["words"]  # 包车 (hub.buses): online, the hub to answer
    assert any(w.startswith("还剩") for w in audit["buses"]["words"])
    assert "A001" in audit["fair_number"]["words"] and "取号成功" in audit["fair_number"]["words"]  # 招聘会
    assert len(digests) == len(KIOSK_SCREENS)
