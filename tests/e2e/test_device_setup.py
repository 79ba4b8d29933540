"""`lingong device setup --root DIR` for each kind of device, as an image builder runs it: it enrolls
with a real hub, systemd's own tools make its user and folders, every unit it wrote passes
`systemd-analyze verify`, `lingong device doctor` reads the result, and the unit's command line —
started as systemd starts it, the compositor aside — runs the real program up to READY=1."""

import configparser
import os
import shlex
import shutil
import socket
import subprocess

import pytest

from device.setup import files
from device.setup.kinds import KINDS, PREFIX, STATE
from tests.support.hub import LiveHub, lingong, lingong_env

SYSTEMD_UNITS = "/usr/lib/systemd/system"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """One hub for the three kinds (each test enrolls a device of its own)."""
    folder = tmp_path_factory.mktemp("hub")
    hub = LiveHub(folder, f"sqlite:///{folder / 'hub.db'}")
    hub.seed(postings=40)
    hub.start()
    yield hub
    hub.stop()


def service(root) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(root / "etc/systemd/system" / files.UNIT)
    return parser


def command(line: str, root) -> list[str]:
    """A unit's command line as it runs under DIR: the compositor's part (cage, which needs a seat)
    left out, the installed paths under DIR."""
    argv = shlex.split(line)
    if argv[0] == "/usr/bin/cage":
        argv = argv[argv.index("--") + 1 :]
    return [str(root / a.lstrip("/")) if a.startswith(PREFIX) else a for a in argv]


def as_a_system(root) -> None:
    """What verify reads besides our files: systemd's own units, and the programs ExecStart names
    (a missing one is an error)."""
    (root / "usr/lib/systemd").mkdir(parents=True, exist_ok=True)
    shutil.copytree(SYSTEMD_UNITS, root / "usr/lib/systemd/system", symlinks=True, dirs_exist_ok=True)
    cage = shutil.which("cage")
    assert cage, "cage is missing (Debian package cage: `make test` installs it)"
    (root / "usr/bin").mkdir(parents=True, exist_ok=True)
    shutil.copy2(cage, root / "usr/bin/cage")


def starts_and_says_ready(argv: list[str], environment: dict, tmp_path) -> str:
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(address)
        systemd.settimeout(90)  # a guard against a hang, not a speed
        program = subprocess.Popen(
            argv,
            env={**environment, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "30000000"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            heard = systemd.recv(64).decode()
        finally:
            program.terminate()
            _, err = program.communicate(timeout=30)
        os.unlink(address)
    assert heard == "READY=1", err[-2000:]
    return err


@pytest.mark.parametrize("kind", list(KINDS))
def test_setup_writes_units_systemd_accepts_and_their_command_runs(hub, tmp_path, kind):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (Debian package systemd)"
    root = tmp_path / "root"
    code = hub.add_device(kind, 1, layout="table")
    done = lingong("device", "setup", "--root", str(root), "--hub", hub.url, "--code", code, home=tmp_path)
    assert f"set up as a {kind}: device #" in done.stdout

    # systemd's tools made the user and its folders under DIR.
    assert "lingong:x:" in (root / "etc/passwd").read_text()
    assert (root / STATE.lstrip("/")).stat().st_mode & 0o777 == 0o700
    as_a_system(root)
    verify = subprocess.run(
        [analyze, "verify", f"--root={root}", files.UNIT], capture_output=True, text=True, timeout=60
    )
    assert verify.returncode == 0 and not (verify.stdout + verify.stderr).strip(), verify.stdout + verify.stderr
    enabled = root / "etc/systemd/system/graphical.target.wants" / files.UNIT
    assert enabled.is_symlink()

    unit = service(root)
    s = unit["Service"]
    assert s["Type"] == "notify" and s["NotifyAccess"] == "all" and int(s["WatchdogSec"]) > 0
    assert s["Restart"] == "always" and unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert s["ExecStart"].startswith("/usr/bin/cage -d -- ")  # no -s: no switching away from the screen
    udev = root / "etc/udev/rules.d/70-lingong-reader.rules"
    assert udev.exists() == KINDS[kind].reads_cards

    # The doctor reads what set-up left: enrolled, the hub answers; the reader is not plugged in here.
    doctor = lingong("device", "doctor", "--root", str(root), home=tmp_path, check=False)
    lines = doctor.stdout.splitlines()
    assert any(line.startswith("OK   enrolled: device #") for line in lines), doctor.stdout
    assert any(line.startswith("OK   hub:") for line in lines), doctor.stdout
    assert any(line.startswith("OK   unit:") for line in lines), doctor.stdout
    if KINDS[kind].reads_cards:
        assert doctor.returncode == 1 and any(line.startswith("FIX  card reader:") for line in lines), doctor.stdout
    else:
        assert doctor.returncode == 0, doctor.stdout

    # The unit's own command lines, in its environment, run the real programs.
    environment = lingong_env(tmp_path)
    for assignment in shlex.split(s.get("Environment", "")):
        name, value = assignment.split("=", 1)
        environment[name] = str(root / value.lstrip("/")) if value.startswith("/var/lib") else value
    environment.pop("PYTHONPATH", None)  # (the version's environment finds lingong by itself)
    if "ExecStartPre" in s:
        subprocess.run(command(s["ExecStartPre"], root), env=environment, check=True, timeout=60)
    argv = command(s["ExecStart"], root)
    assert argv == [str(root / PREFIX.lstrip("/") / "current/bin/lingong"), KINDS[kind].verb]
    starts_and_says_ready([*argv, "--size", "640x480"], environment, tmp_path)
