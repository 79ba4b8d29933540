"""`lingong demo` starts a hub with demo data, an enrolled kiosk and wall that sync and draw, and
the wall turns its pages."""
import re
import subprocess
import sys
import time

import requests
from PIL import Image, ImageChops

from sync.store import DeviceStore
from tests.support.hub import ROOT, free_port, lingong_env


def picture(path):
    with Image.open(path) as image:
        return image.convert("RGB")


def test_demo_runs_and_devices_hold_the_demo_postings(tmp_path):
    port = free_port()
    demo = tmp_path / "demo"
    proc = subprocess.Popen([sys.executable, "-m", "lingong.cli", "demo", "--home", str(demo),
                             "--port", str(port), "--duration", "32", "--postings", "200"],
                            env=lingong_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    lines, wall_pictures = [], []
    wall_png = demo / "display" / "screens" / "display.png"
    for line in proc.stdout:
        lines.append(line)
        if "running for" in line:
            assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["status"] == "ok"
            # Two pictures of the wall, further apart than its 8 s pages plus the 5 s between captures.
            for _ in range(2):
                deadline = time.monotonic() + 15
                while not wall_png.exists() and time.monotonic() < deadline:
                    time.sleep(0.2)
                wall_pictures.append(picture(wall_png))
                time.sleep(14)
    assert proc.wait(60) == 0, "".join(lines)
    out = "".join(lines)
    assert re.search(r"staff login:\s+demo / \S+", out), out
    for role in ("kiosk", "display"):
        store = DeviceStore.in_home(demo / role)
        assert store.counts()["posting"] > 100, role
        store.close()
    assert len(wall_pictures) == 2
    first, second = wall_pictures
    width, height = first.size
    postings_area = (0, 0, width, int(height * 0.85))  # the notices band below moves all the time anyway
    assert ImageChops.difference(first.crop(postings_area), second.crop(postings_area)).getbbox() is not None, \
        "the wall did not turn its page"
    kiosk = picture(demo / "kiosk" / "screens" / "kiosk.png")
    assert len(kiosk.getcolors(1 << 20)) > 50, "the kiosk drew next to nothing"
