"""招聘会 on the hub: a fair held with its booths, a number taken with the card at a kiosk (once per
worker and booth while it waits; exactly once through the outbox), the booth calling the next from
its signed phone page, a number called and not come in time skipped, the calls in the fair's
document every wall in the hall holds, the worker's own page of where their number stands."""

import datetime as dt
import json
import random

from sqlalchemy import select

from cardreader.fictional import person
from hub.fairs import queue
from hub.fairs.models import Ticket
from hub.feed.models import FeedState
from hub.privacy.erase import erase_worker
from tests.integration.test_events import PERSON, event, post
from tests.integration.test_training import station_two
from tests.support.console import csrf_of

OTHERS = [
    {"id_number": person(random.Random(90 + i)).id_number, "name": "赵六", "phone": "13600001111", "consent": False}
    for i in range(3)
]
HOUR = dt.timedelta(hours=1)


def fair_body(**over) -> dict:
    now = dt.datetime.now(dt.UTC)
    body = {
        "title": "春风行动专场招聘会",
        "hall": "青川区零工市场一楼大厅",
        "opens_at": (now - HOUR).isoformat(),
        "closes_at": (now + 5 * HOUR).isoformat(),
        "skip_after_min": 3,
        "booths": [
            {"number": "1", "employer_id": 1, "jobs": "普工、质检员", "places": 30},
            {"number": "5", "employer_id": 2, "jobs": "钢筋工、木工", "places": 10},
        ],
        "station_ids": [1],
    }
    return {**body, **over}


def ticket(hub, kiosk_id, n, booth_id, who=PERSON, secret=None):
    secret = secret or f"{n:02d}" + "k" * 38
    body = {"booth": booth_id, "secret": secret, "person": hub.seal(who, kiosk_id, "fair_ticket", n)}
    return event(n, "fair_ticket", body)


def held(hub, fair_id) -> dict | None:
    with hub.app.state.db.read() as s:
        row = s.scalar(select(FeedState).where(FeedState.kind == "fair", FeedState.entity_id == fair_id))
        doc = json.loads(row.doc) if row is not None and row.doc else {}
        return doc if "booths" in doc else None


def test_a_fair_is_held_with_lettered_booths_and_only_its_staff_get_the_links(hub):
    fair = hub.ok("POST", "/api/v1/fairs", json=fair_body())
    assert [(b["number"], b["letter"]) for b in fair["booths"]] == [("1", "A"), ("5", "B")]
    assert all(b["link"].startswith("/b/") for b in fair["booths"])
    doc = held(hub, fair["id"])
    assert doc["taking"] and [b["waiting"] for b in doc["booths"]] == [0, 0] and doc["calls"] == []
    other = station_two(hub)
    assert hub.client.post("/api/v1/fairs", headers=other, json=fair_body()).status_code == 403
    status = f"/api/v1/fairs/{fair['id']}/status"
    assert hub.client.post(status, headers=other, json={"status": "closed"}).status_code == 403
    now = dt.datetime.now(dt.UTC)
    for bad, field in (
        ({"closes_at": (now - 2 * HOUR).isoformat()}, "closes_at"),
        ({"closes_at": (now + 20 * HOUR).isoformat()}, "closes_at"),
        ({"booths": []}, "booths"),
        ({"booths": [{"number": "1", "employer_id": 1, "jobs": "普工", "places": 1}] * 2}, "booths"),
        ({"booths": [{"number": "1; drop", "employer_id": 1, "jobs": "普工", "places": 1}]}, "booths"),
        ({"booths": [{"number": "1", "employer_id": 999_999, "jobs": "普工", "places": 1}]}, "booths"),
        ({"opens_at": "2026-12-24T08:00:00"}, "opens_at"),
    ):
        r = hub.client.post("/api/v1/fairs", headers=hub.staff, json=fair_body(**bad))
        assert r.status_code == 422, (bad, r.text)
        assert field in r.text, (bad, r.text)
    seen = {f["id"]: f for f in hub.client.get("/api/v1/fairs", headers=other).json()}
    assert fair["id"] not in seen  # held for station 1's kiosks only


def test_numbers_are_taken_once_called_in_turn_and_skipped_when_not_come(hub):
    fair = hub.ok("POST", "/api/v1/fairs", json=fair_body())
    booth = fair["booths"][0]
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    far_id, far = hub.device(kind="kiosk", station_id=2)
    first = [ticket(hub, kiosk_id, 1, booth["id"])]
    for _ in range(2):  # sent twice (a lost answer): one number
        got = post(hub, kiosk, first).json()["results"][0]
    assert got["status"] == "duplicate"
    results = post(
        hub, kiosk, [ticket(hub, kiosk_id, 2, booth["id"], OTHERS[0]), ticket(hub, kiosk_id, 3, booth["id"])]
    )
    codes = [r["ref"] for r in results.json()["results"]]
    assert codes == ["A002", "A001"]  # a second number for the same worker at the same booth: their first
    elsewhere = post(hub, far, [ticket(hub, far_id, 1, booth["id"], OTHERS[1])]).json()["results"][0]
    assert elsewhere["status"] == "rejected" and "不在本驿站" in elsewhere["reason"]
    assert held(hub, fair["id"])["booths"][0]["waiting"] == 2
    with hub.app.state.db.read() as s:
        assert all(PERSON["id_number"] not in str(vars(t)) for t in s.scalars(select(Ticket)))
    # the booth's own page: 叫下一位 calls A001; the wall's document says so, newest call first
    link = booth["link"]
    page = hub.client.get(link)
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers and "叫下一位" in page.text
    called = hub.client.post(link + "/next", data={"csrf_token": csrf_of(page)})
    assert called.status_code == 200 and 'id="serving">A001<' in called.text
    doc = held(hub, fair["id"])
    assert doc["booths"][0]["serving"] == "A001" and doc["calls"][0][:2] == ["A001", "1"]
    assert hub.client.post(link + "/next", data={}).status_code == 403  # no CSRF token: refused
    # A001 came within the time (the booth called the next): served; A002 is called, never comes
    with hub.app.state.db.write() as s:
        queue.call_next(s, booth["id"])
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=4)
        assert queue.call_next(s, booth["id"], now=later) is None  # nobody else waits
        rows = {t.code: t for t in s.scalars(select(Ticket))}
        assert rows["A001"].served_at is not None and rows["A002"].skipped_at is not None
    figures = hub.ok("GET", "/api/v1/fairs")
    mine = next(b for f in figures if f["id"] == fair["id"] for b in f["booths"] if b["number"] == "1")
    assert (mine["called"], mine["served"], mine["skipped"], mine["waiting"], mine["serving"]) == (2, 1, 1, 0, "")


def test_a_worker_follows_their_number_on_the_phone(hub):
    fair = hub.ok("POST", "/api/v1/fairs", json=fair_body())
    booth = fair["booths"][1]
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    mine = "m" * 40
    post(
        hub,
        kiosk,
        [ticket(hub, kiosk_id, 1, booth["id"], OTHERS[0]), ticket(hub, kiosk_id, 2, booth["id"], secret=mine)],
    )
    page = hub.client.get("/q/" + mine)
    assert page.status_code == 200 and "B002" in page.text and "前面还有 <strong>1</strong> 人" in page.text
    assert 'http-equiv="refresh"' in page.text
    assert hub.client.get("/q/" + "x" * 40).status_code == 404
    with hub.app.state.db.write() as s:
        queue.call_next(s, booth["id"])
        queue.call_next(s, booth["id"])
    assert "轮到您了" in hub.client.get("/q/" + mine).text
    with hub.app.state.db.write() as s:
        queue.came(s, booth["id"], hired=True)
        assert erase_worker(s, hub.app.state.keys, id_number=PERSON["id_number"])["fair_tickets"] == 1
    assert hub.client.get("/q/" + mine).status_code == 404  # erased: the number's page goes with it
    hub.ok("POST", f"/api/v1/fairs/{fair['id']}/status", json={"status": "closed"})
    late = post(hub, kiosk, [ticket(hub, kiosk_id, 3, booth["id"], OTHERS[2])]).json()["results"][0]
    assert late["status"] == "rejected" and "停止取号" in late["reason"]
    hub.ok("POST", f"/api/v1/fairs/{fair['id']}/status", json={"status": "cancelled"})
    assert held(hub, fair["id"]) is None  # withdrawn from every device


def test_two_hub_processes_numbering_one_booth_at_once_give_each_its_own_number(hub):
    """Numbers are max+1 at the booth under the fair's row lock (after the feed's, as every writer
    takes them): two sessions at the same moment, as two hub processes would, never share one."""
    import threading

    from hub.workers import service as workers
    from hub.workers.models import Worker

    fair = hub.ok("POST", "/api/v1/fairs", json=fair_body())
    booth = fair["booths"][0]["id"]
    db, keys = hub.app.state.db, hub.app.state.keys
    with db.write() as s:
        people = [workers.find_or_create(s, keys, who["id_number"]).id for who in OTHERS[:2]]
    start, codes = threading.Barrier(2), []

    def take(i):
        start.wait(timeout=30)
        with db.write() as s:
            ticket = queue.take(
                s,
                booth,
                worker=s.get(Worker, people[i]),
                name="",
                secret=("ab" if i else "cd") * 16,
                device_id=None,
                station_id=1,
                at=dt.datetime.now(dt.UTC),
            )
            codes.append(ticket.code)

    threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == ["A001", "A002"]
    assert held(hub, fair["id"])["booths"][0]["waiting"] == 2


def test_a_secret_used_twice_is_refused_alone_and_the_events_behind_it_go_on(hub):
    """The fault bench (PostgreSQL, 2026-12-04): a device replaying its random draws after a power cut
    sent a number's secret a second time for another worker; the unique secret failed the whole
    batch with 409, sent back for ever, and every event behind it waited. Now that number is refused
    with its reason, and the rest are taken in."""
    fair = hub.ok("POST", "/api/v1/fairs", json=fair_body())
    booth = fair["booths"][0]
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    secret = "q" * 32
    assert post(hub, kiosk, [ticket(hub, kiosk_id, 1, booth["id"], secret=secret)]).json()["results"][0]["ref"]
    batch = [
        ticket(hub, kiosk_id, 2, booth["id"], OTHERS[0], secret=secret),
        ticket(hub, kiosk_id, 3, booth["id"], OTHERS[1]),
    ]
    answer = post(hub, kiosk, batch)
    assert answer.status_code == 200, answer.text
    replayed, behind = answer.json()["results"]
    assert replayed["status"] == "rejected" and "用过了" in replayed["reason"]
    assert behind["status"] == "applied" and behind["ref"] == "A002"


def test_an_event_conflicting_twice_with_the_hub_is_refused_alone_once_it_is_found_at_the_retry(hub, monkeypatch):
    """The rule under it (hub.events.service._apply), with real unique rows: a conflict the second
    try finds resolved (another process wrote the row a moment before) is applied; one that conflicts
    again is refused alone, and the batch goes on."""
    from hub.events import handlers
    from hub.workers.models import Worker

    real = handlers.HANDLERS["fair_ticket"]
    tries = {"n": 0}

    def clashing(ctx, data):
        tries["n"] += 1
        taken = ctx.session.scalar(select(Worker).limit(1))
        if data.get("secret", "").startswith("always") or tries["n"] == 1:
            ctx.session.add(Worker(id_hash=taken.id_hash))  # the same person's key again: a unique row
            ctx.session.flush()
        return real(ctx, data)

    from hub.workers import service as workers

    with hub.app.state.db.write() as s:  # someone the hub knows already, whose key the clash repeats
        workers.find_or_create(s, hub.app.state.keys, OTHERS[2]["id_number"])
    monkeypatch.setitem(handlers.HANDLERS, "fair_ticket", clashing)
    fair = hub.ok("POST", "/api/v1/fairs", json=fair_body())
    booth = fair["booths"][0]
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    batch = [
        ticket(hub, kiosk_id, 2, booth["id"], secret="s" * 32),  # conflicts once, then goes in
        ticket(hub, kiosk_id, 3, booth["id"], OTHERS[0], secret="always" + "t" * 26),
        ticket(hub, kiosk_id, 4, booth["id"], OTHERS[1], secret="u" * 32),
    ]
    answer = post(hub, kiosk, batch)
    assert answer.status_code == 200, answer.text
    first, clash, last = answer.json()["results"]
    assert first["status"] == "applied" and last["status"] == "applied"
    assert clash["status"] == "rejected" and "冲突" in clash["reason"]
