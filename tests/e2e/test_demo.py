"""`lingong demo` starts a hub with demo data, an enrolled kiosk and wall that sync and draw, and
the wall turns its pages."""

import datetime as dt
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from PIL import Image, ImageChops

from lingong.demo import lingong_command
from sync.store import DeviceStore
from tests.support.hub import ROOT, free_port, lingong_env

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)


def picture(path):
    with Image.open(path) as image:
        return image.convert("RGB")


def book_and_tap_at_the_booth(demo, out: str) -> str:
    """Books at the demo kiosk without a screen, as the demo's printed `kiosk walk` line says (the
    slot tiles, then one more step for the first of them), then taps the card at the demo booth;
    returns what the booth's stand-in browser wrote down."""
    walk = re.search(r"no screen: LINGONG_HOME=\S+ (\S+) kiosk walk (card:\S+ open_job:\d+ start_booking)", out)
    assert walk, out
    command, steps = walk.group(1), walk.group(2).split()
    assert command == lingong_command()
    run = lambda *more: (
        subprocess.run(
            [command, "kiosk", "walk", *steps, *more],
            env=lingong_env(demo / "kiosk"),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    )
    slot = re.search(r"→ (tile:slot:\d+)$", run(), re.M).group(1)  # the soonest: its check-in is open
    booked = run(slot)
    assert "status: 预约成功" in booked and re.search(r"sent to the hub at \S+: 1 event\(s\)", booked), booked
    subprocess.run(
        [command, "card", "tap", "11010519491231002X", "--name", "张三"],
        env=lingong_env(demo / "booth"),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=30,
    )
    log = demo / "booth" / "browser.log"
    deadline = time.monotonic() + 15
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return log.read_text(encoding="utf-8") if log.exists() else ""


def publish_as_a_newcomer(demo, port, password) -> float | None:
    """Logs in to the printed staff URL with the printed account, publishes a posting with the
    console's form, and returns how long it took to reach the demo wall's store."""
    url = f"http://127.0.0.1:{port}"
    browser = requests.Session()
    token = lambda page: re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    login = browser.get(f"{url}/staff/login", timeout=10)
    browser.post(
        f"{url}/staff/login", data={"name": "demo", "password": password, "csrf_token": token(login)}, timeout=10
    )  # station staff: no second factor
    form = browser.get(f"{url}/staff/postings/new", timeout=10)
    assert form.status_code == 200 and "发布岗位" in form.text
    employer = re.search(
        r'<select id="employer_id"[^>]*>(?:<option value="">[^<]*</option>)?<option value="(\d+)"', form.text
    ).group(1)
    done = browser.post(
        f"{url}/staff/postings/new",
        allow_redirects=False,
        timeout=10,
        data={
            "title": "演示：急招装卸工",
            "trade_id": "1",
            "employer_id": employer,
            "headcount": "4",
            "filled": "0",
            "pay_min": "220",
            "pay_max": "260",
            "pay_unit": "day",
            "settlement": "daily",
            "work_start": dt.date.today().isoformat(),
            "valid_days": "3",
            "address": "青川区物流园",
            "contact_person": "李经理",
            "contact_phone": "13800002222",
            "all_stations": "yes",
            "csrf_token": token(form),
        },
    )
    published_at = time.time()
    assert done.status_code == 303, done.text[-2000:]
    posting_id = int(done.headers["location"].split("=")[1])
    wall = DeviceStore.in_home(demo / "display")
    try:
        while wall.posting(posting_id) is None and time.time() - published_at < 60:  # a guard against a hang
            time.sleep(0.02)
        return time.time() - published_at if wall.posting(posting_id) is not None else None
    finally:
        wall.close()


def wall_fair_on(demo) -> bool:
    """Whether the wall holds a fair on now by its own clock (display.fair.on_now, as the wall decides)."""
    from display import fair

    store = DeviceStore.in_home(demo / "display")
    try:
        return fair.on_now(store.docs("fair"), time.time()) is not None
    finally:
        store.close()


def a_new_page(wall_png, first, area, timeout: float = 45):
    """The wall's next picture whose postings differ from `first` (None after `timeout`: a hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = picture(wall_png)
        if ImageChops.difference(first.crop(area), now.crop(area)).getbbox() is not None:
            return now
    return None


def test_demo_runs_and_devices_hold_the_demo_postings(tmp_path):
    port = free_port()
    demo = tmp_path / "demo"
    # As a newcomer runs it: no --duration, and Ctrl-C (SIGINT) to stop once everything was tried.
    proc = subprocess.Popen(
        [sys.executable, "-m", "lingong.cli", "demo", "--home", str(demo), "--port", str(port), "--postings", "200"],
        env=lingong_env(tmp_path),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines, turned, stopped = [], None, False
    wall_png = demo / "display" / "screens" / "display.png"
    try:
        for line in proc.stdout:
            lines.append(line)
            if "press Ctrl-C to stop" in line:
                assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["status"] == "ok"
                # Only a hang's bound (the wall's first picture can take long on a loaded machine)
                deadline = time.monotonic() + 90
                while not wall_png.exists() and time.monotonic() < deadline:
                    time.sleep(0.2)
                first = picture(wall_png)
                width, height = first.size
                # The demo's fair (招聘会, the demo devices' hall, today 08:30–17:30) takes the wall's
                # layout from an hour before it opens (display.fair): its booth table stands still
                # then, and the wall shows it is alive by its notices band, which moves all the time.
                # Otherwise the postings turn their pages (the band left out: it moves anyway).
                fair_on = wall_fair_on(demo)
                band = (0, int(height * 0.9), width, height)
                turned = a_new_page(wall_png, first, band if fair_on else (0, 0, width, int(height * 0.85)))
                booth_log = book_and_tap_at_the_booth(demo, "".join(lines))
                password = re.search(r"staff login:\s+demo / (\S+)", "".join(lines)).group(1)
                arrived_in = publish_as_a_newcomer(demo, port, password)
                proc.send_signal(signal.SIGINT)
                stopped = True
    finally:
        if not stopped and proc.poll() is None:  # a step above failed: stop it as a user would, children too
            proc.send_signal(signal.SIGINT)
    assert proc.wait(60) == 0, "".join(lines)
    out = "".join(lines)
    assert re.search(r"staff login:\s+demo / \S+", out), out
    # the command to type is the real one (the project's .venv/bin/lingong), not a bare name
    assert f"try a card:   LINGONG_HOME={demo / 'kiosk'} {lingong_command()} card tap" in out, out
    assert lingong_command().startswith("/"), lingong_command()
    # A figure to read, not a pass mark: a busy machine would make it a coin toss (see README "Measured").
    assert arrived_in is not None, "the newcomer's posting never reached the demo wall"
    print(f"a newcomer's posting reached the demo wall in {arrived_in:.3f} s")
    kiosk_store = DeviceStore.in_home(demo / "kiosk")
    assert kiosk_store.docs("slot"), "the demo kiosk offers no interview slots to book"
    kiosk_store.close()
    assert re.search(r"browser opened http://127\.0\.0\.1:\d+/call: room lg-\S+ on https://meet\.jit\.si", booth_log), (
        booth_log,
        (demo / "logs" / "booth.log").read_text(),
    )
    for role in ("kiosk", "display", "booth"):
        store = DeviceStore.in_home(demo / role)
        assert store.counts()["posting"] > 100, role
        store.close()
    assert turned is not None, "the wall did not turn its page"
    kiosk = picture(demo / "kiosk" / "screens" / "kiosk.png")
    assert len(kiosk.getcolors(1 << 20)) > 50, "the kiosk drew next to nothing"


def test_a_taken_port_is_said_in_one_line_before_anything_starts(tmp_path):
    """A port already in use made the demo enrol its devices with whatever listened there and die
    with a traceback. It now checks first, says so in one plain line, and exits non-zero."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        demo = tmp_path / "demo"
        done = subprocess.run(
            [sys.executable, "-m", "lingong.cli", "demo", "--home", str(demo), "--port", str(port), "--duration", "5"],
            env=lingong_env(tmp_path),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    said = done.stderr.strip().splitlines()
    assert len(said) == 1 and f"port {port}" in said[0] and "already in use" in said[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout and not demo.exists()  # nothing seeded or enrolled
