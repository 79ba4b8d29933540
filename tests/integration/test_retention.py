"""Personal data has a lifetime on the hub: applicants' names and phones go a set time after the
posting ends, a household order's phone and address after the order ends; and one worker's data
goes on request (`lingong admin erase-worker`, the ID number read from standard input)."""

import datetime as dt
import json

import requests
from sqlalchemy import select

from hub import admin
from hub.applications.models import Application
from hub.audit.models import AuditEntry
from hub.db import Database
from hub.interviews.models import InterviewSlot, SlotStatus
from hub.orders import service as orders
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.orders.schemas import OrderIn
from hub.postings.models import Posting
from hub.privacy.erase import erase_worker
from hub.trust.models import Report
from hub.workers.models import Worker
from tests.integration.test_events import PERSON, application, event, open_ids, post
from tests.integration.test_link import open_here
from tests.support.hub import lingong
from wire import sealed

DAY = dt.timedelta(days=1)


def test_applicants_names_and_phones_go_a_set_time_after_the_posting_ends(hub):
    kiosk_id, kiosk = hub.device(station_id=1)
    one, two = open_ids(hub, 2)
    post(hub, kiosk, [application(hub, kiosk_id, 1, posting=one), application(hub, kiosk_id, 2, posting=two)])
    now = dt.datetime.now(dt.UTC)
    with hub.app.state.db.write() as s:
        s.get(Posting, one).ended_at = now - (hub.settings.retain_applicants_days + 1) * DAY
        s.get(Posting, two).ended_at = now - (hub.settings.retain_applicants_days - 1) * DAY
    reports = [
        event(n, "report", {"posting": p, "reason": "fees", "person": hub.seal(PERSON, kiosk_id, "report", n)})
        for n, p in ((3, one), (4, two))
    ]
    post(hub, kiosk, reports)
    report = admin.run_retention(hub.settings)
    assert report["applicants"] == 1 and report["reporters"] == 1
    with hub.app.state.db.read() as s:
        kept = {a.posting_id: (a.name, a.phone) for a in s.scalars(select(Application))}
        assert kept == {one: ("", ""), two: ("张三", "13812345678")}  # the record stays, the person goes
        reporters = {r.posting_id: (r.reporter != "", r.worker_id is not None) for r in s.scalars(select(Report))}
        assert reporters == {one: (False, False), two: (True, True)}  # the report stays, who made it goes
        sweep = s.scalar(select(AuditEntry).where(AuditEntry.action == "retention.sweep"))
        assert sweep.detail["applicants"] == 1 and sweep.via == "system"


def test_a_household_orders_phone_and_address_go_after_the_order_ends(hub):
    made = []
    with hub.app.state.db.write() as s:
        for phone in ("13700002222", "13700003333"):
            made.append(
                orders.submit(
                    s,
                    OrderIn(
                        need="修灯",
                        district="青川区",
                        address="滨江路8号",
                        when_text="周六上午",
                        pay_fen=8000,
                        resident_phone=phone,
                        station_id=1,
                        consent=True,
                    ),
                ).id
            )
        done = s.get(HouseholdOrder, made[0])
        done.status = OrderStatus.COMPLETED
        s.flush()
        done.updated_at = dt.datetime.now(dt.UTC) - (hub.settings.retain_order_contact_days + 1) * DAY
    assert admin.run_retention(hub.settings)["order_contacts"] == 1
    with hub.app.state.db.read() as s:
        ended, pending = s.get(HouseholdOrder, made[0]), s.get(HouseholdOrder, made[1])
        assert (ended.resident_phone, ended.address) == ("", "")
        assert (pending.resident_phone, pending.address) == ("13700003333", "滨江路8号")


def test_erasing_one_worker_on_request(sqlite_hub, tmp_path):
    """Everything about one worker — registration, phone, applications, a booked interview — goes;
    other workers stay; the number is read from standard input and written nowhere."""
    hub = sqlite_hub
    code = hub.add_device("kiosk", 1)
    kiosk = requests.post(f"{hub.url}/api/v1/devices/enroll", json={"code": code}, timeout=10).json()
    booth_code = hub.add_device("booth", 1)
    booth = requests.post(f"{hub.url}/api/v1/devices/enroll", json={"code": booth_code}, timeout=10).json()
    start = dt.datetime.now(dt.UTC) + 2 * DAY
    slot = hub.ok(
        "POST",
        "/api/v1/interviews/slots",
        json={
            "posting_id": open_here(hub)[0],
            "booth_id": booth["device_id"],
            "starts_at": start.isoformat(),
            "minutes": 20,
            "count": 1,
        },
    )[0]
    other = {**PERSON, "id_number": "440524188001010014", "name": "李四", "phone": "13912345678"}
    postings = open_here(hub)

    def sealed_as(person, kind, n):
        return sealed.seal(kiosk["hub_public_key"], person, sealed.event_context(kiosk["device_id"], kind, n))

    events = [
        event(1, "application", {"posting": postings[0], "person": sealed_as(PERSON, "application", 1)}),
        event(2, "application", {"posting": postings[1], "person": sealed_as(PERSON, "application", 2)}),
        event(3, "registration", {"intention": {"trades": [1]}, "person": sealed_as(PERSON, "registration", 3)}),
        event(4, "booking", {"slot": slot["id"], "person": sealed_as(PERSON, "booking", 4)}),
        event(5, "application", {"posting": postings[0], "person": sealed_as(other, "application", 5)}),
    ]
    answer = requests.post(
        f"{hub.url}/api/v1/sync/events",
        json={"events": events},
        timeout=10,
        headers={"Authorization": f"Bearer {kiosk['token']}"},
    ).json()
    assert [r["status"] for r in answer["results"]] == ["applied"] * 5

    bad = lingong(
        "admin",
        "erase-worker",
        home=hub.home,
        input="not a number\n",
        check=False,
        LINGONG_DATABASE_URL=hub.database_url,
    )
    assert bad.returncode == 2
    done = lingong(
        "admin", "erase-worker", home=hub.home, input=PERSON["id_number"] + "\n", LINGONG_DATABASE_URL=hub.database_url
    )
    assert json.loads(done.stdout) == {
        "erased": {
            "workers": 1,
            "applications": 2,
            "bookings": 1,
            "course_signups": 0,
            "bus_seats": 0,
            "fair_tickets": 0,
            "orders_unlinked": 0,
            "orders_erased": 0,
        }
    }
    db = Database(hub.database_url, pool_size=1)
    try:
        with db.read() as s:
            assert [w.id_masked for w in s.scalars(select(Worker))] == ["440524********0014"]
            assert [(a.name, a.phone) for a in s.scalars(select(Application))] == [("李四", "13912345678")]
            freed = s.get(InterviewSlot, slot["id"])
            assert freed.status is SlotStatus.CANCELLED and freed.worker_id is None and freed.masked_name == ""
            erased = s.scalar(select(AuditEntry).where(AuditEntry.action == "worker.erase"))
            assert erased.via == "cli" and erased.detail["applications"] == 2
    finally:
        db.dispose()
    for where in (done.stdout, done.stderr, hub.log.read_text(encoding="utf-8", errors="replace")):
        assert PERSON["id_number"] not in where and "13812345678" not in where


def test_erasing_by_phone_finds_every_trace_of_that_phone(hub):
    """The card's worker and the phone's worker are one person: erasing by phone takes the kiosk
    applications that carry the phone too, and the household orders placed with it."""
    kiosk_id, kiosk = hub.device(station_id=1)
    one, two = open_ids(hub, 2)
    post(hub, kiosk, [application(hub, kiosk_id, 1, posting=one), application(hub, kiosk_id, 2, posting=two)])
    hub.client.get("/p/3")
    page = hub.client.get("/p/3")
    from tests.support.console import csrf_of

    hub.client.post(
        "/p/3/apply", data={"name": "张三", "phone": PERSON["phone"], "consent": "yes", "csrf_token": csrf_of(page)}
    )
    with hub.app.state.db.write() as s:
        orders.submit(
            s,
            OrderIn(
                need="修灯",
                district="青川区",
                address="滨江路8号",
                when_text="周六上午",
                details="打这个电话 " + PERSON["phone"],
                pay_fen=8000,
                resident_phone=PERSON["phone"],
                station_id=1,
                consent=True,
            ),
        )
    with hub.app.state.db.write() as s:
        report = erase_worker(s, hub.app.state.keys, phone=PERSON["phone"])
    assert report["applications"] >= 2 and report["orders_erased"] == 1
    with hub.app.state.db.read() as s:
        assert s.scalar(select(Application).where(Application.phone == PERSON["phone"])) is None
        order = s.scalar(select(HouseholdOrder))
        assert (order.resident_phone, order.address, order.details) == ("", "", "")


def test_a_worker_nobody_needs_to_recognise_is_forgotten_and_stale_orders_close(hub):
    """Once every posting they applied to ended past the period, and they have no registration, the
    worker's keyed hash (what ties the records to an ID number) is replaced; the records stay for the
    figures. Orders nobody finished in three months close, so their contact goes in time too."""
    kiosk_id, kiosk = hub.device(station_id=1)
    post(hub, kiosk, [application(hub, kiosk_id, 1, posting=1)])
    keys = hub.app.state.keys
    now = dt.datetime.now(dt.UTC)
    with hub.app.state.db.write() as s:
        assert s.scalar(select(Worker).where(Worker.id_hash == keys.id_hash(PERSON["id_number"]))) is not None
        s.get(Posting, 1).ended_at = now - (hub.settings.retain_applicants_days + 1) * DAY
        stale = orders.submit(
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
        s.flush()
        stale.created_at = now - 91 * DAY
    report = admin.run_retention(hub.settings)
    assert report["forgotten_workers"] == 1 and report["stale_orders"] == 1
    with hub.app.state.db.read() as s:
        assert s.scalar(select(Worker).where(Worker.id_hash == keys.id_hash(PERSON["id_number"]))) is None
        assert s.scalar(select(Application)).worker_id is not None  # the application stays, nobody's now
        assert s.scalar(select(HouseholdOrder)).status is OrderStatus.CANCELLED
    assert admin.run_retention(hub.settings)["forgotten_workers"] == 0  # once
