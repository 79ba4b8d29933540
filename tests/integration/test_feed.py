"""The change feed as devices see it: snapshot, long poll, 304, gzip, tombstones, scope, reset."""

import gzip
import json
import threading
import time

import pytest

from hub.feed import service as feed
from tests.support.hub import posting_body
from wire import protocol

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)


def snapshot(hub, device):
    """A new device's snapshot, and the cursor after it has also taken what followed it (a cached
    snapshot may predate, say, the device's own enrollment, which then arrives by the feed)."""
    r = hub.client.get("/api/v1/sync/snapshot", headers=device)
    assert r.status_code == 200
    cursor, docs = protocol.decode_snapshot(r.json())
    while True:
        more = hub.client.get("/api/v1/sync/changes", params={"since": cursor, "wait": 0.2}, headers=device)
        if more.status_code == 304:
            return protocol.parse_etag(more.headers["etag"]), list(docs), r
        cursor = more.json()["cursor"]


def changes(hub, device, since, **headers):
    """A long poll, as devices do it: returns at once when there is something."""
    r = hub.client.get("/api/v1/sync/changes", params={"since": since, "wait": 5}, headers={**device, **headers})
    assert r.status_code == 200, r.status_code
    return r


def test_snapshot_is_gzipped_columnar_and_scoped(hub):
    station_only = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[2]))
    _, kiosk_1 = hub.device(station_id=1)
    _, kiosk_2 = hub.device(station_id=2)
    cursor, docs, r = snapshot(hub, kiosk_1)
    assert r.headers["content-encoding"] == "gzip" and protocol.parse_etag(r.headers["etag"]) <= cursor
    ids_1 = {d["id"] for k, d in docs if k == "posting"}
    ids_2 = {d["id"] for k, d in snapshot(hub, kiosk_2)[1] if k == "posting"}
    assert station_only["id"] in ids_2 and station_only["id"] not in ids_1
    kinds = {k for k, _ in docs}
    assert {"category", "trade", "station", "employer", "posting", "announcement"} <= kinds
    assert "device" not in kinds  # private documents come from /devices/me
    # Closed, full and expired postings are not sent to a new device.
    now = time.time()
    assert all(d["to"] > now for k, d in docs if k == "posting")


def test_long_poll_wakes_on_publish_and_304_when_idle(hub):
    _, device = hub.device()
    cursor, _, _ = snapshot(hub, device)
    r = hub.client.get("/api/v1/sync/changes", params={"since": cursor, "wait": 0.3}, headers=device)
    assert r.status_code == 304 and protocol.parse_etag(r.headers["etag"]) >= cursor
    got = {}

    def poll():
        t0 = time.monotonic()
        got["r"] = hub.client.get("/api/v1/sync/changes", params={"since": cursor, "wait": 10}, headers=device)
        got["t"] = time.monotonic() - t0

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(0.5)
    published = hub.ok("POST", "/api/v1/postings", json=posting_body(title="急招电焊工"))
    t.join(15)
    r = got["r"]
    assert r.status_code == 200 and got["t"] < 5
    body = r.json()
    assert [c["d"]["title"] for c in body["changes"] if c["k"] == "posting"] == ["急招电焊工"]
    assert body["changes"][0]["d"]["id"] == published["id"]
    assert protocol.parse_etag(r.headers["etag"]) == body["cursor"] > cursor


def test_changes_are_gzipped_when_large(hub):
    _, device = hub.device()
    cursor, _, _ = snapshot(hub, device)
    for i in range(5):
        hub.ok("POST", "/api/v1/postings", json=posting_body(title=f"岗位{i}", requirements="能吃苦耐劳，" * 20))
    time.sleep(0.3)  # all five in the feed before the poll
    r = changes(hub, device, cursor, **{"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip" and len(r.json()["changes"]) == 5


def test_tombstones_reach_devices_that_saw_the_posting(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))
    _, at_1 = hub.device(station_id=1)
    _, at_3 = hub.device(station_id=3)
    c1, _, _ = snapshot(hub, at_1)
    c3, _, _ = snapshot(hub, at_3)
    hub.ok("PATCH", f"/api/v1/postings/{p['id']}", json={"station_ids": [3]})  # moves out of station 1's sight
    hub.ok("POST", f"/api/v1/postings/{p['id']}/status", json={"status": "closed"})
    time.sleep(0.2)  # both changes are in the feed before the polls
    changes_1 = changes(hub, at_1, c1).json()["changes"]
    changes_3 = changes(hub, at_3, c3).json()["changes"]
    # Station 1 hears that it left its sight; the later closing no longer concerns it.
    assert [(c["op"], c["d"].get("reason")) for c in changes_1] == [("del", "scope")]
    assert changes_1[0]["d"]["stations"] == [3] and changes_1[0]["d"]["trade"] == 1  # filter fields travel along
    assert [(c["op"], c["d"].get("reason")) for c in changes_3] == [("put", None), ("del", "closed")]


def test_display_filters_by_trade_category(hub):
    trades = hub.ok("GET", "/api/v1/trades")
    construction = next(c["id"] for c in trades["categories"] if c["slug"] == "construction")
    care_trade = next(t["id"] for t in trades["trades"] if t["category"] != construction)
    rebar = next(t["id"] for t in trades["trades"] if t["slug"] == "rebar")
    _, wall = hub.device("display", filters={"categories": [construction]})
    cursor, docs, _ = snapshot(hub, wall)
    cats = {d["category"] for k, d in docs if k == "posting"}
    assert cats <= {construction}
    hub.ok("POST", "/api/v1/postings", json=posting_body(trade_id=care_trade))
    hub.ok("POST", "/api/v1/postings", json=posting_body(trade_id=rebar))
    time.sleep(0.2)
    got = changes(hub, wall, cursor).json()["changes"]
    assert [c["d"]["trade"] for c in got] == [rebar]


def test_cursor_outside_the_feed_asks_for_a_snapshot(hub):
    _, device = hub.device()
    # The database's head, not /healthz's (this process's feed, which reads the enrolment's own
    # document a moment after its commit: on a loaded machine the 304 below met it as news).
    with hub.app.state.db.read() as s:
        head = feed.head(s)
    r = hub.client.get("/api/v1/sync/changes", params={"since": head + 1000}, headers=device)
    assert r.status_code == 410
    r = hub.client.get("/api/v1/sync/changes", headers={**device, "If-None-Match": protocol.etag(head)})
    assert r.status_code == 304


def test_device_configuration_reaches_the_device(hub):
    device_id, device = hub.device()
    _, other = hub.device()
    cursor, _, _ = snapshot(hub, device)
    other_cursor, _, _ = snapshot(hub, other)
    hub.ok("PATCH", f"/api/v1/devices/{device_id}", json={"config": {"dwell_s": 20}})
    got = changes(hub, device, cursor).json()["changes"]
    assert [(c["k"], c["d"]["config"]["dwell_s"]) for c in got] == [("device", 20)]
    # Another device's configuration is private to it.
    r = hub.client.get("/api/v1/sync/changes", params={"since": other_cursor, "wait": 0.5}, headers=other)
    assert r.status_code == 304


def test_snapshot_bytes_per_posting_are_small(hub):
    hub_app = hub.app
    from hub import admin

    admin.seed_hub(hub.settings, 2000, 11)
    time.sleep(0.3)
    _, device = hub.device()
    r = hub.client.get("/api/v1/sync/snapshot", headers={**device, "Accept-Encoding": "identity"})
    raw = r.content
    postings = len(json.loads(raw)["kinds"]["posting"]["rows"])
    assert postings > 1500
    assert len(gzip.compress(raw, 9)) / postings < 120
    assert hub_app.state.snapshots
