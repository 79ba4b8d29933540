"""技能培训 in the console: a station's staff offer a course for their own station (every error of
the form at once), see it with its seats taken, read the roster their own rights allow, mark
attendance and 结业 once the course has begun, and stop sign-ups (the kiosks stop offering it)."""

import datetime as dt
import json

from sqlalchemy import select

from floor.timezone import local
from hub import admin
from hub.feed.models import FeedState
from tests.integration.test_console_forms import reported
from tests.integration.test_events import PERSON, event, post
from tests.integration.test_training import open_for
from tests.support.console import csrf_of, sign_in


def local_today() -> dt.date:
    """The hub's day (Asia/Shanghai): a course's days are the hub's, and UTC is a day behind before 08:00."""
    return dt.datetime.now(local()).date()


def station_staff(hub, name: str, station: int):
    admin.create_user(hub.settings, name, "station", "quiet harbour lantern 7", [station])
    hub.client.cookies.clear()
    r = sign_in(hub.client, name, "quiet harbour lantern 7")
    assert r.status_code == 303, r.text
    return hub.client


def form(**over) -> dict:
    today = local_today()
    return {
        "title": "电工培训",
        "trade_id": "1",
        "organiser": "青川区职业技能培训学校",
        "place": "青川区零工市场三楼培训室",
        "starts_on": (today - dt.timedelta(days=1)).isoformat(),  # begun: attendance may be marked
        "ends_on": today.isoformat(),  # its last day: 结业 may be marked
        "schedule": "上午 9:00–12:00",
        "seats": "2",
        "cost": "",
        "age_min": "",
        "age_max": "",
        **over,
    }


def offered(hub, course_id: int) -> bool:
    with hub.app.state.db.read() as s:
        row = s.scalar(select(FeedState).where(FeedState.kind == "course", FeedState.entity_id == course_id))
        return bool(row and row.doc and "title" in json.loads(row.doc))


def test_a_course_from_the_form_to_the_roster(hub):
    client = station_staff(hub, "s1", 1)
    page = client.get("/staff/courses")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers and "发布一期培训" in page.text
    bad = client.post(
        "/staff/courses",
        data=form(title="", trade_id="", seats="0", ends_on="2020-01-01", age_min="60", age_max="30")
        | {"csrf_token": csrf_of(page)},
    )
    reported(
        bad,
        {"title": "title", "trade_id": "trade_id", "seats": "seats", "ends_on": "ends_on", "age_max": "age_max"},
    )
    course = form()
    made = client.post("/staff/courses", data=course | {"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert made.status_code == 303, made.text
    course_id = int(made.headers["location"].rsplit("/", 1)[1])
    # ticked nothing: a station's staff publish to their own station
    listing = client.get("/staff/courses").text
    assert "电工培训" in listing and "0 / 2" in listing and "培训中" in listing  # (begun yesterday)
    # begun yesterday, its sign-ups closed then: kept open a while longer (through the API)
    later = open_for(2, dt.date.fromisoformat(course["ends_on"]))
    hub.ok("PATCH", f"/api/v1/courses/{course_id}", json={"signup_until": later})
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    body = {"course": course_id, "person": hub.seal(PERSON, kiosk_id, "course_signup", 1)}
    assert post(hub, kiosk, [event(1, "course_signup", body)]).json()["results"][0]["status"] == "applied"
    roster = client.get(f"/staff/courses/{course_id}")
    assert roster.status_code == 200 and "张*" in roster.text and PERSON["phone"] in roster.text
    assert PERSON["id_number"] not in roster.text and "张三" not in roster.text
    signup_id = int(roster.text.split('<tr id="s', 1)[1].split('"', 1)[0])
    marked = client.post(
        f"/staff/courses/{course_id}/signups/{signup_id}",
        data={"mark": "completed", "csrf_token": csrf_of(roster)},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    assert "已结业" in client.get(f"/staff/courses/{course_id}").text
    forged = client.post(
        f"/staff/courses/{course_id}/signups/{signup_id}", data={"mark": "erase", "csrf_token": csrf_of(roster)}
    )
    assert forged.status_code == 422
    # another station's staff: not their course, not their roster
    other = station_staff(hub, "s2", 2)
    assert other.get(f"/staff/courses/{course_id}").status_code == 403
    page = other.get("/staff/courses")
    assert "电工培训" not in page.text
    refused = other.post(f"/staff/courses/{course_id}/status", data={"status": "closed", "csrf_token": csrf_of(page)})
    assert refused.status_code == 403 and offered(hub, course_id)
    client = station_staff(hub, "s1b", 1)
    page = client.get(f"/staff/courses/{course_id}")
    closed = client.post(
        f"/staff/courses/{course_id}/status",
        data={"status": "closed", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert closed.status_code == 303 and not offered(hub, course_id)
    assert "重新开放报名" in client.get(f"/staff/courses/{course_id}").text  # (its stage: 培训中, by its dates)
