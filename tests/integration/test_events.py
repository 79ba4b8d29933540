"""Events up: applied once per (device, number) however often they arrive; personal data kept as the rules say."""

import time
import uuid

import pytest
from sqlalchemy import func, select

from hub.applications.models import Application
from hub.devices.models import Device
from hub.events.models import DeviceEvent
from hub.workers.models import Worker
from tests.support.hub import open_postings, posting_body
from wire import sealed
from wire.protocol import POSTING_ENDED, application_code

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

ID = "11010519491231002X"
PERSON = {"id_number": ID, "name": "张三", "phone": "13812345678", "consent": True}


def event(n, kind, body):
    return {"n": n, "uid": uuid.uuid4().hex, "kind": kind, "at": time.time(), "body": body}


def application(hub, device_id, n, posting=1, person=PERSON):
    return event(n, "application", {"posting": posting, "person": hub.seal(person, device_id, "application", n)})


def post(hub, device, events):
    return hub.client.post("/api/v1/sync/events", json={"events": events}, headers=device)


def count(hub, model, *where):
    with hub.app.state.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def open_ids(hub, count: int = 3) -> list[int]:
    """The first `count` postings a kiosk at station 1 may apply to now."""
    found = open_postings(hub.app.state.db, 1)[:count]
    assert len(found) == count, "the seed has too few open postings at station 1"
    return found


def test_a_batch_sent_three_times_is_applied_once(hub):
    device_id, device = hub.device()
    first, second = open_ids(hub, 2)
    batch = [application(hub, device_id, 1, posting=first), application(hub, device_id, 2, posting=second)]
    first = post(hub, device, batch).json()
    assert first["applied_through"] == 2
    assert [(r["n"], r["status"], r["ref"]) for r in first["results"]] == [
        (1, "applied", application_code(device_id, 1)),
        (2, "applied", application_code(device_id, 2)),
    ]
    for _ in range(2):
        again = post(hub, device, batch).json()
        assert again["applied_through"] == 2 and {r["status"] for r in again["results"]} == {"duplicate"}
    assert count(hub, Application) == 2
    assert count(hub, DeviceEvent, DeviceEvent.device_id == device_id) == 2


def test_a_hub_that_holds_less_than_it_acknowledged_asks_for_the_rest_first(hub):
    """Restored from a backup older than its acknowledgements: a batch whose device says it was
    acknowledged further is not taken (its numbers would hide the lost ones as duplicates); the
    answer says from where to send again, and the heartbeat says how far the hub holds."""
    device_id, device = hub.device()
    posting = open_ids(hub, 1)[0]
    assert post(hub, device, [application(hub, device_id, 1, posting=posting)]).json()["applied_through"] == 1
    lost_day = {"events": [application(hub, device_id, 5, posting=posting)], "acked_through": 4}
    answer = hub.client.post("/api/v1/sync/events", json=lost_day, headers=device).json()
    assert answer == {"applied_through": 1, "results": [], "resend_from": 2}
    far = {"events": [event(1 + 200_000, "registration", {})], "acked_through": 200_000}  # restored far behind
    assert hub.client.post("/api/v1/sync/events", json=far, headers=device).json()["resend_from"] == 2
    assert count(hub, DeviceEvent, DeviceEvent.device_id == device_id) == 1
    beat = hub.client.post("/api/v1/sync/heartbeat", json={"cursor": 0}, headers=device)
    assert beat.status_code == 200 and beat.json() == {"events_through": 1, "release": None}  # (no release on offer)
    # Sent again from 2 (acknowledged no further than the hub holds), everything is taken once.
    again = [event(n, "registration", {"trades": [1]}) for n in (2, 3, 4)] + lost_day["events"]
    taken = hub.client.post("/api/v1/sync/events", json={"events": again, "acked_through": 1}, headers=device)
    assert taken.json()["applied_through"] == 5 and count(hub, DeviceEvent, DeviceEvent.device_id == device_id) == 5


def test_a_rejected_event_is_recorded_and_does_not_block_the_queue(hub):
    device_id, device = hub.device()
    answer = post(
        hub,
        device,
        [
            application(hub, device_id, 1, posting=99999),
            application(hub, device_id, 2, posting=open_ids(hub, 1)[0]),
            application(hub, device_id, 3, posting=open_ids(hub, 1)[0]),
        ],
    ).json()
    assert answer["applied_through"] == 3
    statuses = [(r["status"], r["reason"]) for r in answer["results"]]
    assert statuses[0][0] == "rejected" and "99999" in statuses[0][1]
    assert statuses[1] == ("applied", "")
    assert statuses[2][0] == "rejected" and "已经报过这个岗位了" in statuses[2][1]
    assert application_code(device_id, 2) in statuses[2][1]  # the first application's code, to find it by
    assert count(hub, Application) == 1
    assert count(hub, Worker) == 1  # one worker made, and found the second time


def test_bad_personal_data_is_rejected_not_crashed(hub):
    device_id, device = hub.device()
    wrong_key = sealed.public_key_text(sealed.generate_private_key())
    bad_id = {**PERSON, "id_number": "110105194912310021"}
    answer = post(
        hub,
        device,
        [
            event(
                1,
                "application",
                {
                    "posting": 1,
                    "person": sealed.seal(wrong_key, PERSON, sealed.event_context(device_id, "application", 1)),
                },
            ),
            event(2, "application", {"posting": 1, "person": hub.seal(bad_id, device_id, "application", 2)}),
            event(3, "application", {"posting": 1, "person": "not sealed"}),
            event(4, "application", {"posting": "one"}),
        ],
    ).json()
    reasons = [r["reason"] for r in answer["results"]]
    assert all(r["status"] == "rejected" for r in answer["results"])
    assert "hub's key" in reasons[0] and "check digit" in reasons[1] and "not a sealed" in reasons[2]
    assert "posting" in reasons[3]
    assert not any("110105" in r for r in reasons)  # no ID number echoed back


def test_what_the_hub_keeps_of_a_person(hub):
    device_id, device = hub.device()
    one, two = open_ids(hub, 2)
    no_consent = {**PERSON, "consent": False}
    post(
        hub,
        device,
        [application(hub, device_id, 1, posting=one), application(hub, device_id, 2, posting=two, person=no_consent)],
    )
    with hub.app.state.db.read() as s:
        worker = s.scalar(select(Worker))
        assert worker.id_masked == "110105********002X" and len(worker.id_hash) == 64 and ID not in worker.id_hash
        assert worker.id_hash == hub.app.state.keys.id_hash(ID)
        apps = {a.posting_id: a for a in s.scalars(select(Application))}
        assert (apps[one].name, apps[one].phone) == ("张三", "13812345678") and apps[one].consent_at
        assert (apps[two].name, apps[two].phone, apps[two].consent_at) == ("", "", None)


def test_registration_keeps_a_phone_only_with_consent(hub):
    device_id, device = hub.device()
    intention = {
        "trades": [1, 2],
        "districts": ["青川区"],
        "pay_unit": "day",
        "pay_min_fen": 25000,
        "availability": ["today", "weekends"],
    }
    reg = lambda n, consent: event(
        n,
        "registration",
        {
            "intention": intention,
            "person": hub.seal({**PERSON, "consent": consent}, device_id, "registration", n),
        },
    )
    assert post(hub, device, [reg(1, True)]).json()["results"][0]["status"] == "applied"
    with hub.app.state.db.read() as s:
        w = s.scalar(select(Worker))
        assert w.phone == "13812345678" and w.intention["trades"] == [1, 2]
    post(hub, device, [reg(2, False)])
    with hub.app.state.db.read() as s:
        assert s.scalar(select(Worker)).phone is None


def test_a_display_may_not_send_worker_events(hub):
    wall_id, wall = hub.device("display")
    r = post(hub, wall, [application(hub, wall_id, 1)])
    assert r.status_code == 403
    assert count(hub, Application) == 0


def test_malformed_batches_are_refused_whole(hub):
    _, device = hub.device()
    for bad in (
        [{"n": 0, "uid": uuid.uuid4().hex, "kind": "application", "at": 1, "body": {}}],
        [{"n": 1, "uid": "x", "kind": "application", "at": 1, "body": {}}],
        [{"n": 1, "uid": uuid.uuid4().hex, "kind": "teleport", "at": 1, "body": {}}],
        [],
    ):
        r = post(hub, device, bad)
        assert r.status_code == 422, bad
    r = post(hub, device, [event(n, "registration", {}) for n in range(1, 300)])
    assert r.status_code == 422 and r.json()["field"] == "events"


def test_revoked_and_unknown_tokens(hub):
    device_id, device = hub.device()
    assert hub.client.get("/api/v1/devices/me", headers=device).status_code == 200
    hub.ok("POST", f"/api/v1/devices/{device_id}/revoke")
    time.sleep(0.3)  # the revocation reaches this process's auth cache through the feed
    for path in ("/api/v1/devices/me", "/api/v1/sync/snapshot"):
        assert hub.client.get(path, headers=device).status_code == 401
    assert post(hub, device, [application(hub, device_id, 1)]).status_code == 401


def test_enrollment_codes_are_one_time_and_only_hashes_are_kept(hub):
    body = {"name": "wall", "kind": "display", "station_id": 1}
    code = hub.ok("POST", "/api/v1/devices", json=body)["enroll_code"]
    first = hub.client.post("/api/v1/devices/enroll", json={"code": code.lower().replace("-", "")})
    assert first.status_code == 200
    assert hub.client.post("/api/v1/devices/enroll", json={"code": code}).status_code == 401
    with hub.app.state.db.read() as s:
        d = s.get(Device, first.json()["device_id"])
        assert d.token_hash and first.json()["token"] not in d.token_hash and d.enroll_code_hash is None


def test_play_records_sum_per_posting_and_day(hub):
    from hub.plays.models import PostingPlay

    wall_id, wall = hub.device(kind="display")
    here = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1, 2]))["id"]
    elsewhere = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[2]))["id"]
    now = time.time()
    shown = [[1, 3, 36.0], [2, 1, 12.0], [987654, 1, 12.0], [here, 1, 12.0], [elsewhere, 1, 12.0]]
    first = {"from": now - 300, "to": now, "shown": shown}
    second = {"from": now, "to": now + 1, "shown": [[1, 1, 12.5]]}
    answer = post(
        hub,
        wall,
        [
            event(1, "play", first),
            event(2, "play", second),
            event(3, "play", {"from": now, "to": now - 5, "shown": []}),
            event(4, "play", {"from": now, "to": now, "shown": [[1, -1, 3.0]]}),
        ],
    ).json()
    assert [r["status"] for r in answer["results"]] == ["applied", "applied", "rejected", "rejected"]
    # the unknown posting is skipped, not an error; so is one shown only at another station
    assert answer["results"][0]["ref"] == "3 postings"
    with hub.app.state.db.read() as s:
        rows = {r.posting_id: (r.shows, r.seconds) for r in s.scalars(select(PostingPlay))}
    assert rows == {1: (4, 48.5), 2: (1, 12.0), here: (1, 12.0)}
    # a kiosk may not send play records, nor a wall applications
    _, kiosk = hub.device(kind="kiosk")
    assert post(hub, kiosk, [event(1, "play", first)]).status_code == 403
    assert post(hub, wall, [application(hub, wall_id, 5)]).status_code == 403


def test_a_sealed_body_opens_only_as_the_event_it_was_sealed_for(hub):
    """Security review, finding 3: a blob sealed by kiosk A was accepted from kiosk B, or as another
    kind of event (an application became a registration)."""
    a_id, kiosk_a = hub.device()
    _, kiosk_b = hub.device()
    stolen = hub.seal(PERSON, a_id, "application", 1)
    answer = post(hub, kiosk_b, [event(1, "application", {"posting": 1, "person": stolen})]).json()
    assert answer["results"][0]["status"] == "rejected" and "not for this device" in answer["results"][0]["reason"]
    answer = post(hub, kiosk_a, [event(1, "registration", {"intention": {}, "person": stolen})]).json()
    assert answer["results"][0]["status"] == "rejected"
    lookup = hub.client.post("/api/v1/workers/lookup", headers=kiosk_a, json={"person": stolen})
    assert lookup.status_code == 422
    assert count(hub, Application) == 0 and count(hub, Worker) == 0


def test_an_absurd_event_number_is_refused_and_the_device_goes_on(hub):
    """Security review, finding 4: an event numbered 2^62 was applied, and every real event after it
    acknowledged as a duplicate and dropped; after re-enrolment the device was refused for ever."""
    device_id, device = hub.device()
    far = post(hub, device, [application(hub, device_id, 2**62)])
    assert far.status_code == 422 and far.json()["code"] == "event.number_beyond"
    answer = post(hub, device, [application(hub, device_id, 1)]).json()
    assert answer["results"][0]["status"] == "applied" and count(hub, Application) == 1
    code = hub.ok("POST", f"/api/v1/devices/{device_id}/code")["enroll_code"]
    again = hub.client.post("/api/v1/devices/enroll", json={"code": code}).json()
    assert again["event_base"] == 1  # numbering goes on from what was really applied


def test_a_control_character_in_a_sealed_name_refuses_that_event_only(hub):
    """Security review, finding 8: on PostgreSQL a NUL in a sealed name failed the kiosk's whole
    batch with a 500 on every retry, blocking its outbox for good."""
    device_id, device = hub.device()
    ids = open_ids(hub, 3)
    answer = post(
        hub,
        device,
        [
            application(hub, device_id, 1, posting=ids[0], person={**PERSON, "name": "张\x00三"}),
            application(hub, device_id, 2, posting=ids[1], person={**PERSON, "name": "张\u202e三"}),
            application(hub, device_id, 3, posting=ids[2]),
        ],
    )
    assert answer.status_code == 200
    assert [r["status"] for r in answer.json()["results"]] == ["rejected", "rejected", "applied"]
    assert answer.json()["applied_through"] == 3 and count(hub, Application) == 1


def test_applications_only_to_postings_shown_here_and_open_as_far_as_the_kiosk_knew(hub):
    """Security review, finding 9: intake took applications to closed postings and to postings of
    other stations. A posting closed after the kiosk's last news of it (an offline kiosk) still takes
    the application; one the kiosk had been told was closed does not."""
    from tests.support.hub import posting_body

    device_id, device = hub.device(station_id=1)
    elsewhere = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[2]))["id"]
    here = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))["id"]
    before_closing = feed_head(hub)
    hub.ok("POST", f"/api/v1/postings/{here}/status", json={"status": "closed"})
    after_closing = feed_head(hub)  # (read from the database: the process's feed cache may lag a moment)

    def apply(n, posting, cursor):
        return event(
            n,
            "application",
            {"posting": posting, "cursor": cursor, "person": hub.seal(PERSON, device_id, "application", n)},
        )

    answer = post(
        hub, device, [apply(1, elsewhere, after_closing), apply(2, here, after_closing), apply(3, here, before_closing)]
    ).json()
    results = [(r["status"], r["reason"]) for r in answer["results"]]
    assert results[0] == ("rejected", "这个岗位不在本驿站发布")
    assert results[1] == ("rejected", "这个岗位已经招满或结束招聘")
    # The offline kiosk's application stands, marked for the station: the posting ended meanwhile.
    assert results[2] == ("applied", POSTING_ENDED)
    assert count(hub, Application, Application.posting_ended.is_(True)) == 1


def test_an_application_past_a_window_shortened_while_the_kiosk_was_offline_stands(hub):
    """Staff moved a posting's end forward while a kiosk was offline; its worker applied within the
    window the kiosk held. That application is recorded (posting ended); one past the window the
    kiosk had been told of is refused."""
    import datetime as dt

    from tests.support.hub import posting_body

    device_id, device = hub.device(station_id=1)
    now = dt.datetime.now(dt.UTC)
    body = posting_body(station_ids=[1], valid_from=(now - dt.timedelta(days=3)).isoformat())
    posting = hub.ok("POST", "/api/v1/postings", json=body)["id"]
    before = feed_head(hub)
    hub.ok("PATCH", f"/api/v1/postings/{posting}", json={"valid_to": (now - dt.timedelta(days=2)).isoformat()})
    after = feed_head(hub)

    def apply(n, cursor, person=PERSON):
        at = (now - dt.timedelta(days=1)).timestamp()  # a day after the new end, inside the old window
        sealed_person = hub.seal(person, device_id, "application", n)
        return {**event(n, "application", {"posting": posting, "cursor": cursor, "person": sealed_person}), "at": at}

    other = {**PERSON, "id_number": "440524188001010014"}
    answer = post(hub, device, [apply(1, before), apply(2, after, other)]).json()
    assert [(r["status"], r["reason"]) for r in answer["results"]] == [
        ("applied", POSTING_ENDED),
        ("rejected", "这个岗位的招聘期已经过了"),
    ]
    assert answer["applied_through"] == 2


def feed_head(hub) -> int:
    from hub.feed import service as feed

    with hub.app.state.db.read() as s:
        return feed.head(s)


def test_absurd_play_records_are_refused(hub):
    _, wall = hub.device(kind="display")
    now = time.time()
    answer = post(
        hub,
        wall,
        [
            event(1, "play", {"from": now - 300, "to": now, "shown": [[1, 2_000_000, 10.0]]}),  # a page a microsecond
            event(2, "play", {"from": now - 300, "to": now, "shown": [[1, 10, 90_000.0]]}),  # on screen a day in 5 min
            event(3, "play", {"from": now - 30 * 86400, "to": now, "shown": [[1, 10, 10.0]]}),  # a month in one record
            event(4, "play", {"from": now - 300, "to": now, "shown": [[1, 25, 300.0]]}),
            event(5, "play", {"from": now - 300, "to": now, "shown": [[1, 5, 60.0], [1, 5, 60.0]]}),  # listed twice
        ],
    ).json()
    assert [r["status"] for r in answer["results"]] == ["rejected", "rejected", "rejected", "applied", "rejected"]
    from tests.support.hub import posting_body

    elsewhere = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[2]))["id"]
    answer = post(hub, wall, [event(6, "play", {"from": now - 300, "to": now, "shown": [[elsewhere, 5, 60.0]]})])
    assert answer.json()["results"][0]["ref"] == "0 postings"  # not shown at this wall's station: not counted


def test_infinities_and_nul_bytes_are_refused_at_the_edge(hub):
    """Security review, finding 9: a heartbeat with an infinite or NaN clock was stored and broke the
    console's device pages; NUL and Infinity failed on PostgreSQL with a 500."""
    _, device = hub.device()
    for raw in (
        '{"clock": Infinity}',
        '{"clock": NaN}',
        '{"last_sync_ok": -Infinity}',
        '{"showing": "a\\u0000b"}',
        '{"self_check": "ok\\u202e"}',
        '{"clock": 1e400}',
    ):
        r = hub.client.post(
            "/api/v1/sync/heartbeat", headers={**device, "Content-Type": "application/json"}, content=raw
        )
        assert r.status_code == 422, raw
    r = hub.client.post(
        "/api/v1/sync/events",
        headers={**device, "Content-Type": "application/json"},
        content='{"events": [{"n": 1, "uid": "'
        + uuid.uuid4().hex
        + '", "kind": "application", "at": NaN, "body": {}}]}',
    )
    assert r.status_code == 422
    assert hub.client.get("/api/v1/sync/changes?since=0&wait=nan", headers=device).status_code == 422
    assert hub.client.get("/api/v1/sync/changes?since=0&wait=inf", headers=device).status_code == 422
    assert hub.client.get("/p/1%00").status_code == 400


def test_a_process_applies_only_a_few_batches_at_a_time(hub, monkeypatch):
    """Six kiosks sending at once: at most AT_ONCE batches are inside the database at a time
    in one process (the rest wait in the event loop), and every one is applied."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from hub.events import router

    inside, most, entered, guard = 0, 0, 0, threading.Lock()
    # The first two in wait for each other (so a loaded machine cannot run the batches one after
    # another and see one at a time); the bound only catches a hang.
    first_two = threading.Barrier(2, timeout=60)
    apply = router._apply

    def counted(*args):
        nonlocal inside, most, entered
        with guard:
            inside += 1
            entered += 1
            most = max(most, inside)
            among_first = entered <= 2
        try:
            if among_first:
                first_two.wait()
            time.sleep(0.05)  # long enough for the others to arrive while this one is inside
            return apply(*args)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(router, "_apply", counted)
    kiosks = [hub.device() for _ in range(6)]
    postings = open_ids(hub, 6)  # (one person: an application each to another posting)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda k, p: post(hub, k[1], [application(hub, k[0], 1, posting=p)]), kiosks, postings))
    assert [a.status_code for a in answers] == [200] * 6
    assert {a.json()["results"][0]["status"] for a in answers} == {"applied"}
    assert 1 < most <= router.AT_ONCE
