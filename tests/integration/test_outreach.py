"""岗位找人 and 困难帮扶 through the real hub (in-process, SQLite): the contact consent sealed in a
registration, a call list made when a posting is published, scoped to the station's staff, each
call marked and audited, graded help first, 新 at the worker's next card, hostile input refused."""

import re
import time
import uuid

import pytest
from sqlalchemy import func, select, text

from floor import idnumber
from hub import admin
from hub.audit.models import AuditEntry
from hub.outreach import cache
from hub.outreach.matching import TopUp, WorkerIndex
from hub.outreach.models import CallStatus, OutreachCall
from hub.privacy.erase import erase_worker
from hub.workers.models import Worker
from tests.support.console import csrf_of, sign_in
from tests.support.hub import posting_body
from wire import sealed
from wire.protocol import WORKER_LOOKUP_PATH

PASSWORD = "willow lantern harbour 3"


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def id_number(n: int) -> str:
    first17 = f"11010519700101{n:03d}"
    return first17 + idnumber.check_char(first17)


def register(hub, device_id, headers, n, *, who, name, phone, contact, trades, consent=True, **wish):
    person = {"id_number": id_number(who), "name": name, "phone": phone, "consent": consent, "contact": contact}
    body = {"intention": {"trades": trades, **wish}, "person": hub.seal(person, device_id, "registration", n)}
    event = {"n": n, "uid": uuid.uuid4().hex, "kind": "registration", "at": time.time(), "body": body}
    answer = hub.client.post("/api/v1/sync/events", json={"events": [event]}, headers=headers).json()
    assert answer["results"][0]["status"] == "applied", answer


def worker(hub, who) -> Worker:
    with hub.app.state.db.read() as s:
        return s.scalar(select(Worker).where(Worker.id_hash == hub.app.state.keys.id_hash(id_number(who))))


def staff_client(hub, name, role="station", stations=(1,)):
    admin.create_user(hub.settings, name, role, PASSWORD, list(stations))
    hub.client.cookies.clear()
    assert sign_in(hub.client, name, PASSWORD).status_code == 303
    return hub.client


def other_trade(hub, trade_id: int, same_category: bool) -> int:
    with hub.app.state.db.read() as s:
        rows = s.execute(text("SELECT id, category_id FROM trades ORDER BY id")).all()
    category = dict(rows)[trade_id]
    return next(t for t, c in rows if t != trade_id and (c == category) == same_category)


@pytest.fixture
def market(hub):
    """Five workers registered at station 1's kiosk; who fits a 钢筋工-like posting of trade 1 at station 1."""
    device_id, headers = hub.device(station_id=1)
    cousin, stranger = other_trade(hub, 1, True), other_trade(hub, 1, False)
    register(hub, device_id, headers, 1, who=1, name="蔡文姬", phone="13900000001", contact=True, trades=[1])
    register(hub, device_id, headers, 2, who=2, name="王小二", phone="13900000002", contact=False, trades=[cousin])
    register(hub, device_id, headers, 3, who=3, name="李四", phone="13900000003", contact=True, trades=[stranger])
    register(
        hub, device_id, headers, 4, who=4, name="赵六", phone="13900000004", contact=True, trades=[1],
        pay_unit="day", pay_min_fen=90000,
    )  # fmt: skip
    register(
        hub, device_id, headers, 5, who=5, name="钱七", phone="13900000005", contact=True, trades=[1],
        districts=["别的区"],
    )  # fmt: skip
    return device_id, headers


def publish(hub, **over) -> int:
    return hub.ok("POST", "/api/v1/postings", json=posting_body(trade_id=1, station_ids=[1], **over))["id"]


def calls(hub, posting_id) -> list[OutreachCall]:
    with hub.app.state.db.read() as s:
        return list(s.scalars(select(OutreachCall).where(OutreachCall.posting_id == posting_id).order_by("rank")))


def test_consent_sealed_up_a_ranked_call_list_at_publish_and_new_at_the_next_card(hub, market):
    device_id, headers = market
    w = worker(hub, 1)
    assert w.contact_consent_at is not None and w.name_masked == "蔡**" and w.phone == "13900000001"
    assert worker(hub, 2).contact_consent_at is None and worker(hub, 2).phone == "13900000002"
    with hub.app.state.db.read() as s:  # the full name is nowhere in the database
        assert "蔡文姬" not in " ".join(str(r) for r in s.execute(text("SELECT * FROM workers")).all())

    pid = publish(hub)
    found = calls(hub, pid)
    ids = {c.worker_id for c in found}
    assert ids == {worker(hub, 1).id, worker(hub, 2).id}  # other trade, too little pay, other district: not
    first, second = found
    assert first.worker_id == worker(hub, 1).id and first.score > second.score  # own trade before its category
    assert [r[0] for r in first.reasons][:1] == ["trade"] and [r[0] for r in second.reasons][:1] == ["category"]
    assert all(c.station_id == 1 and c.status is CallStatus.PENDING for c in found)

    def lookup(who):
        person = sealed.seal(hub.public_key, {"id_number": id_number(who)}, sealed.lookup_context(device_id))
        r = hub.client.post(WORKER_LOOKUP_PATH, json={"person": person}, headers=headers)
        assert r.status_code == 200 and id_number(who) not in r.text
        return r.json()

    assert lookup(1)["new"] == [pid]
    assert lookup(1)["new"] == []  # shown once: the next card lists it as an ordinary match
    assert lookup(3)["new"] == []  # it did not fit them

    register(hub, device_id, headers, 9, who=1, name="蔡文姬", phone="13900000001", contact=False, trades=[1])
    w = worker(hub, 1)
    assert w.contact_consent_at is None and w.phone == "13900000001"  # withdrawn; the phone consent stands

    # Registered after the workers' index was built: found by the next posting (the index topped up);
    # a worker erased: gone from the next (the index built again), and their calls with them.
    register(hub, device_id, headers, 10, who=6, name="孙八", phone="13900000006", contact=True, trades=[1])
    newcomer, erased = worker(hub, 6).id, worker(hub, 2).id
    assert newcomer in {c.worker_id for c in calls(hub, publish(hub))}
    assert isinstance(cache.index_now(), TopUp)  # topped up, not built again
    with hub.app.state.db.write() as s:
        erase_worker(s, hub.app.state.keys, id_number=id_number(2))
    found = {c.worker_id for c in calls(hub, publish(hub))}
    assert newcomer in found and erased not in found and isinstance(cache.index_now(), WorkerIndex)
    with hub.app.state.db.read() as s:
        assert not s.scalar(select(func.count()).where(OutreachCall.worker_id == erased))


def test_the_call_list_page_shows_phones_only_with_consent_and_only_to_its_station(hub, market):
    pid = publish(hub)
    client = staff_client(hub, "station1")
    page = client.get(f"/staff/outreach/postings/{pid}")
    assert page.status_code == 200 and "蔡**" in page.text and "王**" in page.text
    assert "13900000001" in page.text and "13900000002" not in page.text  # 王 did not consent to calls
    assert "default-src" in page.headers["content-security-policy"]
    call = calls(hub, pid)[0]
    mark = client.post(
        f"/staff/outreach/calls/{call.id}",
        data={"status": "reached", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert mark.status_code == 303 and calls(hub, pid)[0].status is CallStatus.REACHED
    with hub.app.state.db.read() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "outreach.call"))
        assert entry.target == f"call:{call.id}" and entry.station_id == 1 and entry.outcome == 303
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "outreach.view")) is not None
    for bad in ("pending", "teleport", "x" * 5000, ""):
        r = client.post(f"/staff/outreach/calls/{call.id}", data={"status": bad, "csrf_token": csrf_of(page)})
        assert 400 <= r.status_code < 500, (bad, r.status_code)
    assert calls(hub, pid)[0].status is CallStatus.REACHED  # nothing half-written
    for path in (f"/staff/outreach/postings/{2**62}", "/staff/outreach/postings/-1", "/staff/outreach/postings/x"):
        assert 400 <= client.get(path).status_code < 500

    other = staff_client(hub, "station2", stations=(2,))
    assert other.get(f"/staff/outreach/postings/{pid}").status_code == 404
    page = other.get("/staff/outreach")
    answer = other.post(f"/staff/outreach/calls/{call.id}", data={"status": "no_number", "csrf_token": csrf_of(page)})
    assert answer.status_code == 404 and calls(hub, pid)[0].status is CallStatus.REACHED
    assert "蔡**" not in page.text  # another station's registered workers are not listed


def test_graded_help_needs_consent_and_puts_the_worker_first(hub, market):
    cousin = worker(hub, 2)
    client = staff_client(hub, "station1")
    page = client.get(f"/staff/outreach/workers/{cousin.id}")
    assert page.status_code == 200 and "王**" in page.text
    refused = client.post(
        f"/staff/outreach/workers/{cousin.id}/help", data={"kind_older": "1", "csrf_token": csrf_of(page)}
    )
    assert refused.status_code == 422 and "本人同意" in refused.text
    forged = client.post(
        f"/staff/outreach/workers/{cousin.id}/help",
        data={"kind_rich": "1", "consent": "1", "csrf_token": csrf_of(page)},
    )
    assert forged.status_code == 422
    ok = client.post(
        f"/staff/outreach/workers/{cousin.id}/help",
        data={"kind_older": "1", "kind_low_income": "1", "consent": "1", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    pid = publish(hub)
    first = calls(hub, pid)[0]
    assert first.worker_id == cousin.id and first.helped  # help first, though another scores higher
    listed = client.get("/staff/outreach")
    assert re.search(r"王\*\*.*?大龄、低收入", listed.text, re.S)
    assert 'id="long-waiting"' in client.get("/staff/dashboard").text
    other = staff_client(hub, "station2b", stations=(2,))
    page = other.get("/staff/outreach")
    assert other.get(f"/staff/outreach/workers/{cousin.id}").status_code == 404
    r = other.post(f"/staff/outreach/workers/{cousin.id}/help", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 404


def test_a_posting_without_a_place_of_its_own_shows_no_distance_on_its_call_list(hub, market):
    """Staff gave no point, so it stands at its station's: no 离…公里 on the call list (issue 16)."""
    from hub.stations.models import Station

    with hub.app.state.db.read() as s:
        station = s.get(Station, 1)
        at_station = {"lat": station.lat, "lon": station.lon}
    placed, unplaced = calls(hub, publish(hub)), calls(hub, publish(hub, **at_station))
    assert placed and unplaced and {c.worker_id for c in placed} == {c.worker_id for c in unplaced}
    assert any(code == "distance" for c in placed for code, *_ in c.reasons)
    assert not any(code == "distance" for c in unplaced for code, *_ in c.reasons)


def test_a_course_completed_puts_its_worker_first_for_a_posting_that_asks_a_certificate(hub, market):
    """持证上岗: a worker who completed a course of the trade (结业, marked by staff) heads the call list
    of a posting asking a certificate of it, said why (cert); their next card tells the kiosk which
    trades they hold (the kiosk ranks such postings first for them); a posting asking none is as before."""
    from tests.integration.test_training import running_course

    device_id, headers = market
    course = running_course(hub)
    person = {"id_number": id_number(2), "name": "王小二", "consent": False}
    body = {"course": course["id"], "person": hub.seal(person, device_id, "course_signup", 20)}
    event = {"n": 20, "uid": uuid.uuid4().hex, "kind": "course_signup", "at": time.time(), "body": body}
    answer = hub.client.post("/api/v1/sync/events", json={"events": [event]}, headers=headers).json()
    assert answer["results"][0]["status"] == "applied", answer
    row = hub.ok("GET", f"/api/v1/courses/{course['id']}/roster")[0]
    hub.ok("POST", f"/api/v1/courses/{course['id']}/signups/{row['id']}", json={"completed": True})

    plain = calls(hub, publish(hub))
    assert plain[0].worker_id == worker(hub, 1).id  # their own trade first, as ever
    pid = publish(hub, certificate=True)
    assert hub.ok("GET", f"/api/v1/postings/{pid}")["certificate"] is True
    first, second = calls(hub, pid)
    assert first.worker_id == worker(hub, 2).id and first.reasons[0][0] == "cert"
    assert second.worker_id == worker(hub, 1).id and second.reasons[0][0] == "trade"
    person = sealed.seal(hub.public_key, {"id_number": id_number(2)}, sealed.lookup_context(device_id))
    looked = hub.client.post(WORKER_LOOKUP_PATH, json={"person": person}, headers=headers).json()
    assert looked["certified"] == [1]
    feed = hub.client.get("/api/v1/sync/changes", params={"since": 0}, headers=headers).json()
    docs = {c["d"]["id"]: c["d"] for c in feed["changes"] if c["k"] == "posting" and c.get("d")}
    assert docs[pid]["cert"] is True
