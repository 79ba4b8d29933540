"""Console forms report every error in one answer: a summary on top (role="alert") linking to each
field in the form's order, each field marked aria-invalid and described by its own message —
field errors and the rules between fields together, not one more per submit."""

import re

import pytest

from tests.integration.test_console import GOOD_CODE, logged_in
from tests.support.console import csrf_of


@pytest.fixture
def db_url(sqlite_url):
    """On SQLite only: what these check is the forms' words and markup, the same on either database
    (the import's all-or-nothing transaction runs on both in test_console_import.py)."""
    return sqlite_url


POSTING = {
    "title": "",  # missing
    "trade_id": "",  # not chosen
    "employer_id": "",  # not chosen
    "headcount": "2",
    "filled": "5",  # more than the headcount: a rule between fields
    "pay_min": "300",
    "pay_max": "200",  # under the lowest pay: a rule between fields
    "pay_unit": "day",
    "settlement": "daily",
    "work_start": "2026-12-05",
    "work_end": "2026-12-01",  # before the start: a rule between fields
    "valid_days": "7",
    "address": "青川区滨江路8号",
    "contact_person": "王经理",
    "contact_phone": "12345",  # no phone number
}


def tag(html: str, element_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea|fieldset)\b[^>]*\bid="{element_id}"[^>]*>', html)
    assert found, element_id
    return found.group(0)


def reported(answer, fields: dict[str, str]) -> list[str]:
    """Checks the answer reports exactly `fields` (the field's id → its error's key) the accessible
    way; returns the summary's links in order."""
    assert answer.status_code == 422
    summary = re.search(
        r'<div class="error-summary" id="error-summary" role="alert"[^>]*>(.*?)</div>', answer.text, re.S
    )
    assert summary, "no error summary"
    links = re.findall(r'<a href="#([^"]+)"', summary.group(1))
    assert sorted(links) == sorted(fields), links
    assert f"有 {len(fields)} 处要改" in summary.group(1)
    for field, key in fields.items():
        control = tag(answer.text, field)
        assert f'aria-describedby="{key}-error"' in control, control
        if not control.startswith("<fieldset"):  # (a group is described, its boxes are not each wrong)
            assert 'aria-invalid="true"' in control, control
        assert re.search(rf'<p class="error" id="{key}-error">[^<]+</p>', answer.text), key
    assert answer.text.count('aria-invalid="true"') == sum(
        not tag(answer.text, f).startswith("<fieldset") for f in fields
    )
    assert "<script>" not in answer.text and "<script " not in answer.text.replace(
        '<script src="/static/console.js" defer>', ""
    )
    return links


def test_a_posting_with_many_errors_gets_all_of_them_at_once(hub):
    client = logged_in(hub)
    page = client.get("/staff/postings/new")
    for select in ("trade_id", "employer_id"):  # nothing chosen for staff: 请选择, required
        opened = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', page.text, re.S)
        assert "required" in opened.group(0) and opened.group(1).startswith('<option value="">请选择</option>')
        assert " selected" not in opened.group(1)
    assert 'data-filters="employer_id"' in page.text  # the employer list can be searched
    answer = client.post("/staff/postings/new", data={**POSTING, "csrf_token": csrf_of(page)})
    links = reported(
        answer,
        {
            "title": "title",
            "trade_id": "trade_id",
            "employer_id": "employer_id",
            "filled": "filled",
            "pay_max": "pay_max_fen",
            "work_end": "work_end",
            "contact_phone": "contact_phone",
        },
    )
    assert links == ["title", "trade_id", "employer_id", "filled", "pay_max", "work_end", "contact_phone"]
    assert "最高薪资不能低于最低薪资" in answer.text and "结束日期不能早于开工日期" in answer.text
    assert 'value="王经理"' in answer.text  # what was typed is kept


def test_an_edited_posting_too(hub):
    client = logged_in(hub)
    page = client.get("/staff/postings/1/edit")
    fixed = {**POSTING, "title": "钢筋工", "trade_id": "1", "employer_id": "1", "contact_phone": "13800001111"}
    answer = client.post("/staff/postings/1/edit", data={**fixed, "valid_days": "0", "csrf_token": csrf_of(page)})
    reported(answer, {"filled": "filled", "pay_max": "pay_max_fen", "work_end": "work_end", "valid_days": "valid_days"})


def test_an_employer_with_many_errors(hub):
    client = logged_in(hub)
    page = client.get("/staff/employers")
    form = {"name": "湘江劳务有限公司", "credit_code": GOOD_CODE, "contact_person": "李经理"}
    form |= {"contact_phone": "13800002222", "district": "青川区", "address": "", "csrf_token": csrf_of(page)}
    assert client.post("/staff/employers", data=form, follow_redirects=False).status_code == 303
    again = {**form, "name": "湘", "contact_phone": "12", "csrf_token": csrf_of(page)}  # and the same code
    answer = client.post("/staff/employers", data=again)
    reported(answer, {"name": "name", "contact_phone": "contact_phone", "credit_code": "credit_code"})
    assert "已登记在「湘江劳务有限公司」名下" in answer.text


def test_an_announcement_and_interview_slots_with_many_errors(hub):
    client = logged_in(hub)
    page = client.get("/staff/announcements")
    answer = client.post(
        "/staff/announcements",
        data={
            "kind": "notice",
            "title": "",
            "priority": "500",
            "valid_from": "2026-12-05T08:00",
            "valid_to": "2026-12-04T08:00",
            "all_stations": "yes",
            "csrf_token": csrf_of(page),
        },
    )
    reported(answer, {"title": "title", "priority": "priority", "valid_to": "valid_to"})
    page = client.get("/staff/interviews")
    answer = client.post(
        "/staff/interviews",
        data={"posting_id": "", "booth_id": "", "starts_at": "2020-01-01T08:00", "minutes": "1", "count": "3"}
        | {"csrf_token": csrf_of(page)},
    )
    reported(
        answer, {"posting_id": "posting_id", "booth_id": "booth_id", "starts_at": "starts_at", "minutes": "minutes"}
    )
    assert "面试时间必须在将来" in answer.text


def test_a_staff_account_and_a_new_password_with_many_errors(hub):
    client = logged_in(hub)
    page = client.get("/staff/users")
    answer = client.post("/staff/users", data={"name": "x", "role": "", "csrf_token": csrf_of(page)})
    reported(answer, {"name": "name", "role": "role"})
    answer = client.post("/staff/users", data={"name": "staffer", "role": "station", "csrf_token": csrf_of(page)})
    reported(answer, {"name": "name", "stations": "station_ids"})  # the name is taken; no station ticked
    assert "已经有叫 staffer 的账号了" in answer.text
    page = client.get("/staff/account")
    answer = client.post(
        "/staff/account",
        data={"current": "not my password", "password": "short", "again": "other", "csrf_token": csrf_of(page)},
    )
    reported(answer, {"current": "current", "password": "password", "again": "again"})


def test_a_posting_placed_by_coordinates_pasted_from_a_map_app(hub):
    """Staff paste a point from 高德/腾讯 (GCJ-02, longitude first as 高德 copies it, or latitude
    first): the posting is there, not at its station; a pair that is no point in China is refused
    with the form's other errors; empty keeps the station's point; the edit form shows it back."""

    from hub.postings.models import Posting
    from hub.stations.models import Station

    client = logged_in(hub)
    page = client.get("/staff/postings/new")
    assert "GCJ-02" in page.text and "百度" in page.text and 'id="coordinates-help"' in page.text
    good = {**POSTING, "title": "钢筋工", "trade_id": "1", "employer_id": "1", "filled": "0"}
    good |= {"pay_max": "400", "work_end": "", "contact_phone": "13800001111", "station_ids": ["3"]}
    made = {}
    for pasted in ("112.938814,28.228209", "28.228209, 112.938814", ""):
        done = client.post(
            "/staff/postings/new",
            data={**good, "coordinates": pasted, "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        made[pasted] = int(done.headers["location"].split("published=")[1])
    with hub.app.state.db.read() as s:
        station = s.get(Station, 3)
        points = {k: (s.get(Posting, v).lat, s.get(Posting, v).lon) for k, v in made.items()}
    assert points["112.938814,28.228209"] == points["28.228209, 112.938814"] == (28.228209, 112.938814)
    assert points[""] == (station.lat, station.lon)  # no coordinates: the station's point, as before
    edit = client.get(f"/staff/postings/{made['112.938814,28.228209']}/edit")
    assert 'value="112.938814,28.228209"' in edit.text
    assert 'id="coordinates" name="coordinates" value=""' in client.get(f"/staff/postings/{made['']}/edit").text
    for wrong in ("0,0", "高德", "112.9"):
        answer = client.post(
            "/staff/postings/new",
            data={**good, "pay_max": "100", "coordinates": wrong, "csrf_token": csrf_of(page)},
        )
        reported(answer, {"pay_max": "pay_max_fen", "coordinates": "coordinates"})


def test_places_the_hub_keeps_as_staff_name_pasted_points(hub):
    """A pasted point given a name is kept as a place of the posting's district; the next posting
    picks it from the list; the place fields' mistakes come with the form's other errors."""
    from sqlalchemy import select

    from hub.places.models import Place
    from hub.postings.models import Posting

    client = logged_in(hub)
    page = client.get("/staff/postings/new")
    assert "还没有常用地点" in page.text
    good = {**POSTING, "title": "钢筋工", "trade_id": "1", "employer_id": "1", "filled": "0", "district": "青川区"}
    good |= {"pay_max": "400", "work_end": "", "contact_phone": "13800001111", "csrf_token": csrf_of(page)}
    done = client.post(
        "/staff/postings/new",
        data={**good, "coordinates": "112.938814,28.228209", "place_name": "锦绣花园小区"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    with hub.app.state.db.read() as s:
        place = s.scalar(select(Place).where(Place.name == "锦绣花园小区"))
        assert (place.district, place.lat, place.lon) == ("青川区", 28.228209, 112.938814)
    page = client.get("/staff/postings/new")
    assert re.search(rf'<optgroup label="青川区"><option value="{place.id}" >锦绣花园小区</option>', page.text)
    done = client.post("/staff/postings/new", data={**good, "place_id": str(place.id)}, follow_redirects=False)
    pid = int(done.headers["location"].split("published=")[1])
    with hub.app.state.db.read() as s:
        assert (s.get(Posting, pid).lat, s.get(Posting, pid).lon) == (28.228209, 112.938814)
    assert re.search(rf'<option value="{place.id}" selected>', client.get(f"/staff/postings/{pid}/edit").text)
    answer = client.post(
        "/staff/postings/new",
        data={
            **good,
            "pay_max": "100",
            "place_id": str(place.id),
            "coordinates": "112.9,28.2",
            "place_name": "锦绣花园小区",
        },
    )  # a place and a point both; a name already kept in the district
    reported(answer, {"pay_max": "pay_max_fen", "place_id": "place_id", "place_name": "place_name"})
    answer = client.post("/staff/postings/new", data={**good, "place_name": "东门"})  # a name without a point
    reported(answer, {"place_name": "place_name"})
