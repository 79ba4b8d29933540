"""`lingong demo` starts a hub with demo data and enrolled devices that sync."""
import re
import subprocess
import sys

import requests

from sync.store import DeviceStore
from tests.support.hub import ROOT, free_port, lingong_env


def test_demo_runs_and_devices_hold_the_demo_postings(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lingong.cli", "demo", "--home", str(tmp_path / "demo"),
                             "--port", str(port), "--duration", "8", "--postings", "200"],
                            env=lingong_env(tmp_path), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "running for" in line:
            assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["status"] == "ok"
    assert proc.wait(60) == 0, "".join(lines)
    out = "".join(lines)
    assert re.search(r"staff login:\s+demo / \S+", out), out
    for role in ("kiosk", "display"):
        store = DeviceStore.in_home(tmp_path / "demo" / role)
        assert store.counts()["posting"] > 100, role
        store.close()
