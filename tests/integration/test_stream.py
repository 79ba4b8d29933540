"""The change stream against a real hub process: lines as they happen, keep-alives, its ends, its refusals."""

import json

import pytest
import requests

from hub.feed import stream
from sync.agent import SyncAgent
from tests.integration.test_link import enroll
from tests.support.databases import database
from tests.support.hub import LiveHub, expected_digest, posting_body
from tests.support.waiting import until
from wire import protocol


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stream")
    with database("sqlite", folder) as url:
        hub = LiveHub(folder / "hub", url)
        hub.seed(postings=20)
        hub.start()
        yield hub
        hub.stop()


def open_stream(hub: LiveHub, token: str, since: int, beat: float = 25) -> requests.Response:
    # The read timeout only catches a hang: a line comes every `beat` seconds at the latest.
    return requests.get(
        hub.url + protocol.STREAM_PATH,
        params={"since": since, "beat": beat},
        headers={"Authorization": f"Bearer {token}"},
        stream=True,
        timeout=(5, 60),
    )


def lines(response: requests.Response):
    for line in response.iter_lines(chunk_size=None):
        if line:
            yield json.loads(line)


def test_a_stream_carries_each_change_as_a_line_and_keeps_the_link_alive(hub, tmp_path):
    store = enroll(hub, tmp_path / "kiosk")
    SyncAgent(store).sync_once()
    token, cursor = store.enrollment().token, store.cursor
    with open_stream(hub, token, cursor, beat=1) as r:
        assert r.status_code == 200 and r.headers["content-type"] == "application/x-ndjson"
        assert r.headers["x-accel-buffering"] == "no"  # nginx passes each line on at once
        read = lines(r)
        assert next(read) == {"cursor": cursor}  # nothing new: the cursor, at once
        assert next(read) == {"cursor": cursor}  # a second later, the link is still alive
        posted = hub.ok("POST", "/api/v1/postings", json=posting_body(title="流里来的活"))
        line = next(line for line in read if "changes" in line)
        assert [(c["k"], c["id"], c["op"]) for c in line["changes"]] == [("posting", posted["id"], "put")]
        assert line["cursor"] > cursor


def test_a_stream_from_an_old_cursor_starts_with_what_the_device_missed(hub, tmp_path):
    store = enroll(hub, tmp_path / "kiosk")
    SyncAgent(store).sync_once()
    missed = [hub.ok("POST", "/api/v1/postings", json=posting_body(title=f"错过的活{i}"))["id"] for i in range(3)]
    seen, since = [], store.cursor
    # The first line holds what the hub's feed had learnt of (it reads the database every 50 ms
    # here); the rest follow as it learns. A stream may end after a line (the device's own document
    # changed): the device reconnects from the cursor it was given, as SyncAgent.follow does.
    for _ in range(5):
        with open_stream(hub, store.enrollment().token, since) as r:
            for line in lines(r):
                seen += [c["id"] for c in line.get("changes", []) if c["k"] == "posting"]
                since = line["cursor"]
                if missed[-1] in seen:
                    break
        if missed[-1] in seen:
            break
    # In order (it may start earlier: a snapshot is shared by the devices that see the same, made at
    # its own cursor; and a posting may come again, republished after its screening).
    assert [i for i in dict.fromkeys(seen) if i in missed] == missed


def test_a_device_whose_configuration_changes_is_sent_it_and_the_stream_ends(hub, tmp_path):
    """Its filters may change what it sees: the stream was made for the old view. (A revocation
    is a change of its own document too.)"""
    store = enroll(hub, tmp_path / "wall", kind="display")
    agent = SyncAgent(store)
    agent.sync_once()
    agent.sync_once()  # past its own document's first version (newer than a shared snapshot may be)
    device_id = store.enrollment().device_id
    with open_stream(hub, store.enrollment().token, store.cursor) as r:
        read = lines(r)
        next(read)
        hub.ok("PATCH", f"/api/v1/devices/{device_id}", json={"config": {"filters": {"trades": [1]}}})
        rest = list(read)  # ends by itself
    assert [(c["k"], c["id"]) for line in rest for c in line.get("changes", [])][-1] == ("device", device_id)
    hub.ok("POST", f"/api/v1/devices/{device_id}/revoke")
    assert open_stream(hub, store.enrollment().token, store.cursor).status_code == 401


def test_a_stream_refuses_what_it_cannot_serve(hub, tmp_path):
    store = enroll(hub, tmp_path / "kiosk")
    agent = SyncAgent(store)
    agent.sync_once()
    agent.sync_once()  # past its own document's first version: its streams stay open
    token = store.enrollment().token
    gone = open_stream(hub, token, store.cursor + 1_000_000)
    assert gone.status_code == 410 and gone.json()["code"] == "feed.reset"
    for params in ({"since": "x"}, {"since": 0, "beat": 0}, {"since": 0, "beat": 26}, {"since": 0, "beat": "nan"}, {}):
        r = requests.get(hub.url + protocol.STREAM_PATH, params=params, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 422, (params, r.status_code)
    assert requests.get(hub.url + protocol.STREAM_PATH, params={"since": 0}).status_code == 401
    # One device's token opening stream after stream: the oldest give way (a link that died
    # without a word leaves its stream on the hub), and six at once is someone tying the hub up.
    oldest = open_stream(hub, token, store.cursor, beat=1)
    held = [oldest] + [open_stream(hub, token, store.cursor) for _ in range(stream.MAX_OPEN_PER_DEVICE - 1)]
    readers = [lines(r) for r in held]  # kept: a reader dropped closes its connection
    for reader in readers:
        next(reader)  # open and counted
    refused = open_stream(hub, token, store.cursor)
    assert refused.status_code == 429 and refused.json()["code"] == "feed.streams_open"
    assert refused.headers["retry-after"] == "30"
    assert list(readers[0]) == []  # asked to give way, it ends at its next keep-alive
    for r in held:
        r.close()


def test_the_agent_follows_the_stream_and_falls_back_to_long_polls_on_a_hub_without_one(hub, tmp_path, monkeypatch):
    store = enroll(hub, tmp_path / "kiosk")
    agent = SyncAgent(store, longpoll_s=1)
    agent.sync_once()
    agent.start()
    try:
        p = hub.ok("POST", "/api/v1/postings", json=posting_body(title="跟着流"))
        until(lambda: store.posting(p["id"]) is not None, timeout=20)
        assert agent.streaming
    finally:
        agent.stop()
    # An older hub answers 404 for the stream's path: the agent long-polls instead.
    monkeypatch.setattr(protocol, "STREAM_PATH", f"{protocol.API}/sync/no-such-stream")
    agent = SyncAgent(store, longpoll_s=1)
    agent.start()
    try:
        p = hub.ok("POST", "/api/v1/postings", json=posting_body(title="老的办法"))
        until(lambda: store.posting(p["id"]) is not None, timeout=20)
        assert not agent.streaming and agent.status.online
        until(lambda: store.digest() == expected_digest(hub, store.enrollment().device_id), timeout=20)
    finally:
        agent.stop()


# What a hostile review of the stream found (each failed before its fix).


def status_of_a_new_stream(hub: LiveHub, token: str, since: int) -> int:
    with open_stream(hub, token, since) as r:
        return r.status_code


def settled(hub: LiveHub, tmp_path, name: str = "kiosk"):
    """An enrolled device past its own document's first version (so its streams stay open)."""
    store = enroll(hub, tmp_path / name)
    agent = SyncAgent(store)
    agent.sync_once()
    agent.sync_once()
    return store


def test_streams_closed_by_their_clients_free_their_slots_at_once(hub, tmp_path):
    store = settled(hub, tmp_path)
    token = store.enrollment().token
    for _ in range(2 * 3):  # twice the slots, one after another
        with open_stream(hub, token, store.cursor) as r:
            assert r.status_code == 200
            next(lines(r))
    # (A disconnect is noticed at once: Starlette listens for it under uvicorn's ASGI 2.3.)


def test_a_device_whose_earlier_streams_the_hub_still_holds_stays_current(hub, tmp_path):
    store = settled(hub, tmp_path)
    token = store.enrollment().token
    held = [open_stream(hub, token, store.cursor) for _ in range(3)]
    readers = [lines(r) for r in held]  # kept: a reader dropped closes its connection
    for reader in readers:
        next(reader)
    agent = SyncAgent(store, longpoll_s=1)
    agent.start()
    try:
        p = hub.ok("POST", "/api/v1/postings", json=posting_body(title="断线以后"))
        until(lambda: store.posting(p["id"]) is not None, timeout=20)  # only catches it never arriving
    finally:
        agent.stop()
        for r in held:
            r.close()


def test_a_revoked_devices_open_stream_ends_and_it_cannot_open_another(hub, tmp_path):
    store = settled(hub, tmp_path)
    token, device_id = store.enrollment().token, store.enrollment().device_id
    with open_stream(hub, token, store.cursor, beat=25) as r:
        read = lines(r)
        next(read)
        hub.ok("POST", f"/api/v1/devices/{device_id}/revoke")
        rest = list(read)  # ends by itself, well before the 25 s keep-alive (the read timeout is 60 s)
    assert [(c["k"], c["id"], c["op"]) for line in rest for c in line.get("changes", [])][-1] == (
        "device",
        device_id,
        protocol.DELETE,
    )
    refused = requests.get(
        hub.url + protocol.STREAM_PATH,
        params={"since": store.cursor},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert refused.status_code == 401


def test_a_device_holding_a_cursor_the_hub_refuses_takes_a_snapshot_and_catches_up(hub, tmp_path):
    store = settled(hub, tmp_path)
    agent = SyncAgent(store, longpoll_s=1)
    # What follow() does with a line {"cursor": -1, "changes": [...]} from a broken hub (or proxy):
    trade = store.doc("trade", 1) or {"id": 1, "name": "钢筋工"}
    agent._take(store.cursor, -1, [{"seq": 1, "k": "trade", "id": 1, "op": "put", "d": trade}])
    assert store.cursor == -1
    agent.start()
    try:
        p = hub.ok("POST", "/api/v1/postings", json=posting_body(title="坏位置以后"))
        until(lambda: store.posting(p["id"]) is not None, timeout=20)  # only catches it never recovering
        assert store.cursor > 0
        until(lambda: store.digest() == expected_digest(hub, store.enrollment().device_id), timeout=20)
    finally:
        agent.stop()
