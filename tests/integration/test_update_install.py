"""Installing a release beside the running version with the real pip: a release that needs a dependency
the device lacks, or whose command does not run, is refused before any switch, and leaves nothing."""

from __future__ import annotations

import base64
import hashlib
import zipfile

import pytest

from device.update.errors import UpdateError
from device.update.install import init, install
from device.update.layout import Layout


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
