"""`lingong device doctor`: what is installed, enrolled, running and reachable on this device, each
line OK or what to do about it."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import files
from .kinds import PREFIX, READER_LINK, STATE, kind, packages

NOT_ENROLLED = "no: `lingong device setup --hub URL --code CODE` (the code: staff console)"


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    detail: str  # what was found, or what to do

    def line(self) -> str:
        return f"{'OK ' if self.ok else 'FIX'}  {self.what}: {self.detail}"


def run(root: Path | None = None, reach: bool = True) -> list[Check]:
    """Every check, in the order an installer fixes things. `root`: a folder set-up wrote with --root."""
    base = root or Path("/")
    state = base / STATE.lstrip("/")
    checks: list[Check] = []
    enrollment = _enrollment(state, checks)
    name = enrollment.kind if enrollment else None
    checks.append(_versions(base / PREFIX.lstrip("/")))
    unit = base / "etc/systemd/system" / files.UNIT
    wants = base / "etc/systemd/system/graphical.target.wants" / files.UNIT
    if not unit.is_file():
        checks.append(Check("unit", False, "not written: run `lingong device setup` as root"))
    elif not wants.is_symlink():  # (its target is /etc/…: under --root it is not followed)
        checks.append(Check("unit", False, f"written but not enabled: systemctl enable {files.UNIT}"))
    else:
        checks.append(Check("unit", True, f"{files.UNIT} enabled at boot"))
    if root is None:
        checks.append(_running())
    if name:
        reader = _reader_name(state)
        if root is None:
            checks.append(_packages(name, reader))
        if kind(name).reads_cards:
            checks.append(_reader(base, reader))
    if enrollment and reach:
        checks.append(_reachable(state))
    checks.append(_restarts(state))
    return checks


def _enrollment(state: Path, checks: list[Check]):
    from sync.errors import NotEnrolled
    from sync.store import FILE_NAME, DeviceStore

    if not (state / FILE_NAME).exists():
        checks.append(Check("enrolled", False, NOT_ENROLLED))
        return None
    store = DeviceStore.in_home(state)
    try:
        e = store.enrollment()
    except NotEnrolled:
        checks.append(Check("enrolled", False, NOT_ENROLLED))
        return None
    finally:
        store.close()
    checks.append(Check("enrolled", True, f"device #{e.device_id} ({e.kind}) at {e.hub_url}"))
    return e


def _versions(prefix: Path) -> Check:
    current, good = prefix / "current", prefix / "good"
    runnable = (current / "bin" / "lingong").is_file() and os.access(current / "bin" / "lingong", os.X_OK)
    if not runnable:
        return Check("version", False, f"no {current}/bin/lingong: not set up yet (`lingong device setup`, as root)")
    said = f"running {os.readlink(current)}" if current.is_symlink() else str(current)
    if good.is_symlink() and os.readlink(good) != os.readlink(current):
        said += f", trying it (last good: {os.readlink(good)})"
    return Check("version", True, said)


def _running() -> Check:
    if not Path("/run/systemd/system").is_dir():
        return Check("running", False, "systemd is not running this machine: the unit cannot start here")
    done = subprocess.run(["systemctl", "is-active", files.UNIT], capture_output=True, text=True, timeout=30)
    state = done.stdout.strip() or "unknown"
    return Check("running", state == "active", state if state == "active" else f"{state}: journalctl -u {files.UNIT}")


def _packages(name: str, reader: str) -> Check:
    missing = []
    for package in packages(kind(name), reader):
        done = (
            subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, timeout=30)
            if shutil.which("dpkg-query")
            else None
        )
        if done is None or "install ok installed" not in done.stdout:
            missing.append(package)
    if missing:
        return Check("packages", False, f"apt-get install {' '.join(missing)}")
    return Check("packages", True, "all installed")


def _reader_name(state: Path) -> str:
    from device.machine import Machine, MachineFileError

    try:
        machine = Machine.load(state)
    except MachineFileError:
        return "sim"
    return machine.readers.get(machine.reader, "sim").split(":", 1)[0]  # sam:/dev/… → sam


def _reader(base: Path, reader: str) -> Check:
    if reader == "sam":
        link = base / "dev" / READER_LINK
        if link.exists():
            return Check("card reader", True, f"/dev/{READER_LINK} → {os.path.realpath(link)}")
        return Check(
            "card reader",
            False,
            f"/dev/{READER_LINK} missing: plug the reader in; a bridge the udev rule does not know: "
            "`lingong device setup --usb VENDOR:PRODUCT` (see lsusb)",
        )
    if reader == "pcsc":
        socket = base / "run/pcscd/pcscd.comm"
        return Check("card reader", socket.exists(), "pcscd answers" if socket.exists() else "systemctl start pcscd")
    return Check("card reader", True, f"{reader} (no reader hardware to check)")


def _reachable(state: Path) -> Check:
    from sync.errors import SyncError
    from sync.session import HubSession, RetryPolicy
    from sync.store import DeviceStore

    store = DeviceStore.in_home(state)
    try:
        e = store.enrollment()
    finally:
        store.close()
    session = HubSession(e.hub_url, token=e.token, retry=RetryPolicy(attempts=1))
    try:
        session.device_doc()
    except SyncError as exc:
        return Check("hub", False, f"{e.hub_url}: {exc}")
    finally:
        session.close()
    return Check("hub", True, f"{e.hub_url} answers and knows this device")


def _restarts(state: Path) -> Check:
    from device import restarts

    said = restarts.current(state)
    if not said.get("restarts"):
        return Check("restarts", True, "none")
    return Check("restarts", True, f"{said['restarts']}, the last: {said['last_restart']}")
