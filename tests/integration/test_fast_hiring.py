"""即时快招 on the hub: staff mark a posting, devices get its window in the posting document, a
station takes at most a set number at once, and the console's one button does it (or says why not)."""

import datetime as dt
import re

import pytest

from tests.integration.test_console_lists import signed_in
from tests.integration.test_feed import changes, snapshot
from tests.support.console import csrf_of
from tests.support.hub import posting_body


@pytest.fixture
def db_url(sqlite_url):  # (nothing here differs between the databases)
    return sqlite_url


def fast_doc(hub, device, cursor: int, pid: int) -> list | None:
    """The posting's `fast` as the device's next long poll brings it."""
    got = changes(hub, device, cursor).json()["changes"]
    return next(c["d"] for c in got if c["k"] == "posting" and c["d"]["id"] == pid).get("fast")


def test_a_marked_posting_carries_its_window_to_devices_and_ends_when_told(hub):
    pid = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))["id"]
    _, kiosk = hub.device(station_id=1)
    cursor, docs, _ = snapshot(hub, kiosk)
    assert next(d for k, d in docs if k == "posting" and d["id"] == pid)["fast"] is None
    before = dt.datetime.now(dt.UTC).timestamp()
    marked = hub.ok("POST", f"/api/v1/postings/{pid}/fast")
    assert marked["fast_from"] and marked["fast_to"]
    start, card, until = fast_doc(hub, kiosk, cursor, pid)
    assert before - 1 <= start <= card <= until
    assert card - start == pytest.approx(hub.settings.fast_hire_card_min * 60, abs=1)
    assert until - start == pytest.approx(hub.settings.fast_hire_hours * 3600, abs=1)
    cursor, _, _ = snapshot(hub, kiosk)
    hub.ok("DELETE", f"/api/v1/postings/{pid}/fast")
    start, card, until = fast_doc(hub, kiosk, cursor, pid)
    assert until <= dt.datetime.now(dt.UTC).timestamp() + 1  # lapsed now: devices stop leading with it


def test_the_mark_never_outlasts_the_posting(hub):
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    pid = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1], valid_to=soon))["id"]
    marked = hub.ok("POST", f"/api/v1/postings/{pid}/fast")
    assert dt.datetime.fromisoformat(marked["fast_to"]) == dt.datetime.fromisoformat(soon)


def test_a_station_takes_only_so_many_at_once(hub):
    limit = hub.settings.fast_hire_per_station
    at_one = [hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))["id"] for _ in range(limit + 1)]
    for pid in at_one[:limit]:
        hub.ok("POST", f"/api/v1/postings/{pid}/fast")
    refused = hub.client.post(f"/api/v1/postings/{at_one[-1]}/fast", headers=hub.staff)
    assert refused.status_code == 409 and refused.json()["code"] == "posting.fast_limit"
    assert str(limit) in refused.json()["error"]
    # Another station has room; a posting on every station does not (station 1 is full).
    at_two = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[2]))["id"]
    hub.ok("POST", f"/api/v1/postings/{at_two}/fast")
    everywhere = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=None))["id"]
    assert hub.client.post(f"/api/v1/postings/{everywhere}/fast", headers=hub.staff).status_code == 409
    hub.ok("POST", f"/api/v1/postings/{at_one[0]}/fast")  # marking one again is no new mark
    hub.ok("DELETE", f"/api/v1/postings/{at_one[0]}/fast")  # one ended: room again
    hub.ok("POST", f"/api/v1/postings/{at_one[-1]}/fast")


def test_only_a_posting_that_is_up_and_is_theirs(hub):
    closed = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))["id"]
    hub.ok("POST", f"/api/v1/postings/{closed}/status", json={"status": "closed"})
    r = hub.client.post(f"/api/v1/postings/{closed}/fast", headers=hub.staff)
    assert r.status_code == 422 and r.json()["code"] == "posting.fast_not_open"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    waiting = posting_body(
        station_ids=[1], valid_from=later.isoformat(), valid_to=(later + dt.timedelta(days=1)).isoformat()
    )
    pid = hub.ok("POST", "/api/v1/postings", json=waiting)["id"]
    r = hub.client.post(f"/api/v1/postings/{pid}/fast", headers=hub.staff)
    assert r.status_code == 422 and r.json()["code"] == "posting.fast_not_shown"
    held = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1], requirements="入职先交押金200元"))[
        "id"
    ]
    r = hub.client.post(f"/api/v1/postings/{held}/fast", headers=hub.staff)  # waiting for review: on no screen
    assert r.status_code == 422 and r.json()["code"] == "posting.fast_not_shown"
    assert hub.client.post("/api/v1/postings/999999/fast", headers=hub.staff).status_code == 404
    assert hub.client.post(f"/api/v1/postings/{pid}/fast").status_code == 401


def test_the_console_marks_with_one_button_and_words_a_refusal(hub):
    limit = hub.settings.fast_hire_per_station
    mine = [
        hub.ok("POST", "/api/v1/postings", json=posting_body(title="快招测试", station_ids=[1]))["id"]
        for _ in range(limit + 1)
    ]
    other = hub.ok("POST", "/api/v1/postings", json=posting_body(title="快招测试", station_ids=[2]))["id"]
    client = signed_in(hub, "s1", "station", [1])
    listing = client.get("/staff", params={"q": "快招测试"})
    assert f'action="/staff/postings/{mine[0]}/fast"' in listing.text
    assert f'action="/staff/postings/{other}/fast"' not in listing.text  # not theirs to mark
    token = csrf_of(listing)
    for pid in mine[:limit]:
        done = client.post(
            f"/staff/postings/{pid}/fast", data={"csrf_token": token, "back": "q=快招测试"}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"].endswith(f"&fast={pid}")
    page = client.get(done.headers["location"])
    assert 'id="fast-on"' in page.text and f'id="fast-{mine[0]}"' in page.text
    assert f'action="/staff/postings/{mine[0]}/fast/end"' in page.text
    refused = client.post(f"/staff/postings/{mine[-1]}/fast", data={"csrf_token": token}, follow_redirects=False)
    page = client.get(refused.headers["location"])
    assert re.search(
        rf'id="fast-refused"[^>]*>编号 {mine[-1]} 的岗位没有设为快招：它要展示的驿站已经有 {limit} 个', page.text
    )
    assert client.post(f"/staff/postings/{other}/fast", data={"csrf_token": token}).status_code == 403
    ended = client.post(f"/staff/postings/{mine[0]}/fast/end", data={"csrf_token": token}, follow_redirects=False)
    assert 'id="fast-ended"' in client.get(ended.headers["location"]).text
    # A link's own words never reach the page: only a number and a known reason.
    page = client.get("/staff", params={"fast_refused": "1", "why": "请拨打4001234567"})
    assert "4001234567" not in page.text and "它已经不在招人了" in page.text
