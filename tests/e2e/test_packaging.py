"""lingong[hub] alone, from its wheel, in clean virtualenvs on 3.11 and on one newer Python: no Kivy or
pyscard installed, the hub's verbs work, a device verb says which extra it needs, hub tests pass. Then
the whole chain an operator runs (README, "Running it for a district"): that venv's hub by the unit's
command line on PostgreSQL behind nginx, a device, a backup under load, a restore, nothing lost.

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
import threading
import tomllib
from pathlib import Path

import pytest
import requests

from tests.support.hub import ROOT

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

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


# ---- the whole chain, as "Running it for a district" has an operator do it -------------------------
# In this module, not a file of its own: the chain runs the 3.11 venv above, and another test worker
# reinstalling lingong into it meanwhile would pull the files from under the running hub.

TOKEN = "m" * 32  # LINGONG_METRICS_TOKEN for the scrape through the hub's own port
# A worker who registers at the kiosk while the hub machine is dead (a fictional number).
PERSON_OFFLINE = {"id_number": "11010519491231002X", "name": "王五", "phone": "13712345678", "consent": True}


def fictional_id(i: int) -> str:
    """A well-formed ID number no one holds (born 1 Jan 1980 in 东城区, sequence i)."""
    body = f"11010119800101{i:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def test_from_the_wheel_to_a_restored_hub_behind_nginx(wheel, tmp_path, monkeypatch):
    """lingong[hub] from its wheel in a clean venv; the hub by the unit's command line on PostgreSQL
    behind the nginx site; the first administrator, a device and its code by `lingong admin`; the
    device enrolls through nginx and workers apply at it while staff publish; `lingong backup` (the
    backup unit's line) under that load; the machine dies; `lingong restore` into a new state folder
    and an empty database; a hub started there; the device converges with nothing lost — what it
    had queued and what the lost hub had acknowledged after the backup both arrive once."""
    from hub.db import Database
    from sync.agent import SyncAgent
    from sync.store import DeviceStore
    from tests.support.databases import postgres_database
    from tests.support.deploy import Nginx, UnitHub, env_file, exec_start, render_site
    from tests.support.hub import expected_digest, free_port, lingong_env, open_postings, posting_body
    from tests.support.waiting import until

    venv = hub_venv(sys.executable, wheel)
    lingong = venv / "bin" / "lingong"
    # lingong[hub] alone on 3.11 first (once here, not in a test of its own: a second reinstall of the
    # wheel into this venv cost make test a quarter of a minute): no Kivy, the verbs, the migrations.
    (tmp_path / "alone").mkdir()
    check_hub_only(venv, tmp_path / "alone", migrate=True)

    def hubctl(home: Path, database_url: str, *args: str, input: str | None = None) -> str:
        """README step 6's hubctl: the installed `lingong` with the environment file's settings."""
        settings, _ = env_file()
        env = lingong_env(home, **{**settings, "LINGONG_HOME": str(home), "LINGONG_DATABASE_URL": database_url})
        out = subprocess.run(
            [str(lingong), *args], env=env, cwd=tmp_path, capture_output=True, text=True, input=input, timeout=300
        )
        assert out.returncode == 0, f"lingong {args[0]}: {out.stderr[-3000:]}"
        return out.stdout

    http_port, https_port, hub_port = free_port(), free_port(), free_port()
    site = f"https://127.0.0.1:{https_port}"
    with postgres_database() as first_db, postgres_database() as second_db:
        hub = UnitHub(tmp_path / "hub", first_db, port=hub_port, LINGONG_PUBLIC_URL=site, LINGONG_METRICS_TOKEN=TOKEN)
        hub.program = (str(lingong),)
        nginx = Nginx(render_site(tmp_path, http_port, https_port, hub_port))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "fullchain.pem"))  # the city's certificate
        agent = restored = None
        try:
            hub.start()  # migrates the empty database before READY=1
            nginx.start(https_port)
            hubctl(hub.home, first_db, "seed", "--postings", "30")  # stations, trades, employers, postings
            hubctl(hub.home, first_db, "admin", "create-user", "张三", "--role", "admin", input="一个够长的口令 2026\n")
            hub._staff_token = hubctl(hub.home, first_db, "admin", "token", "张三").strip()
            code = json.loads(
                hubctl(hub.home, first_db, "admin", "device", "大厅一号机", "--kind", "kiosk", "--station", "1")
            )
            device = tmp_path / "kiosk"
            enrolled = subprocess.run(
                [sys.executable, "-m", "lingong.cli", "enroll", "--hub", site, "--code", code["enroll_code"]],
                env=lingong_env(device, REQUESTS_CA_BUNDLE=str(tmp_path / "fullchain.pem")),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert enrolled.returncode == 0, enrolled.stderr[-2000:]
            store = DeviceStore.in_home(device)
            device_id = store.enrollment().device_id
            assert store.enrollment().hub_url == site  # everything below goes through nginx
            agent = SyncAgent(store, longpoll_s=2, heartbeat_s=1)
            agent.start()
            until(lambda: store.cursor is not None and store.counts()["posting"] > 0, timeout=60)
            db = Database(first_db, pool_size=1)
            postings = open_postings(db, store.enrollment().station_id)[:5]
            db.dispose()
            assert postings, "the seed has no open posting at the kiosk's station"

            # Load: workers apply at the kiosk, staff publish through nginx, all through the backup.
            stop, emitted, published = threading.Event(), [], []

            def workers() -> None:
                while not stop.wait(0.1):
                    i = len(emitted)
                    person = {"id_number": fictional_id(i), "name": "李四", "phone": "13912345678", "consent": True}
                    with store.user_action() as action:
                        emitted.append(
                            action.emit(
                                "application",
                                {"posting": postings[i % len(postings)], "cursor": store.cursor},
                                person=person,
                            )
                        )

            def staff() -> None:
                while not stop.wait(0.2):
                    made = requests.post(
                        f"{site}/api/v1/postings",
                        json=posting_body(title=f"备份时发布{len(published)}"),
                        headers={"Authorization": f"Bearer {hub.staff_token}"},
                        verify=str(tmp_path / "fullchain.pem"),
                        timeout=30,
                    )
                    assert made.status_code < 300, made.text
                    published.append(made.json()["id"])

            threads = [threading.Thread(target=workers), threading.Thread(target=staff)]
            for t in threads:
                t.start()
            try:
                until(lambda: len(emitted) >= 5 and len(published) >= 2, timeout=60)
                args = exec_start("lingong-backup.service")[1:]
                args[args.index("--out") + 1] = f"{tmp_path}/backups/"
                emitted_before, published_before = len(emitted), len(published)
                hubctl(hub.home, first_db, *args)
                assert len(emitted) > emitted_before and len(published) > published_before, "no load during the backup"
                # The day goes on after the backup: applications the hub takes (and the device is told so).
                after = len(emitted)
                until(lambda: len(emitted) >= after + 5, timeout=60)
            finally:
                stop.set()
                for t in threads:
                    t.join()
            until(lambda: store.outbox.count() == 0, timeout=60)
            acknowledged_after_backup = store.outbox.acked_through()

            # The machine dies with everything since the backup; workers keep applying at the kiosk.
            hub.stop(kill=True)
            with store.user_action() as action:
                queued = [action.emit("registration", {"trades": [1], "cursor": store.cursor}, person=PERSON_OFFLINE)]

            # A new machine: the archive restored into a new state folder and an empty database.
            (archive,) = (tmp_path / "backups").glob("lingong-backup-*.tar.gz")
            new_home = tmp_path / "restored"
            hubctl(new_home, second_db, "restore", str(archive), "--home", str(new_home), "--database-url", second_db)
            restored = UnitHub(new_home, second_db, port=hub_port, LINGONG_PUBLIC_URL=site, LINGONG_METRICS_TOKEN=TOKEN)
            restored.program = (str(lingong),)
            restored.start()

            # The device converges with the restored hub through the same nginx, nothing lost.
            until(lambda: store.outbox.count() == 0 and (store.outbox.acked_through() or 0) >= queued[-1], timeout=90)
            until(lambda: store.digest() == expected_digest(restored, device_id), timeout=90)
            held = _events_at(restored, device_id)
            assert sorted(held) == sorted({*emitted, *queued}), "an event is missing at the restored hub"
            assert acknowledged_after_backup in held  # acknowledged by the lost hub, sent again
            assert all(held[n] == store.outbox.result(n)["status"] for n in held if store.outbox.result(n))

            # /metrics from both of the unit's hub processes, as Prometheus scrapes it.
            for _ in range(40):
                requests.get(f"{restored.url}/healthz", timeout=10)
            scrape = requests.get(f"{restored.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
            assert scrape.status_code == 200, scrape.text[:500]
            served = _sample(scrape.text, "lingong_http_requests_total", route="/healthz")
            assert served >= 40, f"{served} /healthz answers counted: one process's figures only?"
            assert _sample(scrape.text, "lingong_feed_head") > 0
        finally:
            if agent is not None:
                agent.stop()
            nginx.stop()
            hub.stop()
            if restored is not None:
                restored.stop()


def _events_at(hub, device_id: int) -> dict[int, str]:
    """Every event the hub holds from this device: number → what became of it."""
    import sqlalchemy as sa

    from hub.events.models import DeviceEvent

    engine = sa.create_engine(hub.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(DeviceEvent.n, DeviceEvent.status).where(DeviceEvent.device_id == device_id))
            return {n: status for n, status in rows}
    finally:
        engine.dispose()


def _sample(exposition: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples (with these labels) in Prometheus's text format."""
    from prometheus_client.parser import text_string_to_metric_families

    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name in (name, name + "_total") and all(sample.labels.get(k) == v for k, v in labels.items())
    )
