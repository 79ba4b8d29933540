"""A version's environment: a new venv beside the running ones, the release wheel in it, the dependencies shared.

Why the dependencies are shared: a device is set up once with lingong[device] (Kivy, pyscard built
from source …) in one environment; reinstalling all that per update would take minutes and a
network. Each version's venv holds only lingong itself and a `.pth` that adds the set-up
environment's site-packages (with `site.addsitedir`, so the `.pth` files there work too) after its
own: the release's code wins, the dependencies are the ones already there. pip installs the wheel
with its `device` extra against exactly that path and no index, so a release that needs a
dependency the device lacks fails before anything is installed, with pip's words for what is missing."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

from wire.releases import wheel_name

from .errors import UpdateError
from .faults import checkpoint
from .layout import COMPLETE, NEW_FILE, Layout, refuse_links, write_durably

PIP_TIMEOUT_S = 600


def _site_packages(env: Path) -> Path:
    return env / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def _make_venv(target: Path, path_lines: list[str]) -> None:
    # The interpreter under the running venv, so every version runs the Python the dependencies were built for.
    venv.EnvBuilder(with_pip=False, symlinks=True, clear=True).create(target)
    lib = _site_packages(target)
    lib.mkdir(parents=True, exist_ok=True)
    (lib / "lingong-deps.pth").write_text("".join(f"{line}\n" for line in path_lines), encoding="utf-8")


def _finish(layout: Layout, version: str) -> None:
    """Everything of the version to the disk, then the mark that says it is whole."""
    os.sync()  # pip wrote thousands of files without fsync: one sync of the file system is the cheap way
    write_durably(layout.version_dir(version) / COMPLETE, f"{version}\n".encode())


def init(layout: Layout, version: str) -> str:
    """Makes the first version from the environment this command runs in (the one the device was set
    up with), and points `current` and `good` at it. Idempotent."""
    if layout.complete(layout.pointed(layout.good)) and layout.complete(layout.pointed(layout.current)):
        return f"already set up: current {layout.pointed(layout.current)}, good {layout.pointed(layout.good)}"
    refuse_links(layout.versions, layout.deps_file, layout.state_file, layout.version_dir(version))
    layout.versions.mkdir(parents=True, exist_ok=True)
    deps = [f"import site; site.addsitedir({p!r})" for p in site.getsitepackages()]
    write_durably(layout.deps_file, "".join(f"{line}\n" for line in deps).encode())
    source = Path(__file__).resolve().parents[2]  # where this lingong's packages are
    installed = any(source == Path(p).resolve() for p in site.getsitepackages())
    # From a source checkout (development, tests), the first version runs that checkout.
    target = layout.version_dir(version)
    _make_venv(target, ([] if installed else [str(source)]) + deps)
    # The command every version has (pip writes it for a wheel; this one has no wheel of its own).
    script = target / "bin" / "lingong"
    python = target / "bin" / "python"
    with os.fdopen(os.open(script, NEW_FILE, 0o755), "w") as f:
        f.write(f"#!{python}\nimport sys\n\nfrom lingong.cli import main\n\nsys.exit(main())\n")
    _finish(layout, version)
    layout.point(layout.good, version)
    layout.point(layout.current, version)
    return f"set up {layout.root}: version {version} is current and good"


def install(layout: Layout, version: str, wheel: Path) -> None:
    """The verified wheel into versions/<version>/, marked complete last. A folder left half-made by
    an earlier attempt is removed first."""
    target = layout.version_dir(version)
    refuse_links(layout.versions, target)
    if layout.complete(version):
        return
    if target.exists():
        shutil.rmtree(target)
    deps = layout.deps_file.read_text(encoding="utf-8").splitlines() if layout.deps_file.is_file() else []
    _make_venv(target, deps)
    checkpoint("install")
    # pip wants the wheel under its proper name; the name is made here from the verified version.
    named = wheel if wheel.name == wheel_name(version) else wheel.with_name(wheel_name(version))
    if named != wheel:
        os.replace(wheel, named)
    python = target / "bin" / "python"
    command = [str(python), "-m", "pip", "install", "--no-index", "--no-compile", "--no-cache-dir"]
    command += ["--disable-pip-version-check", "--no-input", "--quiet", "--no-warn-script-location"]
    env = {k: v for k, v in _clean_env().items() if not k.startswith("PIP_")}
    try:
        out = subprocess.run(
            [*command, f"{named}[device]"], capture_output=True, text=True, timeout=PIP_TIMEOUT_S, env=env
        )
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise UpdateError("install", "安装超时", final=False) from exc
    if out.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        words = (out.stderr or out.stdout).strip().splitlines()
        missing = [w for w in words if "No matching distribution" in w or "Could not find a version" in w]
        if missing:
            raise UpdateError("dependencies", "缺少依赖，没有安装：" + missing[-1][-160:])
        if any("No space left on device" in w or "[Errno 28]" in w for w in words):
            # The device's disk, not the release: tried again at the next offer.
            raise UpdateError("install", "磁盘已满，没有安装：稍后重试", final=False)
        raise UpdateError("install", "安装失败：" + (words[-1][-160:] if words else f"pip exit {out.returncode}"))
    checkpoint("installed")
    smoke(target, version)
    _finish(layout, version)


def smoke(target: Path, version: str) -> None:
    """The new version's own command says its own version: it imports, and it is the one signed."""
    try:
        out = subprocess.run(
            [str(target / "bin" / "lingong"), "--version"], capture_output=True, text=True, timeout=60, env=_clean_env()
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise UpdateError("health", f"新版本无法运行：{type(exc).__name__}") from exc
    if out.returncode != 0 or out.stdout.strip() != f"lingong {version}":
        shutil.rmtree(target, ignore_errors=True)
        said = (out.stderr or out.stdout).strip().splitlines()
        raise UpdateError("health", "新版本无法运行：" + (said[-1][-160:] if said else f"exit {out.returncode}"))


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
