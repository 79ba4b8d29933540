"""Every route of the hub × every kind of caller → allowed or refused, from one table. A route
added without a row here fails `test_every_route_has_a_rule`."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from hub import admin
from hub.applications.models import Application
from hub.orders import links
from hub.orders import service as orders
from hub.orders.schemas import OrderIn
from hub.outreach.models import OutreachCall
from hub.staff.models import Role
from hub.staff.service import Principal
from hub.workers.models import Worker
from tests.support.console import ADMIN_PASSWORD, sign_in
from tests.support.databases import database
from tests.support.hub import posting_body
from wire import sealed

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

CALLERS = (
    "nobody",
    "revoked",
    "display",
    "kiosk",
    "booth",
    "other_staff",
    "station_staff",
    "admin",
    "station_session",
    "admin_session",
)
EVERYONE = set(CALLERS)
DEVICES = {"display", "kiosk", "booth"}
STAFF = {"other_staff", "station_staff", "admin"}
MINE = {"station_staff", "admin"}  # the resource belongs to station 1
ADMIN = {"admin"}
CONSOLE = {"station_session", "admin_session"}

# (method, path) → who may call it. Path parameters are filled with station 1's records.
RULES: dict[tuple[str, str], set[str]] = {
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/api/v1/market/pay-guide"): EVERYONE,  # the market's public figures
    ("GET", "/api/v1/market/shortage"): EVERYONE,
    ("PUT", "/api/v1/market/official-rates/{trade_id}/{unit}"): ADMIN,  # published as the city's
    ("DELETE", "/api/v1/market/official-rates/{trade_id}/{unit}"): ADMIN,
    ("GET", "/openapi.json"): EVERYONE,  # /docs is off unless LINGONG_API_DOCS is set
    # Prometheus: LINGONG_METRICS_TOKEN's holder, or (no token) loopback unproxied; the test
    # client's address is no loopback, so nobody here (test_metrics.py checks both ways in)
    ("GET", "/metrics"): set(),
    # the sync link: enrolled, unrevoked devices only
    ("GET", "/api/v1/sync/snapshot"): DEVICES,
    ("GET", "/api/v1/sync/changes"): DEVICES,
    ("GET", "/api/v1/sync/stream"): DEVICES,
    ("POST", "/api/v1/sync/events"): DEVICES,
    ("POST", "/api/v1/sync/heartbeat"): DEVICES,
    ("GET", "/api/v1/devices/me"): DEVICES,
    ("POST", "/api/v1/devices/enroll"): EVERYONE,  # the one-time code is the credential
    # the wheel of the release rolled out to the calling device (none here: a 404 past the door)
    ("GET", "/api/v1/sync/releases/{release_id}/wheel"): DEVICES,
    ("POST", "/api/v1/workers/lookup"): {"kiosk", "booth"},
    ("POST", "/api/v1/interviews/checkin"): {"booth"},
    # staff API (bearer tokens)
    ("POST", "/api/v1/devices"): MINE,
    ("POST", "/api/v1/devices/{device_id}/code"): MINE,
    ("GET", "/api/v1/devices"): STAFF,  # each sees their own stations' devices
    ("PATCH", "/api/v1/devices/{device_id}"): MINE,
    ("POST", "/api/v1/devices/{device_id}/revoke"): MINE,
    # signed releases: publishing and rolling out decide what code devices run
    ("POST", "/api/v1/releases"): ADMIN,
    ("GET", "/api/v1/releases"): ADMIN,
    ("PUT", "/api/v1/releases/{release_id}/rollout"): ADMIN,
    ("GET", "/api/v1/stations"): STAFF,
    ("POST", "/api/v1/stations"): ADMIN,
    ("PUT", "/api/v1/stations/{station_id}"): ADMIN,
    ("GET", "/api/v1/trades"): STAFF,
    ("POST", "/api/v1/employers"): STAFF,
    ("GET", "/api/v1/employers/{employer_id}"): STAFF,
    ("PUT", "/api/v1/employers/{employer_id}"): STAFF,
    # the verified mark: administrators, and the station that registered the employer (employer 1
    # was registered by none)
    ("POST", "/api/v1/employers/{employer_id}/verify"): ADMIN,
    ("POST", "/api/v1/postings"): MINE,  # for station 1: its staff and administrators
    ("GET", "/api/v1/postings/{posting_id}"): STAFF,
    ("PATCH", "/api/v1/postings/{posting_id}"): MINE,
    ("POST", "/api/v1/postings/{posting_id}/status"): MINE,
    ("POST", "/api/v1/postings/{posting_id}/fast"): MINE,  # 即时快招
    ("DELETE", "/api/v1/postings/{posting_id}/fast"): MINE,
    ("POST", "/api/v1/announcements"): MINE,
    ("PUT", "/api/v1/announcements/{announcement_id}"): MINE,
    ("DELETE", "/api/v1/announcements/{announcement_id}"): MINE,
    ("POST", "/api/v1/interviews/slots"): MINE,  # at station 1's booth
    ("GET", "/api/v1/interviews/slots"): STAFF,  # each sees their own stations' booths
    ("POST", "/api/v1/interviews/slots/{slot_id}/cancel"): MINE,
    ("POST", "/api/v1/interviews/slots/{slot_id}/no-show"): MINE,
    # 技能培训 (hub.training): a course shown at station 1 only, a worker signed up at its kiosk
    ("POST", "/api/v1/courses"): MINE,
    ("GET", "/api/v1/courses"): STAFF,  # each sees the courses shown at their stations
    ("PATCH", "/api/v1/courses/{course_id}"): MINE,
    ("POST", "/api/v1/courses/{course_id}/status"): MINE,
    ("GET", "/api/v1/courses/{course_id}/roster"): MINE,
    ("POST", "/api/v1/courses/{course_id}/signups/{signup_id}"): MINE,
    # 包车 (hub.buses): a departure shown at station 1 only, a worker's seat taken at its kiosk
    ("POST", "/api/v1/buses"): MINE,
    ("GET", "/api/v1/buses"): STAFF,  # each sees the departures shown at their stations
    ("PATCH", "/api/v1/buses/{departure_id}"): MINE,
    ("POST", "/api/v1/buses/{departure_id}/status"): MINE,
    ("GET", "/api/v1/buses/{departure_id}/manifest"): MINE,
    ("POST", "/api/v1/buses/{departure_id}/seats/{seat_id}"): MINE,
    # 零工团队上墙 (hub.teams): a team at station 1
    ("POST", "/api/v1/teams"): MINE,
    ("GET", "/api/v1/teams"): STAFF,  # each sees their own stations' teams
    ("PATCH", "/api/v1/teams/{team_id}"): MINE,
    # 招聘会 (hub.fairs): a fair held at station 1 only, a number taken at its kiosk
    ("POST", "/api/v1/fairs"): MINE,
    ("GET", "/api/v1/fairs"): STAFF,  # each sees the fairs shown at their stations (links: their own only)
    ("POST", "/api/v1/fairs/{fair_id}/status"): MINE,
    ("GET", "/api/v1/interviews/slots/{slot_id}/link"): MINE,
    # public pages
    ("GET", "/p/{posting_id}"): EVERYONE,
    ("GET", "/m"): EVERYONE,  # the market's figures for phones
    ("POST", "/p/{posting_id}/apply"): EVERYONE,
    ("POST", "/p/{posting_id}/report"): EVERYONE,  # 举报 from a phone: no ID (hub.trust)
    ("GET", "/o/new"): EVERYONE,  # a resident posts a household order
    ("POST", "/o/new"): EVERYONE,
    ("GET", "/o/w/{token}"): EVERYONE,  # the signed link is the dispatched worker's credential
    ("POST", "/o/w/{token}/accept"): EVERYONE,
    ("POST", "/o/w/{token}/complete"): EVERYONE,
    ("GET", "/i/{link_token}"): EVERYONE,  # the employer's signed interview link
    ("GET", "/b/{booth_token}"): EVERYONE,  # a fair booth's signed link is its employer's credential
    ("POST", "/b/{booth_token}/next"): EVERYONE,
    ("POST", "/b/{booth_token}/came"): EVERYONE,
    ("POST", "/b/{booth_token}/hired"): EVERYONE,
    ("GET", "/q/{secret}"): EVERYONE,  # a number's secret (the kiosk's QR) is its holder's credential
    ("GET", "/c/{course_id}"): EVERYONE,  # a course's public page (the sign-up receipt's QR)
    ("GET", "/d/{departure_id}"): EVERYONE,  # a bus's public page (the sign-up receipt's QR)
    ("GET", "/staff/login"): EVERYONE,
    ("POST", "/staff/login"): EVERYONE,
    ("POST", "/staff/logout"): EVERYONE,
    ("GET", "/staff/login/second"): set(),  # only a sign-in whose password was right, still pending
    ("POST", "/staff/login/second"): set(),
    # the console (session cookies, never bearer tokens)
    ("GET", "/staff"): CONSOLE,
    ("GET", "/staff/postings/new"): CONSOLE,
    ("POST", "/staff/postings/new"): CONSOLE,
    ("POST", "/staff/postings/{posting_id}/close"): CONSOLE,  # a posting shown at station 1
    ("GET", "/staff/employers"): CONSOLE,
    ("POST", "/staff/employers"): CONSOLE,
    ("GET", "/staff/devices"): CONSOLE,
    ("POST", "/staff/devices"): CONSOLE,
    ("GET", "/staff/applications"): CONSOLE,  # each sees their own stations' applications
    ("POST", "/staff/applications/{application_id}/status"): CONSOLE,
    ("GET", "/staff/dashboard"): CONSOLE,
    ("GET", "/staff/outcomes.xlsx"): CONSOLE,  # the labour bureau's workbook (station staff: their funnel)
    # Excel exports (test_exports.py: station staff get their own stations' rows)
    ("GET", "/staff/postings.xlsx"): CONSOLE,
    ("GET", "/staff/applications.xlsx"): CONSOLE,
    ("GET", "/staff/orders.xlsx"): CONSOLE,
    ("GET", "/staff/figures.xlsx"): CONSOLE,
    ("GET", "/staff/postings/{posting_id}/copy"): CONSOLE,
    ("GET", "/staff/postings/{posting_id}/edit"): CONSOLE,
    ("POST", "/staff/postings/{posting_id}/edit"): CONSOLE,
    ("POST", "/staff/postings/{posting_id}/full"): CONSOLE,
    ("POST", "/staff/postings/{posting_id}/fast"): CONSOLE,  # 即时快招: one button, no question
    ("POST", "/staff/postings/{posting_id}/fast/end"): CONSOLE,
    ("GET", "/staff/postings/{posting_id}/full"): CONSOLE,  # the question before it
    ("GET", "/staff/postings/{posting_id}/close"): CONSOLE,
    ("GET", "/staff/posters"): CONSOLE,
    ("GET", "/staff/stations/{station_id}/poster"): CONSOLE,  # station 1's
    ("GET", "/staff/postings/import"): CONSOLE,
    ("GET", "/staff/postings/import.csv"): CONSOLE,
    ("GET", "/staff/postings/import.xlsx"): CONSOLE,  # the same template as a workbook
    ("POST", "/staff/postings/import"): CONSOLE,
    ("GET", "/staff/employers/{employer_id}"): CONSOLE,
    ("POST", "/staff/employers/{employer_id}"): CONSOLE,
    ("POST", "/staff/employers/{employer_id}/verify"): {"admin_session"},
    ("GET", "/staff/orders"): CONSOLE,  # each sees their own stations' orders
    ("POST", "/staff/orders/{order_id}/publish"): CONSOLE,  # an order at station 1
    ("POST", "/staff/orders/{order_id}/dispatch"): CONSOLE,
    ("POST", "/staff/orders/{order_id}/reject"): CONSOLE,
    ("POST", "/staff/orders/{order_id}/accept"): CONSOLE,
    ("POST", "/staff/orders/{order_id}/complete"): CONSOLE,
    ("POST", "/staff/orders/{order_id}/cancel"): CONSOLE,
    ("GET", "/staff/devices/{device_id}"): CONSOLE,  # a device at station 1
    ("POST", "/staff/devices/{device_id}"): CONSOLE,
    ("POST", "/staff/devices/{device_id}/revoke"): CONSOLE,
    ("GET", "/staff/devices/{device_id}/capture.png"): CONSOLE,
    ("GET", "/staff/interviews"): CONSOLE,
    ("POST", "/staff/interviews"): CONSOLE,
    ("POST", "/staff/interviews/{slot_id}/cancel"): CONSOLE,  # a slot at station 1's booth
    ("GET", "/staff/courses"): CONSOLE,
    ("POST", "/staff/courses"): CONSOLE,  # (a form with errors is still the caller's own page)
    ("GET", "/staff/courses/{course_id}"): CONSOLE,  # a course shown at station 1
    ("POST", "/staff/courses/{course_id}/status"): CONSOLE,
    ("POST", "/staff/courses/{course_id}/signups/{signup_id}"): CONSOLE,
    ("GET", "/staff/buses"): CONSOLE,
    ("POST", "/staff/buses"): CONSOLE,  # (a form with errors is still the caller's own page)
    ("GET", "/staff/buses/{departure_id}"): CONSOLE,  # a bus shown at station 1
    ("POST", "/staff/buses/{departure_id}/status"): CONSOLE,  # (no status sent: told on its manifest)
    ("POST", "/staff/buses/{departure_id}/seats/{seat_id}"): CONSOLE,
    ("GET", "/staff/fairs"): CONSOLE,
    ("POST", "/staff/fairs"): CONSOLE,  # (a form with errors is still the caller's own page)
    ("GET", "/staff/fairs/{fair_id}"): CONSOLE,  # a fair held at station 1, its booths' links
    ("POST", "/staff/fairs/{fair_id}/status"): CONSOLE,  # (no status sent: told on the fair's page)
    ("GET", "/staff/teams"): CONSOLE,  # each sees their own stations' teams
    ("POST", "/staff/teams"): CONSOLE,  # (a form with errors is still the caller's own page)
    ("GET", "/staff/teams/{team_id}"): CONSOLE,  # a team at station 1, its QR code
    ("POST", "/staff/teams/{team_id}"): CONSOLE,  # (nothing sent: told on the team's page)
    ("POST", "/staff/teams/{team_id}/retire"): CONSOLE,
    ("POST", "/staff/teams/{team_id}/restore"): CONSOLE,
    ("POST", "/staff/interviews/{slot_id}/no-show"): CONSOLE,
    ("GET", "/staff/announcements"): CONSOLE,
    ("POST", "/staff/announcements"): CONSOLE,
    ("POST", "/staff/announcements/{announcement_id}/withdraw"): CONSOLE,
    ("GET", "/staff/account"): CONSOLE,  # one's own password
    ("POST", "/staff/account"): CONSOLE,
    # staff accounts and the audit trail: administrators in the console only
    ("GET", "/staff/users"): {"admin_session"},
    ("POST", "/staff/users"): {"admin_session"},
    ("POST", "/staff/users/{user_id}/disable"): {"admin_session"},
    ("POST", "/staff/users/{user_id}/enable"): {"admin_session"},
    ("POST", "/staff/users/{user_id}/reset-password"): {"admin_session"},
    ("POST", "/staff/users/{user_id}/reset-2fa"): {"admin_session"},
    ("POST", "/staff/users/{user_id}/revoke-tokens"): {"admin_session"},
    ("GET", "/staff/audit"): {"admin_session"},
    # releases: what code devices run, administrators in the console only
    ("GET", "/staff/releases"): {"admin_session"},
    ("POST", "/staff/releases"): {"admin_session"},
    ("POST", "/staff/releases/{release_id}/rollout"): {"admin_session"},
    # trust (hub.trust): each action checks the posting's, employer's or station's own rule
    ("GET", "/staff/reviews"): CONSOLE,
    ("POST", "/staff/reviews/{posting_id}/approve"): CONSOLE,
    ("POST", "/staff/reviews/{posting_id}/reject"): CONSOLE,
    ("POST", "/staff/reviews/hold"): {"admin_session"},  # hub-wide: administrators only
    ("POST", "/staff/reviews/suspend"): CONSOLE,
    ("POST", "/staff/reviews/lift/{employer_id}"): {"admin_session"},  # not registered by station 1
    ("POST", "/staff/reviews/station/{station_id}"): CONSOLE,  # station 1's
    # 岗位找人 and 困难帮扶: station staff see their own stations' calls and registered workers
    ("GET", "/staff/outreach"): CONSOLE,
    ("GET", "/staff/outreach/postings/{posting_id}"): CONSOLE,
    ("POST", "/staff/outreach/calls/{call_id}"): CONSOLE,  # a call of station 1
    ("POST", "/staff/outreach/postings/{posting_id}/notify"): CONSOLE,
    ("GET", "/staff/outreach/workers/{worker_id}"): CONSOLE,  # registered at station 1
    ("POST", "/staff/outreach/workers/{worker_id}/help"): CONSOLE,
}


def routes(app) -> list[tuple[str, str]]:
    found = []

    def walk(items):
        for r in items:
            if hasattr(r, "original_router"):  # an included router, kept as one entry: look inside
                walk(r.original_router.routes)
                continue
            for method in sorted(getattr(r, "methods", None) or ()):
                if method != "HEAD":
                    found.append((method, r.path))

    walk(app.routes)
    return found


def test_every_route_has_a_rule(hub):
    missing = [r for r in routes(hub.app) if r not in RULES]
    assert not missing, f"routes without an access rule: {missing}"
    stale = [r for r in RULES if r not in routes(hub.app)]
    assert not stale, f"rules for routes that no longer exist: {stale}"


CSRF = "c" * 43
# Bodies that pass validation, so that a refusal decided by the record's station is reached
# (a callable is given the fixture's parameters).
BODIES = {
    ("POST", "/api/v1/interviews/slots"): lambda p: {
        "posting_id": p["posting_id"],
        "booth_id": p["booth_id"],
        "minutes": 10,
        "count": 1,
        "starts_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat(),
    },
    ("POST", "/api/v1/interviews/checkin"): lambda p: {"person": p["sealed_person"]},
    ("POST", "/api/v1/courses"): lambda p: {
        "title": "电工培训",
        "trade_id": 1,
        "organiser": "职业培训学校",
        "place": "人民路8号三楼",
        "starts_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "ends_on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
        "seats": 10,
        "station_ids": [1],
    },
    ("PATCH", "/api/v1/courses/{course_id}"): {"seats": 12},
    ("POST", "/api/v1/buses"): lambda p: {
        "destination": "江苏昆山",
        "employer_id": 1,
        "work": "电子厂普工，包吃住",
        "meeting_point": "人民路8号门口",
        "leaves_at": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)).isoformat(),
        "signup_until": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat(),
        "seats": 40,
        "station_ids": [1],
    },
    ("PATCH", "/api/v1/buses/{departure_id}"): {"seats": 45},
    ("POST", "/api/v1/buses/{departure_id}/status"): {"status": "open"},
    ("POST", "/api/v1/buses/{departure_id}/seats/{seat_id}"): {"boarded": True},
    ("POST", "/api/v1/fairs"): lambda p: {
        "title": "春风行动招聘会",
        "hall": "人民路8号大厅",
        "opens_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)).isoformat(),
        "booths": [{"number": "1", "employer_id": 1, "jobs": "普工、叉车司机", "places": 5}],
        "station_ids": [1],
    },
    ("POST", "/api/v1/fairs/{fair_id}/status"): {"status": "open"},
    ("POST", "/api/v1/teams"): {
        "name": "老张水电安装队",
        "station_id": 1,
        "leader": "张国强",
        "members": 5,
        "districts": "青川区",
        "trade_ids": [1],
    },
    ("PATCH", "/api/v1/teams/{team_id}"): {"members": 6},
    ("POST", "/api/v1/courses/{course_id}/status"): {"status": "open"},
    ("POST", "/api/v1/devices"): {"name": "new", "kind": "display", "station_id": 1},
    ("PATCH", "/api/v1/devices/{device_id}"): {"name": "renamed"},
    ("PUT", "/api/v1/market/official-rates/{trade_id}/{unit}"): {
        "low_fen": 20000,
        "median_fen": 25000,
        "high_fen": 30000,
        "source": "云江市人社局",
    },
    ("POST", "/api/v1/postings"): posting_body(station_ids=[1]),
    ("PATCH", "/api/v1/postings/{posting_id}"): {"headcount": 6},
    ("POST", "/api/v1/postings/{posting_id}/status"): {"status": "open"},
    ("PUT", "/api/v1/announcements/{announcement_id}"): {
        "kind": "notice",
        "title": "通知",
        "body": "",
        "station_ids": [1],
        "priority": 0,
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": "2027-01-01T00:00:00+08:00",
    },
    ("POST", "/api/v1/announcements"): {
        "kind": "notice",
        "title": "通知",
        "body": "",
        "station_ids": [1],
        "priority": 0,
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": "2027-01-01T00:00:00+08:00",
    },
}


# On one database, production's: who may call what is decided before any query is made (the
# rest of the hub suite runs on both).
@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def callers(hub):
    """Headers for each kind of caller, and the station-1 records the paths name."""
    settings = hub.settings
    admin.create_user(settings, "s1", "station", "station one password", [1])
    admin.create_user(settings, "s2", "station", "station two password", [2])
    admin.create_user(settings, "matrix", "station", "ledger window saffron 4", [1])
    out = {"nobody": {}, "admin": hub.staff}
    for name, user in (("station_staff", "s1"), ("other_staff", "s2")):
        out[name] = {"Authorization": f"Bearer {admin.api_token(settings, user)}"}
    ids = {}
    for kind in ("display", "kiosk", "booth"):
        ids[kind], out[kind] = hub.device(kind=kind, station_id=1)
    booth_id, kiosk_id = ids["booth"], ids["kiosk"]
    revoked_id, out["revoked"] = hub.device(kind="kiosk", station_id=1)
    hub.ok("POST", f"/api/v1/devices/{revoked_id}/revoke")
    for name, user, password in (
        ("station_session", "s1", "station one password"),
        ("admin_session", "admin", ADMIN_PASSWORD),
    ):
        hub.client.cookies.clear()
        r = sign_in(hub.client, user, password)
        assert r.status_code == 303 and r.headers["location"] == "/staff", r.text
        out[name] = {"Cookie": f"lingong_staff={hub.client.cookies['lingong_staff']}"}
        hub.client.cookies.clear()
    target_device = hub.ok("POST", "/api/v1/devices", json={"name": "target", "kind": "display", "station_id": 1})
    staff_user_id = admin.create_user(settings, "target-user", "station", "violet canyon ember 8", [1])
    devices = hub.ok("GET", "/api/v1/devices")
    posting = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))
    notice = hub.ok(
        "POST",
        "/api/v1/announcements",
        json={
            "kind": "notice",
            "title": "通知",
            "body": "",
            "station_ids": [1],
            "priority": 0,
            "valid_from": "2026-01-01T00:00:00+08:00",
            "valid_to": "2027-01-01T00:00:00+08:00",
        },
    )
    device_id = (
        next(d["id"] for d in devices if d["name"] == "target") if isinstance(devices, list) else target_device["id"]
    )
    kiosk_events = hub.client.post(
        "/api/v1/sync/events",
        headers=out["kiosk"],
        json={
            "events": [
                {
                    "n": 1,
                    "uid": "a" * 32,
                    "kind": "application",
                    "at": 1_795_000_000,
                    "body": {
                        "posting": posting["id"],
                        "person": hub.seal(
                            {
                                "id_number": "11010519491231002X",
                                "name": "张三",
                                "phone": "13812345678",
                                "consent": True,
                            },
                            kiosk_id,
                            "application",
                            1,
                        ),
                    },
                }
            ]
        },
    )
    assert kiosk_events.json()["results"][0]["status"] == "applied", kiosk_events.text
    with hub.app.state.db.read() as s:
        application_id = s.scalar(select(Application.id))
    order_id, token = dispatched_order(hub)
    slot = hub.ok(
        "POST",
        "/api/v1/interviews/slots",
        json={
            "posting_id": posting["id"],
            "booth_id": booth_id,
            "minutes": 20,
            "count": 1,
            "starts_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
        },
    )[0]
    link_token = hub.ok("GET", f"/api/v1/interviews/slots/{slot['id']}/link")["url"].rsplit("/", 1)[1]
    course_id, signup_id = course_with_a_seat_taken(hub, out["kiosk"], kiosk_id)
    departure_id, seat_id = bus_with_a_seat_taken(hub, out["kiosk"], kiosk_id)
    fair_id, booth_token, secret = fair_with_a_number_taken(hub, out["kiosk"], kiosk_id)
    team_id = hub.ok("POST", "/api/v1/teams", json=BODIES[("POST", "/api/v1/teams")])["id"]
    with hub.app.state.db.write() as s:  # a worker registered at station 1, on the posting's call list
        registered = Worker(
            id_hash="e" * 64, id_masked="", intention={}, registered_at=dt.datetime.now(dt.UTC), registered_station_id=1
        )
        s.add(registered)
        s.flush()
        on_list = OutreachCall(posting_id=posting["id"], worker_id=registered.id, station_id=1, rank=1, score=1.0)
        s.add(on_list)
        s.flush()
        worker_id, call_id = registered.id, on_list.id
    params = {
        "worker_id": worker_id,
        "call_id": call_id,
        "order_id": order_id,
        "token": token,
        "slot_id": slot["id"],
        "course_id": course_id,
        "signup_id": signup_id,
        "departure_id": departure_id,
        "seat_id": seat_id,
        "fair_id": fair_id,
        "team_id": team_id,
        "booth_token": booth_token,
        "secret": secret,
        "link_token": link_token,
        "booth_id": booth_id,
        "sealed_person": sealed.seal(
            hub.public_key, {"id_number": "11010519491231002X"}, sealed.checkin_context(booth_id)
        ),
        "user_id": staff_user_id,
        "application_id": application_id,
        "device_id": device_id,
        "station_id": 1,
        "employer_id": 1,
        "posting_id": posting["id"],
        "announcement_id": notice["id"],
        "release_id": 1,
        "trade_id": 1,
        "unit": "day",
    }
    return out, params


def course_with_a_seat_taken(hub, kiosk: dict, kiosk_id: int) -> tuple[int, int]:
    """A course shown at station 1 only, begun yesterday (so attendance may be marked), and a
    worker's seat on it taken at station 1's kiosk."""
    body = BODIES[("POST", "/api/v1/courses")](None)
    course = hub.ok(
        "POST",
        "/api/v1/courses",
        json={**body, "signup_until": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=6)).isoformat()},
    )
    who = {"id_number": "11010519491231002X", "name": "张三", "consent": False}
    event = {
        "n": 2,
        "uid": "b" * 32,
        "kind": "course_signup",
        "at": dt.datetime.now(dt.UTC).timestamp(),
        "body": {"course": course["id"], "person": hub.seal(who, kiosk_id, "course_signup", 2)},
    }
    answer = hub.client.post("/api/v1/sync/events", headers=kiosk, json={"events": [event]})
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    return course["id"], hub.ok("GET", f"/api/v1/courses/{course['id']}/roster")[0]["id"]


def bus_with_a_seat_taken(hub, kiosk: dict, kiosk_id: int) -> tuple[int, int]:
    """A bus shown at station 1 only, leaving in three hours (so boarding may be marked), and a
    worker's seat on it taken at station 1's kiosk."""
    bus = hub.ok("POST", "/api/v1/buses", json=BODIES[("POST", "/api/v1/buses")](None))
    who = {"id_number": "11010519491231002X", "name": "张三", "consent": False}
    event = {
        "n": 3,
        "uid": "c" * 32,
        "kind": "bus_signup",
        "at": dt.datetime.now(dt.UTC).timestamp(),
        "body": {"departure": bus["id"], "person": hub.seal(who, kiosk_id, "bus_signup", 3)},
    }
    answer = hub.client.post("/api/v1/sync/events", headers=kiosk, json={"events": [event]})
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    return bus["id"], hub.ok("GET", f"/api/v1/buses/{bus['id']}/manifest")[0]["id"]


def fair_with_a_number_taken(hub, kiosk: dict, kiosk_id: int) -> tuple[int, str, str]:
    """A fair held at station 1 only, open now, and a number taken at its one booth at station 1's kiosk."""
    fair = hub.ok("POST", "/api/v1/fairs", json=BODIES[("POST", "/api/v1/fairs")](None))
    who = {"id_number": "11010519491231002X", "name": "张三", "consent": False}
    secret = "s" * 40
    event = {
        "n": 4,
        "uid": "d" * 32,
        "kind": "fair_ticket",
        "at": dt.datetime.now(dt.UTC).timestamp(),
        "body": {
            "booth": fair["booths"][0]["id"],
            "secret": secret,
            "person": hub.seal(who, kiosk_id, "fair_ticket", 4),
        },
    }
    answer = hub.client.post("/api/v1/sync/events", headers=kiosk, json={"events": [event]})
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    return fair["id"], fair["booths"][0]["link"].rsplit("/", 1)[1], secret


def dispatched_order(hub) -> tuple[int, str]:
    """A household order at station 1, dispatched to a registered worker, and that worker's link."""
    administrator = Principal(0, "matrix", Role.ADMIN, frozenset())
    with hub.app.state.db.write() as s:
        worker = Worker(id_hash="f" * 64, id_masked="", phone="13900001111", phone_consent_at=dt.datetime.now(dt.UTC))
        s.add(worker)
        order = orders.submit(
            s,
            OrderIn(
                need="修灯",
                district="青川区",
                address="滨江路8号",
                when_text="周六上午",
                pay_fen=8000,
                resident_phone="13700002222",
                station_id=1,
                consent=True,
            ),
        )
        orders.dispatch(s, order.id, "13900001111", administrator)
        return order.id, links.make(hub.app.state.keys, order.id, worker.id)


def call(hub, method, path, headers, params):
    url = re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]), path)
    cookie = "; ".join(c for c in (headers.get("Cookie"), f"lingong_csrf={CSRF}") if c)
    headers = {**{k: v for k, v in headers.items() if k != "Cookie"}, "Cookie": cookie}
    hub.client.cookies.clear()
    form_route = path.startswith(("/staff", "/p/", "/o/", "/b/"))
    if method == "GET":
        return hub.client.get(
            url,
            headers=headers,
            params={"since": 0, "wait": 0} if path.endswith(("changes", "stream")) else None,
            follow_redirects=False,
        )
    if path == "/staff/login":
        data = {"name": "matrix", "password": "ledger window saffron 4", "csrf_token": CSRF}
    else:
        data = {"csrf_token": CSRF}
    if form_route:
        return hub.client.request(method, url, headers=headers, data=data, follow_redirects=False)
    body = BODIES.get((method, path), {})
    return hub.client.request(
        method, url, headers=headers, json=body(params) if callable(body) else body, follow_redirects=False
    )


def refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303) and response.headers.get("location", "").endswith("/staff/login")


def test_the_access_matrix(hub, callers):
    headers, params = callers
    wrong = []
    # Signing out ends the session on the hub: it goes last, or every console call after it would fail.
    for method, path in sorted(routes(hub.app), key=lambda r: r == ("POST", "/staff/logout")):
        allowed = RULES[(method, path)]
        for caller in CALLERS:
            r = call(hub, method, path, headers[caller], params)
            if refused(r) == (caller in allowed):
                wrong.append(
                    f"{method} {path} as {caller}: {r.status_code} "
                    f"({'refused' if refused(r) else 'let in'}) {r.text[:80]!r}"
                )
    assert not wrong, "\n".join(wrong)
