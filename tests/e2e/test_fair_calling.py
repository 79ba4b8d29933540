"""招聘会叫号 end to end with a real hub process and real walls: numbers taken at a real kiosk through its
outbox, each called from the booth's own page as the employer's phone would, and every wall in the
hall holding every call, in order (`lingong bench calling` at a small size; how soon is its figure,
quoted in the README — a test here bounds the wait only to catch a hang)."""

import json
import subprocess
import sys

from tests.support.hub import ROOT, lingong_env


def test_every_wall_in_the_hall_shows_every_call(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "lingong.cli", "bench", "calling", "--walls", "3", "--calls", "4", "--gap", "0.3"],
        cwd=ROOT,
        env=lingong_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["numbers_sent"] == 4  # every number taken at the kiosk reached the hub
    assert result["received"] == 12 and result["missing"] == 0  # 4 calls × 3 walls
    assert result["order_on_every_wall"]
    assert result["call_to_wall_p95_ms"] is not None
