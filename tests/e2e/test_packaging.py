"""lingong[hub] alone, from its wheel, in clean virtualenvs on 3.11 and on one newer Python: no Kivy or
pyscard installed, the hub's verbs work, a device verb says which extra it needs, hub tests pass.

The dependencies come from the wheelhouse `make` fills once (.ci/cache/wheels, pinned by constraints.txt)
and each venv is kept under .ci/cache/venvs, named by what went into it: a later run only rebuilds
lingong's own wheel and reinstalls it (--no-deps), so the test costs seconds, offline.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.hub import ROOT

CACHE = ROOT / ".ci" / "cache"
WHEELS = CACHE / "wheels"
PACKAGES = ("lingong", "floor", "wire", "device", "hub", "sync", "cardreader", "kiosk", "display", "assets")
# Hub unit tests that need neither the suite's fixtures (conftest) nor anything of the device side.
HUB_TESTS = (
    "test_settings.py",
    "test_scope.py",
    "test_sealed.py",
    "test_outreach_ranking.py",
    "test_trust_screening.py",
)


def newer_python() -> str | None:
    """The interpreter the Makefile's NEWER_PY finds (same order): 3.13, then 3.12, that really runs."""
    home = os.path.expanduser("~")
    candidates = ["python3.13", "python3.12"]
    candidates += sorted(glob.glob(f"{home}/.pyenv/versions/3.13*/bin/python3.13"))
    candidates += sorted(glob.glob(f"{home}/.pyenv/versions/3.12*/bin/python3.12"))
    for candidate in candidates:
        path = shutil.which(candidate)
        if path and subprocess.run([path, "-c", "import sys"], capture_output=True).returncode == 0:
            return path
    return None


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """lingong's wheel built from a copy of this tree (an in-tree build would leave build/ behind)."""
    assert (WHEELS / ".made").exists(), "no wheelhouse: `make test` makes it (make .ci/cache/wheels/.made)"
    src = tmp_path_factory.mktemp("src")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    build = CACHE / "venvs" / "build"  # setuptools and wheel from the wheelhouse, kept: no network, no pip per run
    if not (build / "complete").exists():
        shutil.rmtree(build, ignore_errors=True)
        assert run(sys.executable, "-m", "venv", "--without-pip", build).returncode == 0
        pip = [sys.executable, "-m", "pip", "--python", build / "bin" / "python", "install", "--quiet", "--no-index"]
        out = run(*pip, "--find-links", WHEELS, "setuptools", "wheel")
        assert out.returncode == 0, out.stderr[-3000:]
        (build / "complete").write_text("")
    backend = f"from setuptools import build_meta; build_meta.build_wheel({str(dist)!r})"
    out = run(build / "bin" / "python", "-c", backend, cwd=src)
    assert out.returncode == 0, out.stderr[-3000:]
    (built,) = dist.glob("lingong-*.whl")
    return built


def hub_venv(python: str, wheel: Path, *extra: str) -> Path:
    """A venv holding lingong[hub] (and `extra`) and nothing else, made once per pins and interpreter."""
    version = run(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").stdout.strip()
    # Named by what it installs (the hub's requirements, the pins, `extra`), not by every edit of pyproject.toml.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needs = project["dependencies"] + project["optional-dependencies"]["hub"] + list(extra)
    key = hashlib.sha256((ROOT / "constraints.txt").read_bytes() + json.dumps(needs).encode())
    venv = CACHE / "venvs" / f"hub-{version}-{key.hexdigest()[:12]}"
    # pip of this venv installs into the new one (--python): the new venv needs no pip of its own.
    pip = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-index"]
    complete = venv / "complete"
    if complete.exists():  # the same pins: only lingong itself changes
        out = run(*pip, "--no-deps", "--force-reinstall", wheel)
        assert out.returncode == 0, out.stderr[-3000:]
        return venv
    for old in (CACHE / "venvs").glob(f"hub-{version}-*"):  # other pins' venvs, or one left half-made
        shutil.rmtree(old)
    out = run(python, "-m", "venv", "--without-pip", venv)
    assert out.returncode == 0, out.stderr
    out = run(*pip, "--find-links", WHEELS, "-c", ROOT / "constraints.txt", f"{wheel}[hub]", *extra)
    assert out.returncode == 0, out.stderr[-3000:]
    complete.write_text("")
    return venv


WHAT_IS_THERE = """
import importlib.util, importlib.metadata, json
print(json.dumps({
    "modules": {m: importlib.util.find_spec(m) is not None for m in ("kivy", "smartcard", "aiohttp", "fastapi")},
    "dists": sorted(d.metadata["Name"].lower() for d in importlib.metadata.distributions()),
    "hub_from": __import__("hub").__file__,
}))
"""


def check_hub_only(venv: Path, tmp_path: Path, *, migrate: bool) -> None:
    py, lingong = venv / "bin" / "python", venv / "bin" / "lingong"
    there = json.loads(run(py, "-c", WHAT_IS_THERE, cwd=tmp_path).stdout)
    assert there["modules"] == {"kivy": False, "smartcard": False, "aiohttp": False, "fastapi": True}, there
    assert not {"kivy", "pyscard", "pyserial", "requests", "aiohttp", "pillow"} & set(there["dists"]), there
    assert there["hub_from"].startswith(str(venv)), there  # the installed wheel, not this tree

    out = run(lingong, "hub", "--help", cwd=tmp_path)
    assert out.returncode == 0 and "--port" in out.stdout, out.stderr

    out = run(lingong, "kiosk", cwd=tmp_path)
    assert (out.returncode, out.stdout, out.stderr) == (2, "", "lingong kiosk needs lingong[device]\n")
    out = run(lingong, "--log-level", "DEBUG", "display", "--windowed", cwd=tmp_path)
    assert (out.returncode, out.stderr) == (2, "lingong display needs lingong[device]\n")
    out = run(lingong, "--help", cwd=tmp_path)
    assert out.returncode == 0 and "needs lingong[device]" in out.stdout, out.stderr

    if migrate:  # the migrations came with the wheel: a hub database is made from the installed package
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINGONG_")}
        out = run(lingong, "admin", "migrate", cwd=tmp_path, env={**env, "LINGONG_HOME": str(tmp_path / "home")})
        assert out.returncode == 0, out.stderr[-3000:]
        assert (tmp_path / "home" / "hub.db").stat().st_size > 0


def test_the_hub_alone_on_python_3_11(wheel, tmp_path):
    check_hub_only(hub_venv(sys.executable, wheel), tmp_path, migrate=True)


def test_the_hub_alone_on_a_newer_python(wheel, tmp_path):
    python = newer_python()
    if python is None:
        pytest.skip("no Python 3.12 or 3.13 runs on this machine")
    venv = hub_venv(python, wheel, "pytest")
    check_hub_only(venv, tmp_path, migrate=False)  # the hub's own tests below run on this interpreter
    tests = tmp_path / "hub_tests"  # outside this tree: `hub` is imported from the venv
    tests.mkdir()
    for name in HUB_TESTS:
        shutil.copy(ROOT / "tests" / "unit" / name, tests / name)
    out = run(venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", tests, cwd=tests)
    assert out.returncode == 0, out.stdout[-3000:]
    assert " passed" in out.stdout and " failed" not in out.stdout, out.stdout[-1000:]
