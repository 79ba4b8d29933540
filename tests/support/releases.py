"""Wheels of this project at other versions (built offline, as test_packaging does); a device run as its unit would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.hub import ROOT

CACHE = ROOT / ".ci" / "cache"
WHEELS = CACHE / "wheels"
PACKAGES = ("lingong", "floor", "wire", "device", "hub", "sync", "cardreader", "kiosk", "display", "assets")


def _run(*cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)


def build_venv() -> Path:
    """setuptools and wheel from the wheelhouse, kept between runs (the same one test_packaging keeps)."""
    assert (WHEELS / ".made").exists(), "no wheelhouse: `make test` makes it (make .ci/cache/wheels/.made)"
    build = CACHE / "venvs" / "build"
    if not (build / "complete").exists():
        shutil.rmtree(build, ignore_errors=True)
        assert _run(sys.executable, "-m", "venv", "--without-pip", build).returncode == 0
        pip = [sys.executable, "-m", "pip", "--python", build / "bin" / "python", "install", "--quiet", "--no-index"]
        out = _run(*pip, "--find-links", WHEELS, "setuptools", "wheel")
        assert out.returncode == 0, out.stderr[-3000:]
        (build / "complete").write_text("")
    return build


def build_wheel(work: Path, version: str, edits: dict[str, tuple[str, str]] | None = None) -> Path:
    """This tree's wheel at `version`: a copy with floor/__init__.py's version line changed (the one
    source of the version), and `edits` (file → (text, replacement)) made to the copy."""
    src, dist = work / f"src-{version}", work / f"dist-{version}"
    for name in PACKAGES:
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for file, (old, new) in {
        "floor/__init__.py": ('__version__ = "0.1.0"', f'__version__ = "{version}"'),
        **(edits or {}),
    }.items():
        text = (src / file).read_text(encoding="utf-8")
        assert old in text, f"{file} has no {old!r}"
        (src / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    dist.mkdir()
    backend = f"from setuptools import build_meta; build_meta.build_wheel({str(dist)!r})"
    out = _run(build_venv() / "bin" / "python", "-c", backend, cwd=src)
    assert out.returncode == 0, out.stderr[-3000:]
    shutil.rmtree(src)
    (built,) = dist.glob(f"lingong-{version}-*.whl")
    return built


class Unit:
    """A device under a systemd unit as `lingong device setup` writes it: `good/bin/lingong update
    guard` before every start, then `current/bin/lingong agent`, started again whenever it ends."""

    def __init__(self, prefix: Path, home: Path):
        self.prefix, self.home = prefix, home
        self.starts = 0
        self.log = home / "unit.log"

    def env(self, **extra: str) -> dict[str, str]:
        # Nothing of this test's own Python: the device runs only what its prefix holds.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINGONG_", "PYTHON"))}
        return {**env, "LINGONG_HOME": str(self.home), "LINGONG_LOG_LEVEL": "INFO", **extra}

    def guard(self) -> str:
        out = _run(self.prefix / "good" / "bin" / "lingong", "update", "guard", "--prefix", self.prefix, env=self.env())
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def start(self, **env: str) -> subprocess.Popen:
        said = self.guard()
        self.starts += 1
        with open(self.log, "a") as log:
            log.write(f"--- start {self.starts} {env} / {said}\n")
            log.flush()
            return subprocess.Popen(
                [self.prefix / "current" / "bin" / "lingong", "agent", "--heartbeat", "0.3", "--longpoll", "2"],
                env=self.env(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def run_until(self, done: Callable[[], bool], timeout: float = 120, **env: str) -> None:
        """Starts the device again and again (Restart=always) until `done`, then stops it."""
        deadline = time.monotonic() + timeout  # a guard against a hang, not a speed
        proc = self.start(**env)
        try:
            while not done():
                assert time.monotonic() < deadline, self.log.read_text()[-4000:]
                if proc.poll() is not None:
                    proc = self.start()
                time.sleep(0.1)
        finally:
            self.stop(proc)

    def killed_at(self, step: str, timeout: float = 120) -> None:
        """One start that must end SIGKILLed at `step` of an update (LINGONG_UPDATE_KILL_AT)."""
        proc = self.start(LINGONG_UPDATE_KILL_AT=step)
        try:
            code = proc.wait(timeout)
        finally:
            self.stop(proc)
        assert code == -9, f"not killed at {step} (exit {code}):\n{self.log.read_text()[-4000:]}"

    @staticmethod
    def stop(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(30)
