"""The updater against a real hub and a real prefix: a damaged download is fetched again at the next
offer (never the release blacklisted), and forged offers leave nothing behind in update.json."""

from __future__ import annotations

import base64
import os

import pytest

from device.update.install import init
from device.update.layout import Layout
from device.update.updater import Updater
from device.update.verify import offer_of
from sync.session import HubSession
from tests.integration.test_update_install import tiny_wheel
from tests.support.hub import LiveHub
from wire import releases

KEY = releases.new_private_key()


@pytest.fixture
def hub(tmp_path, sqlite_url):
    hub = LiveHub(tmp_path / "hub", sqlite_url, LINGONG_UPDATE_PUBLIC_KEY=releases.public_text(KEY))
    hub.seed(postings=3)
    hub.start()
    yield hub
    hub.stop()


def never_fetched(release_id, out, size):
    raise AssertionError("an offer that does not verify must not be downloaded")


def test_a_damaged_download_is_tried_again(hub, tmp_path):
    """Hostile review, item 3: one download that was not the signed bytes blacklisted the release for good."""
    wheel = tiny_wheel(tmp_path / "lingong-9.9.9-py3-none-any.whl", "9.9.9")
    with open(wheel, "rb") as f:
        sig = releases.sign(wheel, KEY).document()
        published = hub.ok("POST", "/api/v1/releases", files={"wheel": (wheel.name, f)}, data={"signature": sig})
    hub.ok("PUT", f"/api/v1/releases/{published['id']}/rollout", json={"station_ids": [1]})
    code = hub.add_device("kiosk", 1)
    enrolled = HubSession(hub.url).enroll(code)
    session = HubSession(hub.url, enrolled["token"])
    layout = Layout(tmp_path / "opt")
    init(layout, "0.1.0")
    updater = Updater(layout, "0.1.0", releases.public_text(KEY), session.download_release, lambda: None, lambda: True)
    offer = offer_of(session.heartbeat({}))
    assert offer is not None and offer.version == "9.9.9"

    stored = hub.settings.home / "releases" / f"{published['sha256']}.whl"
    right = stored.read_bytes()
    stored.write_bytes(bytes([right[0] ^ 1]) + right[1:])  # the hub's copy damaged: same size, other bytes
    assert updater.apply(offer) is False
    state = layout.load()
    assert state.failed == {} and (state.report["update"], state.report["version"]) == ("waiting", "9.9.9")

    stored.write_bytes(right)  # repaired: the next offer of the same release is taken again
    assert updater.apply(offer) is False  # this tiny wheel has no command: refused by the smoke test
    assert [f["reason"] for f in layout.load().failed.values()] == ["health"]
    session.close()


def test_forged_offers_leave_nothing_behind(tmp_path):
    """Hostile review, item 4: every forged offer (nothing fetched) added a record to update.json."""
    layout = Layout(tmp_path / "opt")
    layout.versions.mkdir(parents=True)
    updater = Updater(layout, "0.1.0", releases.public_text(KEY), never_fetched, lambda: None, lambda: True)
    for _ in range(50):
        forged = base64.b64encode(os.urandom(64)).decode()
        body = {"id": 1, "version": "0.2.0", "sha256": "a" * 64, "size": 10, "signature": forged, "pinned": False}
        assert updater.apply(offer_of({"release": body})) is False
    state = layout.load()
    assert state.failed == {} and state.report["update"] == "refused"
    assert layout.state_file.stat().st_size < 1000
