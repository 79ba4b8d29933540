"""Releases on the hub: only a wheel signed with the configured update key is kept; a rollout by station or
share of devices decides which release each device's heartbeat offers, and only that one downloads."""

from __future__ import annotations

import re
import zipfile

import pytest
from fastapi.testclient import TestClient

from hub import admin
from hub.app import create_app
from hub.errors import Invalid
from hub.releases.admin import publish_release
from hub.releases.service import bucket
from hub.settings import Settings
from tests.integration.conftest import Hub
from tests.integration.test_console_lists import signed_in
from tests.support.console import csrf_of
from wire import releases

KEY = releases.new_private_key()


@pytest.fixture
def hub(tmp_path, db_url):
    yield from hub_with_key(tmp_path, db_url)


@pytest.fixture
def sqlite_hub(tmp_path, sqlite_url):
    """The console's pages: SQLite only, nothing there differs between the databases."""
    yield from hub_with_key(tmp_path, sqlite_url)


def hub_with_key(tmp_path, db_url):
    settings = Settings(
        home=tmp_path / "hub", database_url=db_url, feed_poll_s=0.05, update_public_key=releases.public_text(KEY)
    )
    admin.seed_hub(settings, 5, 7)
    admin.create_user(settings, "admin", "admin", "orchid lantern velvet 9", [])
    admin.create_user(settings, "s1", "station", "station one password", [1])
    token = admin.api_token(settings, "admin")
    with TestClient(create_app(settings)) as client:
        hub = Hub(client, settings, {"Authorization": f"Bearer {token}"})
        hub.station_staff = {"Authorization": f"Bearer {admin.api_token(settings, 's1')}"}
        yield hub


def wheel(tmp_path, version: str) -> bytes:
    path = tmp_path / f"lingong-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("floor/__init__.py", f'__version__ = "{version}"\n')
        z.writestr(
            f"lingong-{version}.dist-info/METADATA", f"Metadata-Version: 2.1\nName: lingong\nVersion: {version}\n"
        )
        z.writestr(f"lingong-{version}.dist-info/WHEEL", "Wheel-Version: 1.0\nTag: py3-none-any\n")
    return path


def publish(hub: Hub, path, signature: str, headers: dict | None = None):
    return hub.client.post(
        "/api/v1/releases",
        headers=headers or hub.staff,
        files={"wheel": (path.name, path.read_bytes())},
        data={"signature": signature},
    )


def signed(path, key=KEY) -> str:
    return releases.sign(path, key).document()


def test_only_what_the_update_key_signed_is_kept(hub, tmp_path):
    good = wheel(tmp_path, "1.0.0")
    other = wheel(tmp_path, "1.0.1")
    for sig, code in (
        (signed(good, releases.new_private_key()), "release.signature"),
        (signed(other), "release.mismatch"),  # a real signature, of another file
        ("not json", "release.signature"),
        ('{"format": "lingong-release-1", "project": "lingong", "size": true}', "release.signature"),
    ):
        r = publish(hub, good, sig)
        assert (r.status_code, r.json()["code"]) == (422, code), r.text
    (tmp_path / "empty.whl").write_bytes(b"")
    r = publish(hub, tmp_path / "empty.whl", signed(good))
    assert r.status_code == 422, r.text
    assert publish(hub, good, signed(good), headers=hub.station_staff).status_code == 403
    r = publish(hub, good, signed(good))
    assert r.status_code == 201, r.text
    assert (r.json()["version"], r.json()["percent"], r.json()["station_ids"]) == ("1.0.0", 0, [])
    again = publish(hub, good, signed(good))
    assert (again.status_code, again.json()["code"]) == (409, "release.exists")
    kept = list((hub.settings.home / "releases").iterdir())
    assert [p.name for p in kept] == [f"{releases.digest(good)[0]}.whl"]  # named by its digest, no leftovers


def test_no_key_configured_no_release(tmp_path, sqlite_url):
    settings = Settings(home=tmp_path / "hub", database_url=sqlite_url)
    admin.create_user(settings, "admin", "admin", "orchid lantern velvet 9", [])
    token = admin.api_token(settings, "admin")
    with TestClient(create_app(settings)) as client:
        hub = Hub(client, settings, {"Authorization": f"Bearer {token}"})
        r = publish(hub, wheel(tmp_path, "1.0.0"), signed(wheel(tmp_path, "1.0.0")))
        assert (r.status_code, r.json()["code"]) == (409, "release.no_key")
        page = signed_in(hub, "keyless").get("/staff/releases").text
        form = page[page.index('id="publish"') :]
        assert "<fieldset disabled>" in form[: form.index("</form>")]  # the upload cannot be used
        assert "LINGONG_UPDATE_PUBLIC_KEY=" in page and "重启中心服务" in page


def test_the_publish_command_leaves_nothing_behind_on_bad_arguments(hub, tmp_path):
    """Hostile review, item 9: a bad --stations left the upload (or the kept wheel, without its row)
    behind, or ended in a traceback."""
    good = wheel(tmp_path, "4.0.0")
    for stations, code in (([0], "release.rollout_invalid"), ([999], "release.stations_invalid")):
        with pytest.raises(Invalid) as caught:
            publish_release(hub.settings, good, signed(good), stations, 0)
        assert caught.value.code == code
        assert list((hub.settings.home / "releases").glob("*")) == []
    assert hub.ok("GET", "/api/v1/releases") == []
    done = publish_release(hub.settings, good, signed(good), [1], 10)
    assert (done["version"], done["stations"]) == ("4.0.0", [1])
    assert [p.name for p in (hub.settings.home / "releases").iterdir()] == [f"{releases.digest(good)[0]}.whl"]


def test_rollout_decides_the_offer_and_the_download(hub, tmp_path):
    old, new = wheel(tmp_path, "1.0.0"), wheel(tmp_path, "1.1.0")
    first = publish(hub, old, signed(old)).json()
    second = publish(hub, new, signed(new)).json()
    _, at_one_headers = hub.device("kiosk", station_id=1)
    at_two, at_two_headers = hub.device("display", station_id=2)

    def offered(headers):
        r = hub.client.post("/api/v1/sync/heartbeat", headers=headers, json={"app_version": "0.1.0"})
        assert r.status_code == 200, r.text
        return (r.json().get("release") or {}).get("version")

    assert offered(at_one_headers) is None  # published is not rolled out
    hub.ok("PUT", f"/api/v1/releases/{first['id']}/rollout", json={"station_ids": [1]})
    hub.ok("PUT", f"/api/v1/releases/{second['id']}/rollout", json={"station_ids": [1]})
    assert (offered(at_one_headers), offered(at_two_headers)) == ("1.1.0", None)  # the newest that reaches it
    r = hub.client.get(f"/api/v1/sync/releases/{second['id']}/wheel", headers=at_one_headers)
    assert r.status_code == 200 and r.content == new.read_bytes()
    for release, headers in ((first, at_one_headers), (second, at_two_headers)):  # not its release
        r = hub.client.get(f"/api/v1/sync/releases/{release['id']}/wheel", headers=headers)
        assert (r.status_code, r.json()["code"]) == (404, "release.not_offered")
    # An administrator pins the older one: devices it reaches go back to it.
    hub.ok("PUT", f"/api/v1/releases/{first['id']}/rollout", json={"station_ids": [1], "pinned": True})
    assert offered(at_one_headers) == "1.0.0"
    answer = hub.client.post("/api/v1/sync/heartbeat", headers=at_one_headers, json={}).json()["release"]
    releases.Signed(answer["version"], answer["sha256"], answer["size"], answer["signature"]).check(
        releases.public_text(KEY)
    )
    assert answer["pinned"] is True
    # A share of devices: those whose bucket is below it, the same ones every time.
    hub.ok("PUT", f"/api/v1/releases/{first['id']}/rollout", json={"percent": bucket(at_two) + 1})
    hub.ok("PUT", f"/api/v1/releases/{second['id']}/rollout", json={"percent": bucket(at_two)})
    assert offered(at_two_headers) == "1.0.0"
    listed = {r["version"]: r["counts"] for r in hub.ok("GET", "/api/v1/releases")}
    assert listed["1.0.0"]["targeted"] >= 1, listed


def test_hostile_rollouts_are_refused_whole(hub, tmp_path):
    release = publish(hub, wheel(tmp_path, "1.0.0"), signed(wheel(tmp_path, "1.0.0"))).json()
    path = f"/api/v1/releases/{release['id']}/rollout"
    for body in ({"percent": 101}, {"percent": -1}, {"station_ids": [0]}, {"station_ids": [2**31]}, {"x": 1}):
        assert hub.client.put(path, headers=hub.staff, json=body).status_code == 422, body
    r = hub.client.put(path, headers=hub.staff, json={"station_ids": [999_999]})
    assert (r.status_code, r.json()["code"]) == (422, "release.stations_invalid")
    assert hub.client.put("/api/v1/releases/999999/rollout", headers=hub.staff, json={}).status_code == 404
    assert hub.ok("GET", "/api/v1/releases")[0]["station_ids"] == []  # nothing half-kept


def test_the_console_publishes_rolls_out_and_shows_each_device(sqlite_hub, tmp_path):
    hub = sqlite_hub
    kiosk_id, kiosk = hub.device("kiosk", station_id=1)
    beat = {"app_version": "1.0.0", "good_version": "1.0.0", "update": "rolled_back", "update_version": "1.1.0"}
    assert hub.client.post("/api/v1/sync/heartbeat", headers=kiosk, json={**beat, "update_detail": "启动3次都不正常"})
    client = signed_in(hub, "releaser")
    page = client.get("/staff/releases")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    assert releases.key_fingerprint(releases.public_text(KEY)) in page.text
    good = wheel(tmp_path, "1.1.0")
    forged = client.post(
        "/staff/releases",
        data={"csrf_token": csrf_of(page)},
        files={
            "wheel": (good.name, good.read_bytes()),
            "signature": ("x.sig", signed(good, releases.new_private_key())),
        },
    )
    assert forged.status_code == 422 and 'id="signature-error"' in forged.text
    # In Chinese words only: the English of wire/releases.py stays in logs (the look at the screens).
    assert "不是用本中心的更新私钥签的名" in forged.text and "does not verify" not in forged.text
    assert 'data-file-name-of="wheel"' in page.text and "选择文件…" in page.text
    done = client.post(
        "/staff/releases",
        data={"csrf_token": csrf_of(page)},
        files={"wheel": (good.name, good.read_bytes()), "signature": ("x.sig", signed(good))},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    (release,) = hub.ok("GET", "/api/v1/releases")
    r = client.post(
        f"/staff/releases/{release['id']}/rollout",
        data={"csrf_token": csrf_of(page), "station_ids": ["1", "2"], "percent": "10"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert hub.ok("GET", "/api/v1/releases")[0]["station_ids"] == [1, 2]
    # A bad share: refused in that release's row, with what was typed kept (the look at the screens).
    bad = client.post(f"/staff/releases/{release['id']}/rollout", data={"csrf_token": csrf_of(page), "percent": "1e9"})
    row = bad.text[bad.text.index(f'id="release-{release["id"]}"') :]
    assert bad.status_code == 422 and f'id="percent-{release["id"]}-error"' in row and 'value="1e9"' in row
    # Station ids no page offers (words, 0, negative, huge) are refused, never silently dropped (item 8).
    for odd in ("abc", "0", "-3", "9" * 30):
        refused = client.post(
            f"/staff/releases/{release['id']}/rollout",
            data={"csrf_token": csrf_of(page), "station_ids": ["1", odd], "percent": "0"},
            follow_redirects=False,
        )
        assert refused.status_code == 422 and f'id="station_ids-{release["id"]}-error"' in refused.text, odd
    assert hub.ok("GET", "/api/v1/releases")[0]["station_ids"] == [1, 2]
    listing = client.get("/staff/releases")
    assert 'id="release-' in listing.text and "1.1.0" in listing.text
    # The counts add up: the kiosk (station 1) is pushed 1.1.0 and failed it.
    assert hub.ok("GET", "/api/v1/releases")[0]["counts"] == {
        "targeted": 1,
        "running": 0,
        "running_targeted": 0,
        "updating": 0,
        "failed": 1,
        "not_started": 0,
    }
    names = [re.search(rf'value="{n}"[^>]*> ([^<]+)</label>', listing.text).group(1) for n in (1, 2)]
    assert f"<summary>{names[0]}、{names[1]}，另加全部设备的 10%</summary>" in listing.text
    devices = client.get("/staff/devices").text
    row = devices[devices.index(f'id="device-{kiosk_id}"') :]
    assert '<span class="error">新版本不正常，已退回（1.1.0）</span>' in row[: row.index("</tr>")]
    device = client.get(f"/staff/devices/{kiosk_id}").text
    assert "启动3次都不正常" in device and "技术说明" in device and "仍在用 1.0.0，不影响使用" in device
    assert "出问题时退回 1.0.0" not in device  # it runs 1.0.0 already
    # Station staff see no release page and cannot publish.
    station = signed_in(hub, "station-person", role="station", stations=[1])
    assert station.get("/staff/releases", follow_redirects=False).status_code == 403


def test_the_enrolment_card_carries_the_update_keys_fingerprint(sqlite_hub):
    """Over plain HTTP a device keeps the update key only when this fingerprint matches it
    (sync/enroll.py): the console's commands give it, beside the hub key's."""
    client = signed_in(sqlite_hub, "enroller")
    page = client.get("/staff/devices")
    card = client.post("/staff/devices", data={"csrf_token": csrf_of(page), "station_id": "1", "kind": "display"})
    fingerprint = releases.key_fingerprint(releases.public_text(KEY))
    assert card.text.count(f"--update-fingerprint {fingerprint}") == 2  # (the device setup and the enroll lines)
    assert f'id="update-fingerprint">{fingerprint}<' in card.text
