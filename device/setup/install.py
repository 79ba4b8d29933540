"""Set-up itself: enroll, install the kind's packages, write the files, make the first version's
environment, enable the unit. With `root` set, the same files are written under that folder and
nothing on the machine is touched (tests, image builders)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from floor import __version__

from . import files
from .errors import NotRoot, SetupError, StepFailed
from .kinds import PREFIX, STATE, USER, Kind, kind, packages, usb_ids


@dataclass
class Options:
    hub: str | None = None
    code: str | None = None
    fingerprint: str | None = None
    update_fingerprint: str | None = None
    kind: str = "auto"
    reader: str = "sam"
    usb: list[str] = field(default_factory=list)
    root: Path | None = None  # None: this machine
    install_packages: bool = True


@dataclass
class Report:
    kind: str
    wrote: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    enrolled: str = ""


def under(root: Path, path: str) -> Path:
    return root / path.lstrip("/")


def setup(o: Options) -> Report:
    root = o.root or Path("/")
    live = o.root is None
    if live and os.geteuid() != 0:
        raise NotRoot("set-up changes this machine (packages, a user, units): run it as root, or give --root DIR")
    state = under(root, STATE)
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    name, enrolled = _enroll(o, state)
    k = kind(name)
    report = Report(k.name, enrolled=enrolled, packages=packages(k, o.reader))
    if live and o.install_packages:
        _run(report, ["apt-get", "install", "-y", "--no-install-recommends", *report.packages], apt=True)
    _write_files(report, root, k, o)
    tool_root = [] if live else [f"--root={root}"]
    _run(report, ["systemd-sysusers", *tool_root, str(under(root, "/etc/sysusers.d/lingong.conf"))])
    _run(report, ["systemd-tmpfiles", "--create", *tool_root, str(under(root, "/etc/tmpfiles.d/lingong.conf"))])
    report.wrote.append(str(first_version(under(root, PREFIX))))
    from device import machine

    report.wrote.append(str(machine.write(state, **files.machine(o.reader if k.reads_cards else "sim"))))
    if live:
        _run(report, ["chown", "-R", f"{USER}:{USER}", str(state), PREFIX])
    _run(report, ["systemctl", *tool_root, "enable", files.UNIT])
    if live and Path("/run/systemd/system").is_dir():  # systemd is running this machine: start it now
        _run(report, ["systemctl", "daemon-reload"])
        if k.reads_cards and o.reader == "sam":
            _run(report, ["udevadm", "control", "--reload"])
            _run(report, ["udevadm", "trigger", "--subsystem-match=tty"])
        _run(report, ["systemctl", "restart", files.UNIT])
    return report


def _enroll(o: Options, state: Path) -> tuple[str, str]:
    """The kind (from the hub when enrolling, else from --kind) and, when enrolling, what was enrolled."""
    from sync.errors import NotEnrolled
    from sync.store import DeviceStore

    if o.code:
        if not o.hub:
            raise SetupError("--code needs --hub (the hub's address, https://…)")
        from sync.enroll import enroll

        e = enroll(o.hub, o.code, state, fingerprint=o.fingerprint, update_fingerprint=o.update_fingerprint)
        got, said = e.kind, f"device #{e.device_id} ({e.kind}) at {e.hub_url}"
    else:
        store = DeviceStore.in_home(state)
        try:
            e = store.enrollment()
            got, said = e.kind, f"device #{e.device_id} ({e.kind}) at {e.hub_url}, enrolled before"
        except NotEnrolled:
            got, said = "", ""
        finally:
            store.close()
    if o.kind != "auto" and got and got != o.kind:
        raise SetupError(f"the hub made this device a {got}, not a {o.kind}: leave out --kind, or make a new device")
    name = got or o.kind
    if name == "auto":
        raise SetupError("not enrolled: give --hub URL --code CODE (staff console), or --kind to go on without")
    return name, said


def _write_files(report: Report, root: Path, k: Kind, o: Options) -> None:
    wanted = {
        f"/etc/systemd/system/{files.UNIT}": files.unit(k),
        f"/etc/pam.d/{files.PAM}": files.pam(),
        "/etc/systemd/logind.conf.d/lingong.conf": files.logind(),
        "/etc/sysusers.d/lingong.conf": files.sysusers(k),
        "/etc/tmpfiles.d/lingong.conf": files.tmpfiles(),
    }
    if k.reads_cards and o.reader == "sam":
        wanted["/etc/udev/rules.d/70-lingong-reader.rules"] = files.udev(usb_ids(o.usb))
    for path, text in wanted.items():
        target = under(root, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".new")
        temporary.write_text(text, encoding="utf-8")
        temporary.chmod(0o644)
        os.replace(temporary, target)
        report.wrote.append(str(target))


def first_version(prefix: Path) -> Path:
    """versions/<this version>, made from the environment set-up runs in, with `current` and `good`
    pointing at it (device/update/install.py: later versions come as signed updates)."""
    from device.update.errors import UpdateError
    from device.update.install import init
    from device.update.layout import Layout

    layout = Layout(prefix)
    try:
        init(layout, __version__)
    except UpdateError as exc:  # (a link planted in the prefix, a full disk: said, never followed)
        raise SetupError(str(exc)) from exc
    return layout.version_dir(__version__)


def _run(report: Report, argv: list[str], apt: bool = False) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"} if apt else None
    program = shutil.which(argv[0])
    if program is None:
        raise StepFailed(f"{argv[0]} is not installed here (Debian: systemd, apt); set-up needs it")
    done = subprocess.run([program, *argv[1:]], capture_output=True, text=True, env=env, timeout=1800)
    report.ran.append(" ".join(argv))
    if done.returncode != 0:
        raise StepFailed(f"{' '.join(argv)} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-2000:]}")
