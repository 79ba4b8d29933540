"""Signed updates end to end: two wheels of this project built at other versions, published on a real
hub, and a device (`lingong agent` from its install prefix, restarted as systemd would) that updates
to the good one while being SIGKILLed at every step, refuses one whose signature is bad, and rolls
back from one that fails its health check — with a working version after every blow."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import time

import pytest
import requests

from device.update.faults import STEPS
from device.update.layout import COMPLETE, Layout
from tests.integration.test_link import enroll
from tests.support.hub import LiveHub, lingong
from tests.support.releases import Unit, build_wheel
from wire import releases

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

# The release that cannot run: its agent dies at start, before it is healthy (as a release with a
# broken import or a wrong path would) — what only the guard, from the good version, can undo.
BROKEN = {
    "sync/agent.py": ("    def start(self) -> None:\n", "    def start(self) -> None:\n        raise SystemExit(9)\n")
}


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    work = tmp_path_factory.mktemp("releases")
    key = releases.new_private_key()
    (work / "update.pem").write_bytes(releases.private_key_pem(key))
    out = {}
    for version, edits in (("0.2.0", None), ("0.3.0", BROKEN)):
        wheel = build_wheel(work, version, edits)
        result = lingong("release", "sign", str(wheel), "--key", str(work / "update.pem"), home=work)
        assert json.loads(result.stdout)["version"] == version
        out[version] = wheel
    return key, out


@pytest.fixture
def hub(tmp_path, sqlite_url, signed):
    key, _ = signed
    hub = LiveHub(tmp_path / "hub", sqlite_url, LINGONG_UPDATE_PUBLIC_KEY=releases.public_text(key))
    hub.seed(postings=10)
    hub.start()
    yield hub
    hub.stop()


def publish(hub: LiveHub, wheel, sig_text: str) -> requests.Response:
    with open(wheel, "rb") as f:
        return hub.call("POST", "/api/v1/releases", files={"wheel": (wheel.name, f)}, data={"signature": sig_text})


def device_state(hub: LiveHub, device_id: int) -> dict:
    return next(d for d in hub.ok("GET", "/api/v1/devices") if d["id"] == device_id)["state"]


def status(unit: Unit) -> dict:
    out = subprocess.run(
        [unit.prefix / "good" / "bin" / "lingong", "update", "status", "--prefix", unit.prefix],
        capture_output=True,
        text=True,
        env=unit.env(),
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def works(unit: Unit) -> tuple[str, str]:
    """Both links name a whole version whose own command runs: (current, good)."""
    found = []
    for link in ("current", "good"):
        out = subprocess.run(
            [unit.prefix / link / "bin" / "lingong", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            env=unit.env(),
        )
        assert out.returncode == 0, f"{link}: {out.stderr}"
        found.append(out.stdout.split()[1])
    return found[0], found[1]


def test_update_refuse_roll_back_and_survive_sigkill_at_every_step(hub, signed, tmp_path):
    key, wheels = signed
    home, prefix = tmp_path / "device", tmp_path / "opt"
    store = enroll(hub, home)
    device_id = store.enrollment().device_id
    assert store.enrollment().update_key == releases.public_text(key)
    store.close()
    lingong("update", "init", "--prefix", str(prefix), home=home)
    unit = Unit(prefix, home)
    assert works(unit) == ("0.1.0", "0.1.0")
    # The running version before any release: enrolled, synced, reporting.
    unit.run_until(
        lambda: device_state(hub, device_id).get("app_version") == "0.1.0" and "update" in device_state(hub, device_id)
    )

    # The hub takes only what verifies with its key.
    other = releases.sign(wheels["0.2.0"], releases.new_private_key()).document()
    refused = publish(hub, wheels["0.2.0"], other)
    assert (refused.status_code, refused.json()["code"]) == (422, "release.signature"), refused.text
    mixed = publish(hub, wheels["0.2.0"], (wheels["0.3.0"].parent / (wheels["0.3.0"].name + ".sig")).read_text())
    assert (mixed.status_code, mixed.json()["code"]) == (422, "release.mismatch"), mixed.text
    good = publish(hub, wheels["0.2.0"], wheels["0.2.0"].with_name(wheels["0.2.0"].name + ".sig").read_text())
    assert good.status_code == 201, good.text
    hub.ok("PUT", f"/api/v1/releases/{good.json()['id']}/rollout", json={"station_ids": [1]})

    # 0.1.0 → 0.2.0, SIGKILLed once at every step in turn; after each blow both links still run.
    for step in STEPS:
        unit.killed_at(step)
        current, last_good = works(unit)
        assert last_good in ("0.1.0", "0.2.0") and current in ("0.1.0", "0.2.0"), (step, current, last_good)
    unit.run_until(lambda: device_state(hub, device_id).get("update") == "updated")
    state = device_state(hub, device_id)
    assert (state["app_version"], state["update_version"], state["good_version"]) == ("0.2.0", "0.2.0", "0.2.0")
    assert works(unit) == ("0.2.0", "0.2.0")

    # A release whose signature is not the update key's (a hub tampered with) is refused, not fetched.
    bad = publish(hub, wheels["0.3.0"], wheels["0.3.0"].with_name(wheels["0.3.0"].name + ".sig").read_text())
    assert bad.status_code == 201, bad.text
    with sqlite3.connect(hub.database_url.removeprefix("sqlite:///")) as db:
        (right,) = db.execute("SELECT signature FROM releases WHERE version = '0.3.0'").fetchone()
        forged = releases.sign(wheels["0.3.0"], releases.new_private_key()).signature
        db.execute("UPDATE releases SET signature = ? WHERE version = '0.3.0'", (forged,))
    hub.ok("PUT", f"/api/v1/releases/{bad.json()['id']}/rollout", json={"station_ids": [1]})
    unit.run_until(lambda: device_state(hub, device_id).get("update") == "refused")
    state = device_state(hub, device_id)
    assert (state["app_version"], state["update_version"]) == ("0.2.0", "0.3.0"), state
    assert status(unit)["versions"] == {"0.1.0": True, "0.2.0": True}, status(unit)  # nothing of 0.3.0 kept
    assert base64.b64decode(forged) != base64.b64decode(right)

    # The same release rightly signed: installed, switched to, dead at every start, rolled back by the guard.
    with sqlite3.connect(hub.database_url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE releases SET signature = ? WHERE version = '0.3.0'", (right,))
    unit.run_until(lambda: device_state(hub, device_id).get("update") == "rolled_back", timeout=180)
    state = device_state(hub, device_id)
    assert (state["app_version"], state["update_version"], state["good_version"]) == ("0.2.0", "0.3.0", "0.2.0")
    after = status(unit)
    assert (after["current"], after["good"], after["trial"]) == ("0.2.0", "0.2.0", None), after
    # The forged offer was refused without being remembered (nothing fetched; forged offers are free).
    assert [f["reason"] for f in after["failed"].values() if f["version"] == "0.3.0"] == ["health"]
    # Offered again and again, it is not tried again: the device stays on 0.2.0.
    starts = unit.starts
    unit.run_until(lambda: unit.starts > starts and device_state(hub, device_id).get("app_version") == "0.2.0")
    assert works(unit) == ("0.2.0", "0.2.0")
    listed = {r["version"]: r["counts"] for r in hub.ok("GET", "/api/v1/releases")}
    assert listed["0.2.0"]["running"] == 1 and listed["0.3.0"]["failed"] == 1, listed


def test_a_wall_confirms_its_new_version_once_its_first_frame_is_drawn(sqlite_hub, tmp_path):
    """The kiosk, wall and booth take updates through device.start: a wall on trial confirms itself
    once synced and drawn (this tree's version stands for the new one; `good` is an older one)."""
    home, prefix = tmp_path / "wall", tmp_path / "opt"
    enroll(sqlite_hub, home, kind="display", layout="table").close()
    lingong("update", "init", "--prefix", str(prefix), home=home)
    layout = Layout(prefix)
    older = layout.version_dir("0.0.9")
    older.mkdir()
    (older / COMPLETE).write_text("0.0.9")
    layout.point(layout.good, "0.0.9")
    state = layout.load()
    state.trial = {"version": "0.1.0", "previous": "0.0.9", "key": "k", "deadline": time.time() + 600, "starts": 0}
    layout.save(state)
    unit = Unit(prefix, home)
    wall = subprocess.Popen(
        [prefix / "current" / "bin" / "lingong", "display", "--size", "640x360"],
        env=unit.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a speed
        # `good` is pointed first, then the trial is ended (switch.confirm): wait for both.
        while layout.pointed(layout.good) != "0.1.0" or layout.load().trial is not None:
            assert wall.poll() is None and time.monotonic() < deadline, wall.stderr.read().decode()[-3000:]
            time.sleep(0.2)
        assert layout.load().report["update"] == "updated"
    finally:
        Unit.stop(wall)
