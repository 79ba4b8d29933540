"""/metrics: Prometheus text read back with prometheus_client's parser after real calls (a long poll
held open, events applied and refused, a seal that does not open, failed sign-ins and enrollments,
a 429), labelled by route template only; and who may read it (a token, or loopback unproxied)."""

import threading
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.support.console import csrf_of
from tests.support.hub import open_postings, posting_body

LOCAL = ("127.0.0.1", 50123)


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def scrape(hub) -> dict[tuple, float]:
    answer = TestClient(hub.app, client=LOCAL).get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def event(n, kind, body):
    return {"n": n, "uid": uuid.uuid4().hex, "kind": kind, "at": time.time(), "body": body}


def test_metrics_count_what_the_hub_did(hub):
    before = scrape(hub)
    kiosk_id, kiosk = hub.device("kiosk")
    _, wall = hub.device("display")
    posting = open_postings(hub.app.state.db, 1)[0]

    # A long poll held open shows as one open, and closes when a change wakes it.
    head = hub.client.get("/api/v1/sync/changes?since=0", headers=kiosk).headers["etag"].strip('"')
    answers = []
    poll = threading.Thread(
        target=lambda: answers.append(hub.client.get(f"/api/v1/sync/changes?wait=10&since={head}", headers=kiosk))
    )
    poll.start()
    for _ in range(400):
        if value(scrape(hub), "lingong_feed_long_polls_open") >= 1:
            break
        time.sleep(0.01)
    assert value(scrape(hub), "lingong_feed_long_polls_open") == 1
    made = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))
    poll.join(10)
    assert answers and answers[0].status_code == 200
    hub.ok("PATCH", f"/api/v1/postings/{made['id']}", json={"headcount": 8})
    assert value(scrape(hub), "lingong_feed_long_polls_open") == 0

    # Events: one applied, one whose sealed person does not open (rejected), one batch refused.
    person = {"id_number": "11010519491231002X", "name": "张三", "phone": "13812345678", "consent": True}
    good = event(1, "application", {"posting": posting, "person": hub.seal(person, kiosk_id, "application", 1)})
    bad = event(2, "application", {"posting": posting, "person": hub.seal(person, kiosk_id, "application", 9)})
    results = hub.client.post("/api/v1/sync/events", json={"events": [good, bad]}, headers=kiosk).json()["results"]
    assert [r["status"] for r in results] == ["applied", "rejected"]
    refused = hub.client.post("/api/v1/sync/events", json={"events": [good]}, headers=wall)
    assert refused.status_code == 403

    # A heartbeat: the kiosk is online, some changes behind the head.
    hub.client.post("/api/v1/sync/heartbeat", json={"cursor": 1}, headers=kiosk).raise_for_status()

    # A wrong password, then wrong enrollment codes until the limit answers 429.
    page = hub.client.get("/staff/login")
    wrong = hub.client.post(
        "/staff/login",
        data={"name": "admin", "password": "not it", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert wrong.status_code == 401
    codes = [hub.client.post("/api/v1/devices/enroll", json={"code": "WRONG-CODE"}).status_code for _ in range(11)]
    assert codes[0] == 401 and codes[-1] == 429
    assert hub.client.get("/static/console.css").status_code == 200
    assert hub.client.get("/no/such/page/12345").status_code == 404

    after = scrape(hub)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("lingong_events_total", kind="application", status="applied") == 1
    assert grew("lingong_events_total", kind="application", status="rejected") == 1
    assert grew("lingong_sealed_open_failures_total") == 1
    assert grew("lingong_event_batches_refused_total", code="event.kind_forbidden") == 1
    assert grew("lingong_login_failures_total", reason="wrong") == 1
    # (the two enrollments above count against the same address's limit)
    assert grew("lingong_enroll_failures_total", code="device.code_unknown") == codes.count(401) >= 1
    assert grew("lingong_rate_limited_total", limit="enroll") == codes.count(429) >= 1
    # Requests by route template and status, with latency histograms; never a raw path with an id.
    assert grew("lingong_http_requests_total", route="/api/v1/sync/events", method="POST", status="200") == 1
    enroll_429 = grew("lingong_http_requests_total", route="/api/v1/devices/enroll", method="POST", status="429")
    assert enroll_429 == codes.count(429)
    assert grew("lingong_http_request_duration_seconds_count", route="/api/v1/sync/changes", method="GET") >= 2
    inf = value(
        after, "lingong_http_request_duration_seconds_bucket", route="/api/v1/sync/changes", method="GET", le="+Inf"
    )
    assert inf >= 2
    routes = {dict(labels).get("route") for (name, labels) in after if name == "lingong_http_requests_total"}
    assert "/api/v1/postings/{posting_id}" in routes
    assert grew("lingong_http_requests_total", route="/static", method="GET", status="200") == 1
    assert grew("lingong_http_requests_total", route="(unmatched)", method="GET", status="404") == 1
    assert not [r for r in routes if any(part.isdigit() for part in r.split("/"))], routes
    # The feed's head and the fleet: online kiosk, behind by the changes since its cursor 1.
    head_now = value(after, "lingong_feed_head")
    assert head_now == hub.app.state.feed.head > 1
    assert value(after, "lingong_devices", kind="kiosk", state="online") == 1
    assert value(after, "lingong_devices", kind="display", state="never_seen") == 1
    lag = head_now - 1
    group = "1-10" if lag <= 10 else "11-100" if lag <= 100 else "101-1000" if lag <= 1000 else "over-1000"
    assert value(after, "lingong_devices_behind", kind="kiosk", behind=group) == 1
    assert value(after, "lingong_device_lag_max_changes", kind="kiosk") == lag
    assert value(after, "lingong_db_pool_size") >= 1
    assert ("lingong_db_connections_in_use", ()) in after


def test_metrics_are_for_this_machine_or_the_token_holder(hub):
    """No token: loopback only, and not through a proxy (a local nginx relays the world)."""
    assert hub.client.get("/metrics").status_code == 403  # the test client's address is no loopback
    local = TestClient(hub.app, client=LOCAL)
    assert local.get("/metrics").status_code == 200
    relayed = local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert relayed.status_code == 403 and "LINGONG_METRICS_TOKEN" in relayed.json()["error"]
    # With a token, the address no longer matters, but the token does.
    hub.app.state.settings = hub.settings.model_copy(update={"metrics_token": "s3cret-metrics"})
    assert local.get("/metrics").status_code == 401
    assert hub.client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = hub.client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"})
    assert answer.status_code == 200 and "lingong_feed_head" in answer.text
