"""The staff console's first pages: sessions, CSRF, employers with credit codes checked, postings
published to devices, devices' state; output escaped."""

import re

from sqlalchemy import select

from hub import admin
from hub.employers.models import Employer
from hub.postings.models import Posting, PostingStatus
from tests.support.console import csrf_of, sign_in
from wire.protocol import HEARTBEAT_PATH

GOOD_CODE = "91350100M000100Y43"  # a valid unified social credit code (check digit Y)


def logged_in(hub):
    """An administrator signed in to the console (password and second factor)."""
    admin.create_user(hub.settings, "staffer", "admin", "a long staff password", [])
    r = sign_in(hub.client, "staffer", "a long staff password")
    assert r.status_code == 303 and r.headers["location"] == "/staff"
    return hub.client


def test_pages_need_a_session_and_a_right_password(hub):
    assert hub.client.get("/staff", follow_redirects=False).headers["location"] == "/staff/login"
    admin.create_user(hub.settings, "staffer", "admin", "a long staff password", [])
    page = hub.client.get("/staff/login")
    wrong = hub.client.post("/staff/login", data={"name": "staffer", "password": "nope", "csrf_token": csrf_of(page)})
    assert wrong.status_code == 401 and "用户名或密码不对" in wrong.text
    forged = hub.client.post(
        "/staff/login", data={"name": "staffer", "password": "a long staff password", "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    hub.client.cookies.set("lingong_staff", "made.up.cookie", path="/staff")
    assert hub.client.get("/staff", follow_redirects=False).status_code == 303


def test_employer_with_a_bad_then_a_good_credit_code(hub):
    client = logged_in(hub)
    page = client.get("/staff/employers")
    form = {
        "name": "<b>湘江</b>劳务有限公司",
        "credit_code": "91350100M000100Y44",
        "contact_person": "李经理",
        "contact_phone": "13800002222",
        "district": "青川区",
        "address": "",
        "csrf_token": csrf_of(page),
    }
    bad = client.post("/staff/employers", data=form)
    assert bad.status_code == 422 and 'id="credit_code-error"' in bad.text
    assert 'value="&lt;b&gt;湘江&lt;/b&gt;劳务有限公司"' in bad.text  # kept, and escaped
    good = client.post("/staff/employers", data={**form, "credit_code": GOOD_CODE}, follow_redirects=True)
    assert good.status_code == 200 and "&lt;b&gt;湘江&lt;/b&gt;劳务有限公司" in good.text and "<b>湘江" not in good.text
    with hub.app.state.db.read() as s:
        assert s.scalar(select(Employer).where(Employer.credit_code == GOOD_CODE)) is not None


def test_publish_and_close_a_posting(hub):
    client = logged_in(hub)
    page = client.get("/staff/postings/new")
    token = csrf_of(page)
    form = {
        "title": "",
        "trade_id": "1",
        "employer_id": "1",
        "headcount": "3",
        "pay_min": "300",
        "pay_max": "280",
        "pay_unit": "day",
        "settlement": "daily",
        "work_start": "2026-11-22",
        "daily_hours": "07:00-17:00",
        "valid_days": "7",
        "address": "青川区滨江路8号",
        "contact_person": "王经理",
        "contact_phone": "13800001111",
        "requirements": "",
        "csrf_token": token,
    }
    missing = client.post("/staff/postings/new", data=form)
    assert missing.status_code == 422 and 'id="title-error"' in missing.text
    crossed = client.post("/staff/postings/new", data={**form, "title": "钢筋工"})
    assert crossed.status_code == 422 and "pay" in crossed.text  # highest below lowest: said next to the pay
    done = client.post(
        "/staff/postings/new", data={**form, "title": "钢筋工", "pay_max": "380"}, follow_redirects=False
    )
    assert done.status_code == 303
    posting_id = int(done.headers["location"].split("=")[1])
    with hub.app.state.db.read() as s:
        p = s.get(Posting, posting_id)
        assert (p.title, p.pay_min_fen, p.pay_max_fen, p.status) == ("钢筋工", 30000, 38000, PostingStatus.OPEN)
    listed = client.get("/staff")
    assert f"/p/{posting_id}" in listed.text
    client.post(f"/staff/postings/{posting_id}/close", data={"csrf_token": csrf_of(listed), "confirmed": "yes"})
    with hub.app.state.db.read() as s:
        assert s.get(Posting, posting_id).status == PostingStatus.CLOSED


def test_devices_page_shows_their_heartbeats(hub):
    _, wall = hub.device(kind="display")
    assert (
        hub.client.post(HEARTBEAT_PATH, json={"self_check": "ok", "showing": "table 2/5"}, headers=wall).status_code
        < 300
    )
    client = logged_in(hub)
    page = client.get("/staff/devices")
    assert "在线" in page.text and "表格，第2页/共5页" in page.text and "table 2/5" not in page.text


def test_station_staff_publish_to_their_own_station(hub):
    admin.create_user(hub.settings, "s3", "station", "station three password", [3])
    page = hub.client.get("/staff/login")
    hub.client.post(
        "/staff/login", data={"name": "s3", "password": "station three password", "csrf_token": csrf_of(page)}
    )
    form_page = hub.client.get("/staff/postings/new")
    done = hub.client.post(
        "/staff/postings/new",
        follow_redirects=False,
        data={
            "title": "保洁员",
            "trade_id": "1",
            "employer_id": "1",
            "headcount": "2",
            "pay_min": "150",
            "pay_max": "180",
            "pay_unit": "day",
            "settlement": "daily",
            "work_start": "2026-11-22",
            "valid_days": "7",
            "address": "青川区滨江路8号",
            "contact_person": "王经理",
            "contact_phone": "13800001111",
            "certificate": "yes",
            "csrf_token": csrf_of(form_page),
        },
    )
    assert done.status_code == 303, done.text
    assert 'name="certificate"' in form_page.text  # 持证上岗, ticked on the form
    with hub.app.state.db.read() as s:
        p = s.get(Posting, int(done.headers["location"].split("=")[1]))
        assert not p.all_stations and [st.id for st in p.stations] == [3]
        assert p.certificate


def test_applications_by_station_and_a_placement_counts(hub):
    from hub.applications.models import Application, ApplicationStatus
    from hub.feed.models import FeedState
    from tests.integration.test_events import application, post

    kiosk_id, kiosk = hub.device(station_id=1)
    assert post(hub, kiosk, [application(hub, kiosk_id, 1, posting=1)]).json()["results"][0]["status"] == "applied"
    admin.create_user(hub.settings, "s2", "station", "station two password", [2])
    page = hub.client.get("/staff/login")
    hub.client.post(
        "/staff/login", data={"name": "s2", "password": "station two password", "csrf_token": csrf_of(page)}
    )
    listing = hub.client.get("/staff/applications")
    assert "13812345678" not in listing.text  # another station's applicant stays hidden
    with hub.app.state.db.read() as s:
        app_id = s.scalar(select(Application.id))
    refused = hub.client.post(
        f"/staff/applications/{app_id}/status", data={"status": "hired", "csrf_token": csrf_of(listing)}
    )
    assert refused.status_code == 403
    hub.client.cookies.clear()
    client = logged_in(hub)
    listing = client.get("/staff/applications")
    assert "张三" in listing.text and "13812345678" in listing.text
    client.post(f"/staff/applications/{app_id}/status", data={"status": "hired", "csrf_token": csrf_of(listing)})
    with hub.app.state.db.read() as s:
        assert s.get(Application, app_id).status == ApplicationStatus.HIRED
        figures = s.scalar(select(FeedState).where(FeedState.kind == "figures", FeedState.entity_id == 1))
        assert '"placed_today":1' in figures.doc.replace(" ", "")


def test_enrol_a_device_from_the_console(hub):
    client = logged_in(hub)
    page = client.get("/staff/devices")
    made = client.post(
        "/staff/devices", data={"name": "大厅大屏", "kind": "display", "station_id": "1", "csrf_token": csrf_of(page)}
    )
    assert made.status_code == 200 and "<svg" in made.text
    code = re.search(r'id="code">([^<]+)<', made.text).group(1)
    fingerprint = hub.app.state.keys.fingerprint
    assert f"--code {code} --fingerprint {fingerprint}" in made.text and f'id="fingerprint">{fingerprint}<' in made.text
    # the code works once, through the real enrolment route
    answer = hub.client.post("/api/v1/devices/enroll", json={"code": code})
    assert answer.status_code == 200 and answer.json()["kind"] == "display"
    assert hub.client.post("/api/v1/devices/enroll", json={"code": code}).status_code in (401, 404, 410)
