"""包车 in the console: a station's staff offer a bus for their own station (every error of the form
at once), see it with its seats taken, read its printable manifest (masked names, no ID numbers),
mark boarding at the bus (a refusal told on the manifest, never a 500), and cancel it; another
station's staff see only their own workers on a bus shown everywhere."""

import datetime as dt
import re

from sqlalchemy import select

from floor.timezone import local
from hub.audit.models import AuditEntry
from tests.integration.test_buses import OTHERS, bus_body, offered, signup
from tests.integration.test_console_forms import reported
from tests.integration.test_console_training import station_staff
from tests.integration.test_events import PERSON, post
from tests.support.console import csrf_of


def local_minutes(hours: float) -> str:
    """A datetime-local field's value that many hours from now, in the hub's zone."""
    return (dt.datetime.now(local()) + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def form(**over) -> dict:
    return {
        "destination": "江苏昆山",
        "employer_id": "1",
        "work": "电子厂普工，包吃住，月薪5000–6500元",
        "meeting_point": "青川区零工市场东门广场",
        "leaves_at": local_minutes(3),  # boarding may be marked from 6 hours before it leaves
        "seats": "40",
        "bring": "身份证、换洗衣物",
        "age_min": "",
        "age_max": "",
        "signup_until": "",  # the default: 2 hours before it leaves
        **over,
    }


def seat_ids(page) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="s(\d+)"', page.text)]


def test_a_bus_from_the_form_to_the_bus(hub):
    client = station_staff(hub, "s1", 1)
    page = client.get("/staff/buses")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers and "发一趟包车" in page.text
    token = csrf_of(page)
    bad = client.post(
        "/staff/buses",
        data=form(destination="", employer_id="", seats="0", leaves_at="2020-01-01T07:00", age_min="60", age_max="30")
        | {"csrf_token": token},
    )
    reported(
        bad,
        {"destination": "destination", "employer_id": "employer_id", "seats": "seats", "leaves_at": "leaves_at"}
        | {"age_max": "age_max"},
    )
    as_file = client.post("/staff/buses", data={"csrf_token": token}, files={"leaves_at": ("t", b"2026-12-24T08:00")})
    assert as_file.status_code == 422 and "请写日期和时间" in as_file.text  # (a file where a time belongs: no 500)
    made = client.post("/staff/buses", data=form() | {"csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/staff/buses", made.text
    listing = client.get("/staff/buses").text
    departure_id = int(re.search(r'href="/staff/buses/(\d+)"', listing).group(1))
    assert "江苏昆山" in listing and "0 / 40" in listing and "报名中" in listing
    assert offered(hub, departure_id)["left"] == 40  # ticked nothing: offered at the staff's own station

    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    assert post(hub, kiosk, [signup(hub, kiosk_id, 1, departure_id)]).json()["results"][0]["status"] == "applied"
    assert "1 / 40" in client.get("/staff/buses").text
    manifest = client.get(f"/staff/buses/{departure_id}")
    assert manifest.status_code == 200 and "Content-Security-Policy" in manifest.headers
    assert "张*" in manifest.text and PERSON["phone"] in manifest.text and "共1人报名，已上车0人" in manifest.text
    assert PERSON["id_number"] not in manifest.text and "张三" not in manifest.text
    assert "打印名单" in manifest.text and "Ctrl+P" in manifest.text
    with hub.app.state.db.read() as s:  # it shows phones: who looked is recorded
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "bus.manifest")) is not None

    (seat_id,) = seat_ids(manifest)
    mark = f"/staff/buses/{departure_id}/seats/{seat_id}"
    boarded = client.post(mark, data={"boarded": "yes", "csrf_token": token}, follow_redirects=False)
    assert boarded.status_code == 303 and boarded.headers["location"].endswith(f"#s{seat_id}")
    assert "共1人报名，已上车1人" in client.get(f"/staff/buses/{departure_id}").text
    forged = client.post(mark, data={"boarded": "maybe", "csrf_token": token})
    assert forged.status_code == 422 and "要记的不对" in forged.text and "张*" in forged.text  # on the manifest
    with hub.app.state.db.read() as s:  # each entry says which bus and what was done (review 34, finding 11)
        done = select(AuditEntry).where(AuditEntry.action.like("bus.%"), AuditEntry.outcome < 400)
        entries = {e.action: e for e in s.scalars(done)}
    offered_entry, board_entry = entries["bus.offer"], entries["bus.board"]
    assert offered_entry.target == f"departure_id={departure_id}" and offered_entry.detail["destination"] == "江苏昆山"
    assert offered_entry.detail["seats"] == 40 and offered_entry.detail["stations"] == [1]
    assert board_entry.detail == {"boarded": True} and str(seat_id) in board_entry.target

    # another station's staff: not their bus
    other = station_staff(hub, "s2", 2)
    assert other.get(f"/staff/buses/{departure_id}").status_code == 403
    theirs = other.get("/staff/buses")
    assert f'/staff/buses/{departure_id}"' not in theirs.text
    refused = other.post(
        f"/staff/buses/{departure_id}/status", data={"status": "cancelled", "csrf_token": csrf_of(theirs)}
    )
    assert refused.status_code == 403 and offered(hub, departure_id)

    client = station_staff(hub, "s1b", 1)
    token = csrf_of(client.get(f"/staff/buses/{departure_id}"))
    cancelled = client.post(
        f"/staff/buses/{departure_id}/status", data={"status": "cancelled", "csrf_token": token}, follow_redirects=False
    )
    assert cancelled.status_code == 303 and offered(hub, departure_id) is None
    page = client.get(f"/staff/buses/{departure_id}").text
    assert "已取消" in page and "取消这趟车" not in page and "停止报名" not in page
    again = client.post(mark, data={"boarded": "no", "csrf_token": token})
    assert again.status_code == 409 and "已取消" in again.text
    reopened = client.post(f"/staff/buses/{departure_id}/status", data={"status": "open", "csrf_token": token})
    assert reopened.status_code == 409 and "不能重新开放" in reopened.text


def test_boarding_waits_for_the_bus_and_other_stations_see_their_own_workers(hub):
    later = hub.ok("POST", "/api/v1/buses", json=bus_body(station_ids=None))  # in two days, at every station
    here_id, here = hub.device(kind="kiosk", station_id=1)
    there_id, there = hub.device(kind="kiosk", station_id=2)
    assert post(hub, here, [signup(hub, here_id, 1, later["id"])]).json()["results"][0]["status"] == "applied"
    assert post(hub, there, [signup(hub, there_id, 1, later["id"], OTHERS[0])]).json()["results"][0]["status"] == (
        "applied"
    )
    other = station_staff(hub, "s2", 2)
    page = other.get(f"/staff/buses/{later['id']}")
    assert page.status_code == 200 and "共1人报名" in page.text and "王*" in page.text and "张*" not in page.text
    assert "取消这趟车" not in page.text and "上车</button>" not in page.text  # not theirs to run
    listing = other.get("/staff/buses").text
    assert "1 / 2" not in listing and "2 / 2" in listing and "（其他驿站的）" in listing

    client = station_staff(hub, "s1", 1)
    page = client.get(f"/staff/buses/{later['id']}")  # (a bus at every station: only administrators run it)
    assert "共1人报名" in page.text and "张*" in page.text and "王*" not in page.text
    mine = hub.ok("POST", "/api/v1/buses", json=bus_body(seats=5))  # station 1's own, in two days
    assert post(hub, here, [signup(hub, here_id, 2, mine["id"])]).json()["results"][0]["status"] == "applied"
    page = client.get(f"/staff/buses/{mine['id']}")
    assert "发车前6小时起可记" in page.text and "上车</button>" not in page.text
    (seat_id,) = seat_ids(page)
    early = client.post(
        f"/staff/buses/{mine['id']}/seats/{seat_id}", data={"boarded": "yes", "csrf_token": csrf_of(page)}
    )
    assert early.status_code == 422 and "还没到上车的时候" in early.text and "已上车0人" in early.text
