"""`lingong demo`: a hub with demo data, an enrolled kiosk and wall display, all on this machine."""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from . import paths

DEMO_USER = "demo"
# Which program runs each demo device (the device issues add their own screens here).
DEVICE_PROGRAMS = {"kiosk": ["kiosk", "--reader", "sim"], "display": ["display"]}


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGONG_")}
    env.update(LINGONG_HOME=str(home), PYTHONUNBUFFERED="1", **extra)
    return env


def _start(args: list[str], home: Path, log: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lingong.cli", *args], env=_env(home, **extra),
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the hub stopped while starting (exit {proc.returncode})")
        try:
            if requests.get(url + "/healthz", timeout=1).ok:
                return
        except requests.ConnectionError:
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
        admin.seed_hub(settings, postings, 7)
        password = secrets.token_urlsafe(9)
        admin.create_user(settings, DEMO_USER, "admin", password, [])
        paths.write_private(password_file, password.encode())
    return password_file.read_text().strip()


def _enroll(hub_home: Path, url: str, role: str, device_home: Path) -> None:
    from hub import admin
    from hub.settings import Settings
    from sync.enroll import enroll
    from sync.errors import NotEnrolled
    from sync.store import DeviceStore

    store = DeviceStore.in_home(device_home)
    try:
        store.enrollment()
        return
    except NotEnrolled:
        pass
    finally:
        store.close()
    settings = Settings(home=hub_home, public_url=url)
    config = {"dwell_s": 8.0} if role == "display" else None  # pages turn often enough to be seen
    _, code = admin.add_device(settings, f"演示{'一体机' if role == 'kiosk' else '大屏'}", role, 1, config)
    enroll(url, code, device_home)


def run_demo(args: argparse.Namespace) -> int:
    home = (args.home or paths.home() / "demo").resolve()
    if args.fresh and home.exists():
        shutil.rmtree(home)
    hub_home, logs = home / "hub", home / "logs"
    for folder in (hub_home, logs):
        folder.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{args.port}"
    print(f"lingong demo: state in {home}", flush=True)
    password = _prepare_hub(hub_home, url, args.postings)
    children: dict[str, subprocess.Popen] = {}
    children["hub"] = _start(["hub", "--port", str(args.port)], hub_home, logs / "hub.log", LINGONG_PUBLIC_URL=url)
    try:
        _wait_healthy(url, children["hub"])
        for role, program in DEVICE_PROGRAMS.items():
            device_home = home / role
            _enroll(hub_home, url, role, device_home)
            children[role] = _start(program, device_home, logs / f"{role}.log")
        print(f"hub:          {url}  (API docs at {url}/docs)", flush=True)
        print(f"staff login:  {DEMO_USER} / {password}  at {url}/staff", flush=True)
        from lingong.ui.env import has_screen

        for role in DEVICE_PROGRAMS:
            print(f"{role + ':':13} {' '.join(DEVICE_PROGRAMS[role])} in {home / role}  (log: {logs / (role + '.log')})",
                  flush=True)
            if not has_screen() and DEVICE_PROGRAMS[role][0] != "agent":
                print(f"{'':13} no screen here: it runs offscreen and keeps a picture at "
                      f"{home / role / 'screens' / (role + '.png')}", flush=True)
        print(f"try a card:   LINGONG_HOME={home / 'kiosk'} lingong card tap 11010519491231002X --name 张三", flush=True)
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
