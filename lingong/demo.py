"""`lingong demo`: a hub with demo data, an enrolled kiosk, wall display and interview booth, all on this machine."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from device import machine
from floor import paths

DEMO_USER = "demo"  # staff of the demo devices' station: publishes there, sees its records
DEMO_ADMIN = "demo-admin"  # sees everything; enrols an authenticator app at its first sign-in
# Which program runs each demo device (the device issues add their own screens here).
DEVICE_PROGRAMS = {
    "kiosk": ["kiosk", "--reader", "sim"],
    "display": ["display"],
    "booth": ["kiosk", "--booth", "--reader", "sim"],
}
DEVICE_NAMES = {"kiosk": "演示一体机", "display": "演示大屏", "booth": "演示面试间"}
DEMO_CARD = ("11010519491231002X", "张三")  # the standard's published example number, a made-up name
HISTORY_DAYS = 30  # ended postings, applications and placements over the month before today
SLOT_MINUTES = 10  # short slots: one always starts 5–15 minutes from now, bookable and open for check-in


def port_taken(port: int, host: str = "127.0.0.1") -> str | None:
    """Why the demo's hub could not listen on `port` (one plain line), or None when it can. Checked
    before anything else: a hub already there would otherwise have the demo enrol its devices
    with that other hub and fail half-way."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the hub's server does
        try:
            probe.bind((host, port))
        except OSError as exc:
            return (
                f"lingong demo: port {port} on {host} is already in use ({exc.strerror}); "
                f"stop what listens there (perhaps another demo) or pick another with --port"
            )
    return None


def lingong_command() -> str:
    """The `lingong` the user can type: the one installed beside this Python (the project's .venv),
    else the one on PATH, else this Python running the module."""
    beside = Path(sys.executable).with_name("lingong")  # not resolved: a venv's python is a symlink
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("lingong") or f"{sys.executable} -m lingong.cli"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGONG_")}
    env.update(LINGONG_HOME=str(home), PYTHONUNBUFFERED="1", **extra)
    return env


def _start(args: list[str], home: Path, log: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lingong.cli", *args],
        env=_env(home, **extra),
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the hub stopped while starting (exit {proc.returncode})")
        try:
            if requests.get(url + "/healthz", timeout=10).ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            # A hub still starting on a loaded machine may accept and not yet answer.
            pass
        time.sleep(0.2)
    raise SystemExit(f"the hub did not answer at {url} within {timeout:.0f} s")


def _prepare_hub(hub_home: Path, url: str, postings: int) -> str:
    """Seeds an empty hub and makes the demo staff account; returns its password."""
    from sqlalchemy import func, select

    from hub import admin
    from hub.postings.models import Posting
    from hub.settings import Settings

    settings = Settings(home=hub_home, public_url=url)
    db = admin.open_db(settings)
    with db.read() as session:
        empty = not session.scalar(select(func.count()).select_from(Posting))
    db.dispose()
    password_file = hub_home / "demo-password.txt"
    if empty:
        from hub.seed.generate import seed

        db = admin.open_db(settings)
        try:  # a month behind it, so that the console's dashboard shows a market at work
            with db.write() as session:
                seed(session, postings=postings, seed=7, tz=settings.tz, history_days=HISTORY_DAYS, home_station=1)
        finally:
            db.dispose()
        password = secrets.token_urlsafe(12)  # random: the hub's password rule refuses guessable ones
        admin.create_user(settings, DEMO_USER, "station", password, [1])
        admin.create_user(settings, DEMO_ADMIN, "admin", password, [])
        paths.write_private(password_file, password.encode())
    return password_file.read_text().strip()


def _device_config(role: str) -> dict | None:
    """Pages that turn often enough to be seen; a booth with a video server and a browser (Chromium
    where there is a screen, else a stand-in that writes down the room it was asked to open)."""
    if role == "display":
        return {"dwell_s": 8.0}
    if role == "booth":
        from device.env import has_screen

        real = has_screen() and shutil.which("chromium")
        return {
            "jitsi_domain": os.environ.get("LINGONG_DEMO_JITSI", "meet.jit.si"),
            "browser": "chromium" if real else "standin",
        }
    return None


def _offer_slots(hub_home: Path, url: str, booth_id: int) -> int:
    """Interview slots at the demo booth for the next four hours, for postings the demo kiosk shows
    (through the staff API, as staff would); none when some are still ahead."""
    import datetime as dt

    from sqlalchemy import select

    from hub import admin
    from hub.interviews.models import InterviewSlot
    from hub.postings.models import Posting, PostingStatus
    from hub.settings import Settings

    settings = Settings(home=hub_home, public_url=url)
    now = dt.datetime.now(dt.UTC)
    db = admin.open_db(settings)
    try:
        with db.read() as session:
            if session.scalar(
                select(InterviewSlot.id).where(
                    InterviewSlot.booth_id == booth_id, InterviewSlot.starts_at > now + dt.timedelta(hours=1)
                )
            ):
                return 0
            postings = [
                p.id
                for p in session.scalars(
                    select(Posting)
                    .where(Posting.status == PostingStatus.OPEN, Posting.all_stations.is_(True))
                    .order_by(Posting.id)
                    .limit(3)
                )
            ]
    finally:
        db.dispose()
    token = admin.api_token(settings, DEMO_USER, "demo slots")
    start = (now + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    made = 0
    for i, posting_id in enumerate(postings):
        answer = requests.post(
            f"{url}/api/v1/interviews/slots",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "posting_id": posting_id,
                "booth_id": booth_id,
                "minutes": SLOT_MINUTES,
                "count": 8,
                "starts_at": (start + dt.timedelta(minutes=i * 8 * SLOT_MINUTES)).isoformat(),
            },
            timeout=10,
        )
        made += len(answer.json()) if answer.ok else 0
    return made


def _slot_posting(hub_home: Path, url: str, booth_id: int) -> int | None:
    """A posting with an open slot at the demo booth soon enough to check in for and late enough
    for the kiosk to offer (it hides slots starting within 5 minutes)."""
    import datetime as dt

    from sqlalchemy import select

    from hub import admin
    from hub.interviews.models import InterviewSlot, SlotStatus
    from hub.settings import Settings

    now = dt.datetime.now(dt.UTC)
    db = admin.open_db(Settings(home=hub_home, public_url=url))
    try:
        with db.read() as session:
            return session.scalar(
                select(InterviewSlot.posting_id)
                .where(
                    InterviewSlot.booth_id == booth_id,
                    InterviewSlot.status == SlotStatus.OPEN,
                    InterviewSlot.starts_at > now + dt.timedelta(minutes=6),
                )
                .order_by(InterviewSlot.starts_at)
                .limit(1)
            )
    finally:
        db.dispose()


def _enroll(hub_home: Path, url: str, role: str, device_home: Path) -> int:
    """Enrols the demo device once; returns its id."""
    from hub import admin
    from hub.settings import Settings
    from sync.enroll import enroll
    from sync.errors import NotEnrolled
    from sync.store import DeviceStore

    store = DeviceStore.in_home(device_home)
    try:
        return store.enrollment().device_id
    except NotEnrolled:
        pass
    finally:
        store.close()
    settings = Settings(home=hub_home, public_url=url)
    device_id, code = admin.add_device(settings, DEVICE_NAMES[role], role, 1, _device_config(role))
    enroll(url, code, device_home, fingerprint=admin.key_fingerprint(settings))
    if role == "booth":  # the booth machine's own browsers: the hub's setting only picks one by name
        machine.write(device_home, browsers={"standin": [sys.executable, "-m", "lingong.demo_browser"]})
    return device_id


def run_demo(args: argparse.Namespace) -> int:
    taken = port_taken(args.port)
    if taken:
        print(taken, file=sys.stderr, flush=True)
        return 2
    home = (args.home or paths.home() / "demo").resolve()
    command = lingong_command()
    if args.fresh and home.exists():
        shutil.rmtree(home)
    hub_home, logs = home / "hub", home / "logs"
    for folder in (hub_home, logs):
        folder.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{args.port}"
    print(f"lingong demo: state in {home}", flush=True)
    password = _prepare_hub(hub_home, url, args.postings)
    children: dict[str, subprocess.Popen] = {}
    slot_posting = None
    children["hub"] = _start(["hub", "--port", str(args.port)], hub_home, logs / "hub.log", LINGONG_PUBLIC_URL=url)
    try:
        _wait_healthy(url, children["hub"])
        for role, program in DEVICE_PROGRAMS.items():
            device_home = home / role
            device_id = _enroll(hub_home, url, role, device_home)
            if role == "booth":
                _offer_slots(hub_home, url, device_id)
                slot_posting = _slot_posting(hub_home, url, device_id)
            children[role] = _start(program, device_home, logs / f"{role}.log")
        print(f"hub:          {url}", flush=True)
        print(
            f"staff login:  {DEMO_USER} / {password}  at {url}/staff  (staff of the demo devices' station)", flush=True
        )
        print(
            f"{'':14}{DEMO_ADMIN} / {password}  (an administrator: enrols an authenticator app at first sign-in)",
            flush=True,
        )
        from device.env import has_screen

        for role in DEVICE_PROGRAMS:
            print(
                f"{role + ':':13} {command} {' '.join(DEVICE_PROGRAMS[role])} in {home / role}"
                f"  (log: {logs / (role + '.log')})",
                flush=True,
            )
            if not has_screen() and DEVICE_PROGRAMS[role][0] != "agent":
                print(
                    f"{'':13} no screen here: it runs offscreen and keeps a picture at "
                    f"{home / role / 'screens' / (role + '.png')}",
                    flush=True,
                )
        number, name = DEMO_CARD
        print(f"try a card:   LINGONG_HOME={home / 'kiosk'} {command} card tap {number} --name {name}", flush=True)
        print(
            f"no screen?    walk the kiosk as text (its own flow, its own store; add steps to choose):\n"
            f"{'':14}LINGONG_HOME={home / 'kiosk'} {command} kiosk walk",
            flush=True,
        )
        walk_booking = (
            f"{'':14}no screen: LINGONG_HOME={home / 'kiosk'} {command} kiosk walk "
            f"card:{number}:{name} open_job:{slot_posting} start_booking  (then again with tile:slot:N)\n"
            if slot_posting
            else ""
        )
        print(
            f"video booth:  book 预约视频面试 at the kiosk (the first time offered), then tap the card at the booth:\n"
            f"{walk_booking}"
            f"{'':14}LINGONG_HOME={home / 'booth'} {command} card tap {number} --name {name}\n"
            f"{'':14}the rooms the booth's browser opened are listed in {home / 'booth' / 'browser.log'}",
            flush=True,
        )
        print("press Ctrl-C to stop" if not args.duration else f"running for {args.duration:.0f} s", flush=True)
        deadline = time.monotonic() + args.duration if args.duration else None
        while deadline is None or time.monotonic() < deadline:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(f"{name} stopped (exit {proc.returncode}); see {logs / (name + '.log')}", flush=True)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in children.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in children.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    return 0
