"""The phone pages' way there and way on: the 导航 link (fixed scheme and host, data only as encoded
numbers and name), the address said once, the distance only where it means something, the station
heading the page, errors in view after a failed submit, a friendly 已经报过名, similar open jobs."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import admin
from hub.app import create_app
from hub.postings.models import Posting
from hub.settings import Settings
from hub.stations.models import Station
from tests.integration.test_household_orders import ORDER
from tests.integration.test_phone_page import csrf_of
from tests.support.hub import posting_body


@pytest.fixture
def db_url(sqlite_url):
    """SQLite only: nothing here differs between the databases, and make test has 10 minutes."""
    return sqlite_url


HOSTILE = '"><script>alert(1)</script>&name=x#钢筋'


def navigate_link(page) -> tuple:
    href = html.unescape(re.search(r'id="navigate" href="([^"]+)"', page.text).group(1))
    parts = urlsplit(href)
    return parts, {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}


def first_station(hub) -> Station:
    with hub.app.state.db.read() as s:
        station = s.get(Station, 1)
        s.expunge(station)
        return station


def test_the_navigate_link_pins_the_postings_own_point_and_encodes_its_name(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body(title=HOSTILE, lat=28.25, lon=112.95))
    page = hub.client.get(f"/p/{p['id']}")
    assert page.status_code == 200 and "<script>alert(1)" not in page.text
    parts, query = navigate_link(page)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", "uri.amap.com", "/marker", "")
    assert set(query) == {"position", "name", "coordinate", "callnative", "src"}
    assert query["position"] == "112.950000,28.250000" and query["coordinate"] == "gaode"
    assert query["name"].startswith(HOSTILE)  # the whole name, as data, inside one parameter
    # the address once (it already names the district), and how far it is, from which station
    assert "青川区滨江路8号 锦绣花园工地" in page.text and "青川区青川区" not in page.text
    assert re.search(r'id="distance">离\S+零工\S+约\d+\.\d公里（直线距离）<', page.text), page.text


def test_a_posting_at_its_stations_point_gets_an_address_search_and_no_distance(hub):
    station = first_station(hub)
    body = posting_body(address="滨江路8号", lat=station.lat, lon=station.lon)  # as the console makes them
    p = hub.ok("POST", "/api/v1/postings", json=body)
    page = hub.client.get(f"/p/{p['id']}")
    parts, query = navigate_link(page)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "uri.amap.com", "/search")
    assert query["keyword"] == "青川区滨江路8号"
    assert "公里" not in page.text and "没有在地图上标位置" in page.text


def test_the_station_heads_the_page(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    with hub.app.state.db.read() as s:
        third = s.get(Station, 3)
        name, phone = third.name, third.phone
    named = hub.client.get(f"/p/{p['id']}?s=3")
    header = re.search(r'<header class="station" id="station">(.*?)</header>', named.text, re.S).group(1)
    assert name in header and f'href="tel:{phone}"' in header
    for odd in ("abc", "99999", "-1", "３"):  # a station nobody has, or not a number: the nearest one
        page = hub.client.get(f"/p/{p['id']}", params={"s": odd})
        assert page.status_code == 200 and 'id="station"' in page.text, odd
    order = hub.client.get("/o/new?station=3")
    assert name in order.text and re.search(r'<option value="3" selected>', order.text)
    assert 'id="district" name="district" maxlength="30" value="青川区"' in order.text  # the station's district


def test_a_failed_submit_lands_on_the_form_with_its_errors_on_top(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    token = csrf_of(hub.client.get(f"/p/{p['id']}"))
    bad = hub.client.post(
        f"/p/{p['id']}/apply", data={"name": "王五", "phone": "139 1234", "consent": "", "csrf_token": token}
    )
    assert bad.status_code == 422
    form = bad.text[bad.text.index('<form class="card"') :]
    # The summary takes the focus as the page opens (autofocus; the browser scrolls it into view).
    # No #fragment on the form's action: a fragment target makes browsers skip autofocus.
    assert f'action="/p/{p["id"]}/apply"' in form
    summary = re.search(
        r'<div class="errors" id="apply-errors" role="alert" tabindex="-1" autofocus[^>]*>(.*?)</div>', form, re.S
    )
    assert summary and "还有2处要改一下" in summary.group(1)
    assert '<a href="#phone">' in summary.group(1) and '<a href="#consent">' in summary.group(1)
    assert 'id="phone" name="phone" value="1391234"' in form and 'value="王五"' in form  # kept as typed
    assert 'aria-invalid="true" aria-describedby="phone-error"' in form and 'id="phone-error"' in form
    assert 'aria-describedby="name-error"' not in form

    page = hub.client.get("/o/new")
    order = hub.client.post(
        "/o/new", data={**ORDER, "need": "", "pay": "abc", "consent": "", "csrf_token": csrf_of(page)}
    )
    assert order.status_code == 422 and 'action="/o/new"' in order.text
    summary = re.search(r'id="order-errors" role="alert" tabindex="-1" autofocus[^>]*>(.*?)</div>', order.text, re.S)
    summary = summary.group(1)
    assert '<a href="#need">' in summary and '<a href="#pay">' in summary and '<a href="#consent">' in summary
    assert 'value="滨江路8号3栋2单元"' in order.text and 'value="周六上午"' in order.text
    assert 'id="pay" name="pay" value="abc" aria-invalid="true" aria-describedby="pay_fen-error"' in order.text


def test_applying_again_from_the_same_phone_is_a_friendly_page(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body(title="搬运工"))
    token = csrf_of(hub.client.get(f"/p/{p['id']}"))
    form = {"name": "王五", "phone": "13912345678", "consent": "yes", "csrf_token": token}
    assert hub.client.post(f"/p/{p['id']}/apply", data=form).status_code == 200
    again = hub.client.post(f"/p/{p['id']}/apply", data=form)
    assert again.status_code == 200 and 'id="applied-again"' in again.text
    assert re.search(r"您在\d+月\d+日 \d\d:\d\d用这部手机报了这个岗位", again.text) and "搬运工" in again.text
    assert "会打您留的电话联系您" in again.text  # what happens next
    page = hub.client.get(f"/p/{p['id']}")
    assert page.status_code == 200 and 'id="applied-before"' in page.text and 'id="apply"' not in page.text
    hub.client.cookies.clear()
    hub.client.cookies.set("lingong_applied", f"x.1-{p['id']}.12-{p['id']}%3Cscript", path="/p")  # spoiled: ignored
    assert 'id="apply"' in hub.client.get(f"/p/{p['id']}").text


def test_behind_https_the_applied_cookie_is_secure(tmp_path, sqlite_url):
    """Which jobs a phone applied for travels only over HTTPS when the hub is served so."""
    settings = Settings(home=tmp_path / "hub", database_url=sqlite_url, public_url="https://hub.example.cn")
    admin.seed_hub(settings, 5, 7)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        with client.app.state.db.read() as s:
            ids = list(s.scalars(select(Posting.id).order_by(Posting.id)))
        page = next(p for p in (client.get(f"/p/{i}") for i in ids) if 'id="apply"' in p.text)
        posting_id = re.search(r'action="/p/(\d+)/apply"', page.text).group(1)
        form = {"name": "王五", "phone": "13912345678", "consent": "yes", "csrf_token": csrf_of(page)}
        done = client.post(f"/p/{posting_id}/apply", data=form)
    cookie = done.headers["set-cookie"]
    assert done.status_code == 200 and "lingong_applied=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_an_ended_posting_lists_open_ones_of_the_same_trade(hub):
    ended = hub.ok("POST", "/api/v1/postings", json=posting_body(trade_id=2, title="结束了的活"))
    others = [hub.ok("POST", "/api/v1/postings", json=posting_body(trade_id=2, title=f"同类{n}")) for n in range(3)]
    hub.ok("POST", f"/api/v1/postings/{ended['id']}/status", json={"status": "closed"})
    hub.ok("POST", f"/api/v1/postings/{others[0]['id']}/status", json={"status": "full"})
    page = hub.client.get(f"/p/{ended['id']}?s=2")
    assert page.status_code == 410 and "已经招满或结束" in page.text
    similar = re.search(r'<div class="card" id="similar">(.*?)</div>', page.text, re.S).group(1)
    links = re.findall(r'<a href="/p/(\d+)\?s=2">', similar)
    assert str(others[1]["id"]) in links and str(others[2]["id"]) in links
    assert str(ended["id"]) not in links and str(others[0]["id"]) not in links and 1 <= len(links) <= 5
    for pid in links:
        assert hub.client.get(f"/p/{pid}").status_code == 200  # each one open
