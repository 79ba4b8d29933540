"""Installing a release beside the running version with the real pip: a release that needs a dependency
the device lacks, or whose command does not run, is refused before any switch, and leaves nothing."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile

import pytest

from device.update.errors import UpdateError
from device.update.install import init, install
from device.update.layout import Layout, write_durably
from tests.support.hub import lingong


def tiny_wheel(path, version: str, requires: str = ""):
    """A wheel named lingong with no command in it (the real ones: tests/e2e/test_device_update.py)."""
    info = f"lingong-{version}.dist-info"
    files = {
        "lingong_tiny/__init__.py": b"",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: lingong\nVersion: {version}\n{requires}".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in files.items()
    ]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.writestr(f"{info}/RECORD", "\n".join([*record, f"{info}/RECORD,,"]) + "\n")
    return path


@pytest.fixture
def layout(tmp_path):
    layout = Layout(tmp_path / "opt")
    init(layout, "0.1.0")  # this test's own environment, as the device's set-up one
    return layout


@pytest.mark.parametrize(
    "requires,reason",
    [("Requires-Dist: lingong-no-such-dependency>=1\n", "dependencies"), ("", "health")],
)
def test_refused_before_any_switch(layout, tmp_path, requires, reason):
    wheel = tiny_wheel(tmp_path / "lingong-9.9.9-py3-none-any.whl", "9.9.9", requires)
    with pytest.raises(UpdateError) as caught:
        install(layout, "9.9.9", wheel)
    assert caught.value.reason == reason, caught.value.message
    assert not layout.version_dir("9.9.9").exists()
    assert (layout.pointed(layout.current), layout.pointed(layout.good)) == ("0.1.0", "0.1.0")


def test_links_planted_in_the_prefix_are_refused_not_followed(tmp_path):
    """Hostile review, item 7: the prefix is the device user's, set-up writes in it as root. A link at
    versions/<version> emptied the folder it pointed at; a link at a temporary file's name was written
    through."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "shadow").write_text("root:secret")
    layout = Layout(tmp_path / "opt")
    layout.versions.mkdir(parents=True)
    os.symlink(victim, layout.version_dir("0.1.0"))
    with pytest.raises(UpdateError) as caught:
        init(layout, "0.1.0")
    assert "符号链接" in caught.value.message
    assert sorted(p.name for p in victim.iterdir()) == ["shadow"]
    os.unlink(layout.version_dir("0.1.0"))
    os.symlink(victim / "shadow", layout.deps_file)
    with pytest.raises(UpdateError):
        init(layout, "0.1.0")
    os.unlink(layout.deps_file)
    os.symlink(victim / "planted", layout.root / f".update.json.{os.getpid()}.tmp")
    write_durably(layout.state_file, b"{}")
    assert layout.state_file.read_bytes() == b"{}" and not (victim / "planted").exists()
    assert (victim / "shadow").read_text() == "root:secret"


def test_status_shows_folders_that_are_not_versions(layout):
    """Hostile review, item 6: a lost+found under versions/ made `lingong update status` fail."""
    (layout.versions / "lost+found").mkdir()
    out = lingong("update", "status", "--prefix", str(layout.root), home=layout.root / "home")
    body = json.loads(out.stdout)
    assert body["versions"] == {"0.1.0": True} and body["other"] == ["lost+found"]
