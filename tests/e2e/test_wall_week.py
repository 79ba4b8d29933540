"""The real wall app through a week of its schedule on a simulated clock (tests/support/wall_week.py):
the screen goes off and on, and dayparts change its layout, at the minutes staff set; an emergency
in off hours wakes it, and it sleeps again when the emergency ends. With no CEC adapter here, the
real cec-client fails and the wall blanks its picture instead, and says so."""

import json
import subprocess
import sys

import pytest

from tests.support.hub import ROOT, lingong_env

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

WORKDAY = [
    ("05:00", True, 0, "table"),  # the morning daypart starts while the screen is still off
    ("06:00", False, 0, "table"),  # on: today's jobs, large type
    ("09:00", False, None, "cards"),  # the wall's own layout
    ("18:00", False, 1, "market"),  # the evening daypart
    ("20:00", True, None, "cards"),  # off
]
EXPECTED = (
    [("Mon 00:00", True, None, "cards")]
    + [(f"{day} {hm}", *rest) for day in ("Mon", "Tue", "Wed", "Thu", "Fri") for hm, *rest in WORKDAY]
    + [
        ("Sat 05:00", True, 0, "table"),
        ("Sat 08:00", False, 0, "table"),  # Saturday's short opening
        ("Sat 09:00", False, None, "cards"),
        ("Sat 12:00", True, None, "cards"),
        ("Sun 05:00", True, 0, "table"),
        ("Sun 09:00", True, None, "cards"),
        ("Sun 10:00", False, None, "cards"),  # woken by the storm warning
        ("Sun 10:30", True, None, "cards"),  # asleep again when it ends
    ]
)


def test_a_wall_follows_its_week_and_an_emergency_wakes_it(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "tests.support.wall_week", str(tmp_path)],
        # The week moves a step a frame: the frames, not the seconds, are the work (the tests' cap of
        # 20 a second would make this one wait).
        env={**lingong_env(tmp_path), "LINGONG_MAX_FPS": "240"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang, not a speed
    )
    assert run.returncode == 0, run.stderr[-3000:]
    week = json.loads((tmp_path / "week.json").read_text(encoding="utf-8"))
    assert [(w["at"], w["asleep"], w["part"], w["layout"]) for w in week] == EXPECTED
    for w in week:
        assert w["black"] == w["asleep"], w  # asleep: nothing on screen; awake: a picture
        assert w["showing"].startswith("asleep blank") == w["asleep"], w  # (the heartbeat says how it sleeps)
    # … and until when: Monday evening's sleep ends on Tuesday at six.
    assert next(w for w in week if w["at"] == "Mon 20:00")["showing"] == "asleep blank until 2026-12-08T06:00"
    woken = next(w for w in week if w["at"] == "Sun 10:00")
    assert woken["emergency"] == "暴雨红色预警"
