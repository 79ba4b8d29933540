"""Each station's figures of the day reach its devices: applications taken, people placed."""

import datetime as dt

from hub.applications import service as applications
from hub.applications.models import ApplicationStatus
from tests.integration.test_events import application, post
from wire import protocol


def current(hub, device):
    """What a device holds once in step: the snapshot, then every change after it."""
    r = hub.client.get("/api/v1/sync/snapshot", headers=device)
    cursor, docs = protocol.decode_snapshot(r.json())
    held = {(k, d["id"]): d for k, d in docs}
    while True:
        more = hub.client.get("/api/v1/sync/changes", params={"since": cursor, "wait": 0.2}, headers=device)
        if more.status_code == 304:
            return cursor, list(held.items())
        body = more.json()
        for c in body["changes"]:
            if c["op"] == "del":
                held.pop((c["k"], c["id"]), None)
            else:
                held[(c["k"], c["id"])] = c["d"]
        cursor = body["cursor"]


def snapshot(hub, device):
    cursor, items = current(hub, device)
    return cursor, [(k, d) for (k, _id), d in items], None


def figures_of(docs, station):
    return [d for k, d in docs if k == "figures" and d["station"] == station]


def test_figures_follow_applications_and_placements(hub):
    kiosk_1_id, kiosk_1 = hub.device(station_id=1)
    _, kiosk_2 = hub.device(station_id=2)
    _, docs, _ = snapshot(hub, kiosk_1)
    today = dt.datetime.now(hub.settings.tz).date().isoformat()
    # Seeding starts every station's day at zero, and a device sees only its own station's.
    assert figures_of(docs, 1) == [
        {"id": 1, "station": 1, "date": today, "applications_today": 0, "placed_today": 0, "top_week": []}
    ]
    assert figures_of(docs, 2) == []

    answer = post(hub, kiosk_1, [application(hub, kiosk_1_id, 1, posting=1)]).json()
    assert answer["results"][0]["status"] == "applied"
    _, docs, _ = snapshot(hub, kiosk_1)
    assert figures_of(docs, 1)[0]["applications_today"] == 1
    assert figures_of(snapshot(hub, kiosk_2)[1], 2)[0]["applications_today"] == 0

    with hub.app.state.db.write() as session:
        placed = applications.set_status(session, 1, ApplicationStatus.HIRED, hub.settings.tz)
        assert placed.hired_at is not None
    placed_doc = figures_of(snapshot(hub, kiosk_1)[1], 1)[0]
    assert placed_doc["placed_today"] == 1
    assert placed_doc["top_week"] == [{"name": "张*", "count": 1}]  # the week's 接单王, masked
    with hub.app.state.db.write() as session:  # recorded by mistake, then undone
        applications.set_status(session, 1, ApplicationStatus.CONTACTED, hub.settings.tz)
    assert figures_of(snapshot(hub, kiosk_1)[1], 1)[0]["placed_today"] == 0


def test_a_rejected_application_leaves_the_figures_alone(hub):
    kiosk_id, kiosk = hub.device(station_id=1)
    before = snapshot(hub, kiosk)[0]
    post(hub, kiosk, [application(hub, kiosk_id, 1, posting=99999)])
    cursor, docs, _ = snapshot(hub, kiosk)
    assert figures_of(docs, 1)[0]["applications_today"] == 0
    assert cursor == before  # nothing was published
