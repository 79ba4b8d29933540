"""技能培训 on the hub: a course offered where it is shown with its seats left, a seat taken with the
card once (from any kiosk, offline or not, the last seat to one worker), the rules of who may join,
the roster, attendance and completion kept on the worker's record, and a seat given back on erasure."""

import datetime as dt
import json
import random
import threading
import time

import pytest
from sqlalchemy import func, select

from cardreader.fictional import person
from floor.timezone import local
from hub import admin
from hub.errors import Conflict
from hub.feed.models import FeedState
from hub.privacy.erase import erase_worker
from hub.training import signups
from hub.training.models import Course, Signup
from hub.workers import service as workers
from hub.workers.models import Worker
from tests.integration.test_events import PERSON, application, event, open_ids, post
from wire.protocol import signup_code

# Other people: made up by the project's fictional-person generator, never written down here.
OTHERS = [
    {"id_number": person(random.Random(40 + i)).id_number, "name": "李四", "phone": "13912345678", "consent": i == 0}
    for i in range(4)
]


def local_today() -> dt.date:
    """The hub's day (Asia/Shanghai): a course's days are the hub's, and UTC is a day behind before 08:00."""
    return dt.datetime.now(local()).date()


def course_body(**over) -> dict:
    today = local_today()
    body = {
        "title": "家政保洁培训",
        "trade_id": 1,
        "organiser": "云江市职业培训学校",
        "place": "云江市人民路 8 号三楼",
        "starts_on": (today + dt.timedelta(days=7)).isoformat(),
        "ends_on": (today + dt.timedelta(days=11)).isoformat(),
        "schedule": "周一至周五 9:00–12:00",
        "seats": 2,
        "cost": "",
        "station_ids": [1],
    }
    return {**body, **over}


def open_for(hours: float, last_day: dt.date) -> str:
    """A sign-up deadline `hours` from now, or the last moment of the course's last day (the hub's)
    if that comes sooner: the hub refuses a deadline past the course's end, and from 23:00 in
    Shanghai an hour on is already the next day there."""
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), local()) - dt.timedelta(seconds=1)
    return min(dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours), end).isoformat()


def running_course(hub, ends_in_days: int = 0, **over) -> dict:
    """A course offered that began yesterday (hub time), ends `ends_in_days` from today, and takes
    sign-ups for another hour (or to its end): attendance and 结业 can be marked on it at once."""
    today = local_today()
    last_day = today + dt.timedelta(days=ends_in_days)
    body = course_body(
        starts_on=(today - dt.timedelta(days=1)).isoformat(),
        ends_on=last_day.isoformat(),
        signup_until=open_for(1, last_day),
        **over,
    )
    return hub.ok("POST", "/api/v1/courses", json=body)


def signup(hub, kiosk_id, n, course_id, who=PERSON, at=None):
    body = {"course": course_id, "person": hub.seal(who, kiosk_id, "course_signup", n)}
    made = event(n, "course_signup", body)
    if at is not None:
        made["at"] = at
    return made


def offered(hub, course_id) -> dict | None:
    with hub.app.state.db.read() as s:
        row = s.scalar(select(FeedState).where(FeedState.kind == "course", FeedState.entity_id == course_id))
        doc = json.loads(row.doc) if row is not None and row.doc else {}
        return doc if "title" in doc else None  # (a withdrawn course leaves a tombstone with its reason)


def station_two(hub) -> dict:
    admin.create_user(hub.settings, "s2", "station", "station two password", [2])
    return {"Authorization": f"Bearer {admin.api_token(hub.settings, 's2')}"}


def test_a_course_is_offered_where_it_is_shown_and_only_its_own_staff_change_it(hub):
    made = hub.client.post("/api/v1/courses", headers=hub.staff, json=course_body(seats=12))
    assert made.status_code == 201, made.text
    course = made.json()
    assert course["taken"] == 0 and course["station_ids"] == [1] and course["trade_name"]
    doc = offered(hub, course["id"])
    assert doc["left"] == 12 and doc["title"] == "家政保洁培训" and doc["cost"] == ""
    # sign-ups close when the first day begins, in the hub's time: the feed drops the course then
    starts = dt.datetime.combine(dt.date.fromisoformat(course["starts_on"]), dt.time(), hub.settings.tz)
    assert doc["to"] == int(starts.timestamp())
    other = station_two(hub)
    assert hub.client.patch(f"/api/v1/courses/{course['id']}", headers=other, json={"seats": 3}).status_code == 403
    assert hub.client.post("/api/v1/courses", headers=other, json=course_body()).status_code == 403
    seen = [c["id"] for c in hub.client.get("/api/v1/courses", headers=other).json()]
    assert course["id"] not in seen  # shown at station 1 only (the demo's courses for everyone are seen)
    assert course["id"] in [c["id"] for c in hub.ok("GET", "/api/v1/courses")]
    # the rules between fields, each a 422 naming its field
    for bad, field in (
        ({"ends_on": (local_today() + dt.timedelta(days=1)).isoformat()}, "ends_on"),
        ({"age_min": 50, "age_max": 30}, "age_max"),
        ({"trade_id": 999_999}, "trade_id"),
        ({"station_ids": []}, "station_ids"),
        ({"seats": 0}, "seats"),
    ):
        r = hub.client.post("/api/v1/courses", headers=hub.staff, json=course_body(**bad))
        assert r.status_code == 422, (bad, r.text)
        assert field in r.text, (bad, r.text)
    changed = hub.ok("PATCH", f"/api/v1/courses/{course['id']}", json={"cost": "0元"})
    assert changed["cost"] == "" and offered(hub, course["id"])["cost"] == ""  # what staff type for free is free
    changed = hub.ok("PATCH", f"/api/v1/courses/{course['id']}", json={"seats": 20, "schedule": "周末全天"})
    assert changed["seats"] == 20 and offered(hub, course["id"])["left"] == 20
    assert (
        hub.ok("POST", f"/api/v1/courses/{course['id']}/status", json={"status": "cancelled"})["status"] == "cancelled"
    )
    assert offered(hub, course["id"]) is None  # withdrawn from every device
    again = hub.client.post(f"/api/v1/courses/{course['id']}/status", headers=hub.staff, json={"status": "open"})
    assert again.status_code == 409


def test_a_seat_is_taken_once_from_any_kiosk_and_a_full_course_is_told(hub):
    course = hub.ok("POST", "/api/v1/courses", json=course_body(seats=2))
    a_id, kiosk_a = hub.device(kind="kiosk", station_id=1)
    b_id, kiosk_b = hub.device(kind="kiosk", station_id=1)
    batch = [signup(hub, a_id, 1, course["id"])]
    for _ in range(3):  # sent three times (a lost answer): applied once
        got = post(hub, kiosk_a, batch).json()["results"][0]
    assert got["status"] == "duplicate"
    # the same worker at another kiosk (offline meanwhile): still one seat, the first receipt's code
    twice = post(hub, kiosk_b, [signup(hub, b_id, 1, course["id"])]).json()["results"][0]
    assert twice["status"] == "applied" and twice["ref"] == signup_code(a_id, 1)
    assert post(hub, kiosk_b, [signup(hub, b_id, 2, course["id"], OTHERS[0])]).json()["results"][0]["ref"] == (
        signup_code(b_id, 2)
    )
    full = post(hub, kiosk_a, [signup(hub, a_id, 2, course["id"], OTHERS[1])]).json()["results"][0]
    assert full["status"] == "rejected" and "名额已经报满" in full["reason"]
    assert offered(hub, course["id"])["left"] == 0
    roster = hub.ok("GET", f"/api/v1/courses/{course['id']}/roster")
    assert [r["masked_name"] for r in roster] == ["张*", "李*"]
    assert [r["phone"] for r in roster] == ["13812345678", "13912345678"]  # both consented
    with hub.app.state.db.read() as s:
        rows = s.scalars(select(Signup)).all()
        assert len(rows) == 2 and all(PERSON["id_number"] not in str(vars(r)) for r in rows)
    # a worker erased on request gives their seat back, on every device at once
    with hub.app.state.db.write() as s:
        assert erase_worker(s, hub.app.state.keys, id_number=PERSON["id_number"])["course_signups"] == 1
    assert offered(hub, course["id"])["left"] == 1
    late = post(hub, kiosk_a, [signup(hub, a_id, 3, course["id"], OTHERS[1])]).json()["results"][0]
    assert late["status"] == "applied"


def test_who_may_join_as_of_the_tap(hub):
    now = time.time()
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    far_id, far = hub.device(kind="kiosk", station_id=2)

    def course(**over):
        return hub.ok("POST", "/api/v1/courses", json=course_body(seats=5, **over))["id"]

    def outcome(device_id, device, n, course_id, who=PERSON, at=None):
        got = post(hub, device, [signup(hub, device_id, n, course_id, who, at)]).json()["results"][0]
        return got["status"], got["reason"]

    young_only = course(age_max=60)  # 张三 was born in 1949
    assert outcome(kiosk_id, kiosk, 1, young_only) == ("rejected", "这期培训要求 60 岁以下")
    registered = course(registered_only=True)
    status, reason = outcome(kiosk_id, kiosk, 2, registered)
    assert status == "rejected" and "先登记" in reason
    here_only = course()
    status, reason = outcome(far_id, far, 1, here_only)
    assert status == "rejected" and "不在本驿站" in reason
    closing = course(signup_until=soon.isoformat())
    # tapped before sign-ups closed, at a kiosk offline until after: it stands; tapped after: it does not
    assert outcome(kiosk_id, kiosk, 3, closing, at=now)[0] == "applied"
    late = outcome(kiosk_id, kiosk, 4, closing, OTHERS[2], at=soon.timestamp() + 60)
    assert late[0] == "rejected" and "截止" in late[1]
    hub.ok("POST", f"/api/v1/courses/{here_only}/status", json={"status": "closed"})
    closed = outcome(kiosk_id, kiosk, 5, here_only)
    assert closed[0] == "rejected" and "停止报名" in closed[1]
    assert outcome(kiosk_id, kiosk, 6, 999_999)[0] == "rejected"  # no such course: told, not a 500
    display_id, display = hub.device(kind="display", station_id=1)
    assert post(hub, display, [signup(hub, display_id, 1, here_only)]).status_code == 403


def test_a_seat_in_a_batch_is_taken_after_the_batchs_other_events_and_answered_in_order(hub):
    """A batch applies the events that write the feed (a seat here) after its others, so that the
    feed's lock, which every hub process waits on, is held for the batch's tail (hub.events.service).
    The answers still come in number order, each once; the one outcome the order decides is a seat on
    a course for registered workers asked for, offline, before registering in the same batch: given."""
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    registered = hub.ok("POST", "/api/v1/courses", json=course_body(seats=5, registered_only=True))["id"]
    posting = open_ids(hub, 1)[0]
    sealed = hub.seal(PERSON, kiosk_id, "registration", 3)
    register = event(3, "registration", {"person": sealed, "intention": {"trades": [1]}})
    batch = [signup(hub, kiosk_id, 1, registered), application(hub, kiosk_id, 2, posting=posting), register]
    got = post(hub, kiosk, batch[::-1]).json()  # (in any order on the wire)
    assert got["applied_through"] == 3
    assert [(r["n"], r["status"]) for r in got["results"]] == [(1, "applied"), (2, "applied"), (3, "applied")]
    assert got["results"][0]["ref"] == signup_code(kiosk_id, 1)
    assert offered(hub, registered)["left"] == 4
    again = post(hub, kiosk, batch + batch[:1]).json()  # (sent again, one number twice)
    assert [(r["n"], r["status"]) for r in again["results"]] == [(1, "duplicate"), (2, "duplicate"), (3, "duplicate")]
    with hub.app.state.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Signup).where(Signup.course_id == registered)) == 1


def test_attendance_and_completion_stay_on_the_worker_record(hub):
    today = local_today()
    later = hub.ok("POST", "/api/v1/courses", json=course_body())
    running = hub.ok(
        "POST",
        "/api/v1/courses",
        json=course_body(
            starts_on=(today - dt.timedelta(days=1)).isoformat(),
            ends_on=today.isoformat(),
            signup_until=open_for(1, today),
        ),
    )
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    results = post(hub, kiosk, [signup(hub, kiosk_id, 1, later["id"]), signup(hub, kiosk_id, 2, running["id"])]).json()[
        "results"
    ]
    assert [r["status"] for r in results] == ["applied", "applied"]
    early_row = hub.ok("GET", f"/api/v1/courses/{later['id']}/roster")[0]
    early = hub.client.post(
        f"/api/v1/courses/{later['id']}/signups/{early_row['id']}", headers=hub.staff, json={"attended": True}
    )
    assert early.status_code == 422  # not begun yet
    row = hub.ok("GET", f"/api/v1/courses/{running['id']}/roster")[0]
    mark = f"/api/v1/courses/{running['id']}/signups/{row['id']}"
    assert hub.client.post(mark, headers=station_two(hub), json={"completed": True}).status_code == 403
    assert (
        hub.client.post(f"/api/v1/courses/{later['id']}/signups/{row['id']}", headers=hub.staff, json={}).status_code
        == 404
    )
    done = hub.ok("POST", mark, json={"completed": True})
    assert done["completed"] and done["attended"]  # 结业 means they came
    with hub.app.state.db.read() as s:
        worker = workers.find(s, hub.app.state.keys, PERSON["id_number"])
        assert signups.completed_trades(s, worker.id) == {1}
    hub.ok("POST", mark, json={"completed": False})
    with hub.app.state.db.read() as s:
        assert signups.completed_trades(s, worker.id) == set()


def test_the_last_seat_goes_to_one_of_two_at_once(hub):
    """Two hub sessions (two processes, in production) taking the last seat at the same moment."""
    course = hub.ok("POST", "/api/v1/courses", json=course_body(seats=1))
    db, keys = hub.app.state.db, hub.app.state.keys
    with db.write() as s:
        people = [workers.find_or_create(s, keys, who["id_number"]).id for who in OTHERS[:2]]
    start, outcomes = threading.Barrier(2), []

    def take(i):
        start.wait(timeout=30)
        try:
            with db.write() as s:
                worker = s.get(Worker, people[i])
                signups.sign_up(
                    s,
                    course["id"],
                    worker=worker,
                    id_number=OTHERS[i]["id_number"],
                    name="",
                    phone="",
                    code=f"T-{i}",
                    device_id=None,
                    station_id=1,
                    at=dt.datetime.now(dt.UTC),
                )
            outcomes.append("seat")
        except Exception as exc:  # the loser's refusal, whatever the database made it wait for
            outcomes.append(getattr(exc, "code", type(exc).__name__))

    threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["offer.full", "seat"]
    assert offered(hub, course["id"])["left"] == 0
    # Asked again once full (kiosks offline go on asking): refused without the feed's lock, which
    # every hub process waits on while another's batch ends (hub.seats.offers.take).
    with db.write() as s:
        worker = workers.find_or_create(s, keys, OTHERS[2]["id_number"])
        with pytest.raises(Conflict) as refused:
            signups.sign_up(
                s,
                course["id"],
                worker=worker,
                id_number=OTHERS[2]["id_number"],
                name="",
                phone="",
                code="T-2",
                device_id=None,
                station_id=1,
                at=dt.datetime.now(dt.UTC),
            )
        assert refused.value.code == "offer.full" and not s.info.get("feed_locked")


def test_batches_of_sign_ups_and_staff_edits_at_once_never_deadlock(hub):
    """Every writer takes the feed's lock before a course's row (a batch of sign-ups to two courses
    against an edit of one of them used to deadlock on PostgreSQL: a 503, the batch sent again)."""
    a = hub.ok("POST", "/api/v1/courses", json=course_body(seats=2000))["id"]
    b = hub.ok("POST", "/api/v1/courses", json=course_body(seats=2000))["id"]
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    answers, stop = [], threading.Event()

    def edit():
        i = 0
        while not stop.is_set():
            i += 1
            answers.append(hub.client.patch(f"/api/v1/courses/{b}", headers=hub.staff, json={"schedule": f"第{i}版"}))

    editor = threading.Thread(target=edit)
    editor.start()
    n = 0
    try:
        for _ in range(12):
            batch = []
            for j in range(8):
                n += 1
                who = {"id_number": person(random.Random(5000 + n)).id_number, "name": "王五", "consent": False}
                batch.append(signup(hub, kiosk_id, n, a if j % 2 == 0 else b, who))
            answers.append(post(hub, kiosk, batch))
    finally:
        stop.set()
        editor.join(timeout=60)
    assert {r.status_code for r in answers} == {200}, [r.text for r in answers if r.status_code != 200][:3]
    assert offered(hub, a)["left"] == 2000 - 48 and offered(hub, b)["left"] == 2000 - 48


def test_what_the_review_found(hub):
    """A seat after erasure by phone, a deadline past the course, a start moved, 结业 on a cancelled
    course or before the last day, a repeat sign-up after a cancel, a tap dated before the course."""
    today = local_today()
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    course = hub.ok("POST", "/api/v1/courses", json=course_body(seats=5))
    assert post(hub, kiosk, [signup(hub, kiosk_id, 1, course["id"])]).json()["results"][0]["status"] == "applied"
    with hub.app.state.db.write() as s:  # a card worker holds no phone on their record; their seat does
        assert erase_worker(s, hub.app.state.keys, phone=PERSON["phone"])["course_signups"] == 1
    assert hub.ok("GET", f"/api/v1/courses/{course['id']}/roster") == []
    late = hub.client.post(
        "/api/v1/courses",
        headers=hub.staff,
        json=course_body(
            signup_until=dt.datetime.combine(today + dt.timedelta(days=12), dt.time(), dt.UTC).isoformat()
        ),
    )
    assert late.status_code == 422 and "signup_until" in late.text
    ended = hub.client.post(
        "/api/v1/courses",
        headers=hub.staff,
        json=course_body(starts_on="2001-01-01", ends_on="2001-01-02", signup_until="2099-01-01T00:00:00+08:00"),
    )
    assert ended.status_code == 422
    moved = hub.ok(
        "PATCH",
        f"/api/v1/courses/{course['id']}",
        json={
            "starts_on": (today + dt.timedelta(days=9)).isoformat(),
            "ends_on": (today + dt.timedelta(days=12)).isoformat(),
        },
    )
    assert dt.datetime.fromisoformat(moved["signup_until"]) == dt.datetime.combine(
        today + dt.timedelta(days=9), dt.time(), hub.settings.tz
    )
    # a tap "before the course existed" (a kiosk clock wrong by decades) counts from the course's creation
    assert (
        post(hub, kiosk, [signup(hub, kiosk_id, 2, course["id"], OTHERS[3], at=0)]).json()["results"][0]["status"]
        == "applied"
    )
    with hub.app.state.db.read() as s:
        assert s.scalars(select(Signup)).one().signed_at.year == dt.datetime.now().year
    running = running_course(hub, ends_in_days=2)
    assert post(hub, kiosk, [signup(hub, kiosk_id, 3, running["id"], OTHERS[2])]).json()["results"][0]["status"] == (
        "applied"
    )
    row = hub.ok("GET", f"/api/v1/courses/{running['id']}/roster")[0]
    mark = f"/api/v1/courses/{running['id']}/signups/{row['id']}"
    too_soon = hub.client.post(mark, headers=hub.staff, json={"completed": True})
    assert too_soon.status_code == 422 and "最后一天" in too_soon.text
    assert hub.ok("POST", mark, json={"attended": True})["attended"]
    hub.ok("POST", f"/api/v1/courses/{running['id']}/status", json={"status": "cancelled"})
    assert hub.client.post(mark, headers=hub.staff, json={"attended": False}).status_code == 409
    again = post(hub, kiosk, [signup(hub, kiosk_id, 4, running["id"], OTHERS[2])]).json()["results"][0]
    assert again["status"] == "rejected" and "已取消" in again["reason"]  # not "applied" with the old code
    edited = hub.client.patch(f"/api/v1/courses/{running['id']}", headers=hub.staff, json={"seats": 9})
    assert edited.status_code == 409


def test_the_course_page_behind_the_receipts_qr_says_when_where_and_seats_left(hub):
    """`/c/<id>`: the days, the hours, the place, the cost (免费), who may join, seats left, headed by
    the kiosk's station; a cancelled course says so first; a mangled address is 没有这期培训 (404)."""
    course = hub.ok("POST", "/api/v1/courses", json=course_body(seats=3, age_min=18))
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    assert post(hub, kiosk, [signup(hub, kiosk_id, 1, course["id"])]).json()["results"][0]["status"] == "applied"
    page = hub.client.get(f"/c/{course['id']}?s=1")
    assert page.status_code == 200 and "content-security-policy" in page.headers
    starts = dt.date.fromisoformat(course["starts_on"])
    text = page.text
    assert f"{starts.month}月{starts.day}日" in text and "周一至周五 9:00–12:00" in text
    assert "云江市人民路 8 号三楼" in text and "免费" in text and "18岁以上" in text
    assert "还剩 <strong>2</strong> 个名额" in text and 'id="station"' in text and 'id="off"' not in text
    before = starts - dt.timedelta(days=1)  # sign-ups close as the first day begins: the night before
    assert f"{before.month}月{before.day}日" in text and "晚上12点前" in text
    assert PERSON["id_number"] not in text
    hub.ok("POST", f"/api/v1/courses/{course['id']}/status", json={"status": "cancelled"})
    cancelled = hub.client.get(f"/c/{course['id']}").text
    assert 'id="off"' in cancelled and "已取消，请不要去上课地点" in cancelled and "还剩" not in cancelled
    running = running_course(hub, ends_in_days=1)
    with hub.app.state.db.write() as s:  # its sign-ups closed meanwhile: those on it go on, calmly said
        s.get(Course, running["id"]).signup_until = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    calm = hub.client.get(f"/c/{running['id']}").text
    assert "报名已经截止了" in calm and "照常参加" in calm and "还剩" not in calm and 'id="off"' not in calm
    for mangled in ("0", "x1", "9" * 12):
        r = hub.client.get(f"/c/{mangled}")
        assert r.status_code == 404 and "没有这期培训" in r.text, mangled
