"""Household orders end to end in-process: a resident posts one from the phone page, staff review
it, dispatch it to a worker registered at a kiosk, the worker accepts and completes it through the
signed link, and the station's 接单王 board counts it."""

import json
import re

from sqlalchemy import select

from hub import admin
from hub.feed.models import FeedState
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.postings.models import Posting
from tests.integration.test_console import csrf_of, logged_in
from tests.integration.test_events import PERSON, event, post

ORDER = {
    "need": "修客厅的灯",
    "details": "吸顶灯不亮了",
    "district": "青川区",
    "address": "滨江路8号3栋2单元",
    "when_text": "周六上午",
    "pay": "80",
    "resident_phone": "137 0000 2222",
    "station_id": "1",
    "consent": "yes",
}


def post_order(client, **changes):
    page = client.get("/o/new")
    assert page.status_code == 200
    return client.post("/o/new", data={**ORDER, **changes, "csrf_token": csrf_of(page)})


def register_worker(hub, phone="13812345678", consent=True):
    """A worker registers at a kiosk (the real event path), leaving their phone with consent."""
    kiosk_id, kiosk = hub.device(station_id=1)
    body = {
        "intention": {
            "trades": [1],
            "districts": ["青川区"],
            "pay_unit": "day",
            "pay_min_fen": 20000,
            "availability": ["today"],
        },
        "person": hub.seal({**PERSON, "phone": phone, "consent": consent}, kiosk_id, "registration", 1),
    }
    assert post(hub, kiosk, [event(1, "registration", body)]).json()["results"][0]["status"] == "applied"


def only_order(hub) -> HouseholdOrder:
    with hub.app.state.db.read() as s:
        return s.scalar(select(HouseholdOrder))


def test_the_resident_form_says_what_is_wrong_next_to_each_field(hub):
    bad = post_order(hub.client, need="", pay="abc", resident_phone="12345", consent="")
    assert bad.status_code == 422
    for field in ("need", "pay_fen", "resident_phone"):
        assert f'id="{field}-error"' in bad.text, field
    no_consent = post_order(hub.client, consent="")
    assert no_consent.status_code == 422 and 'id="consent-error"' in no_consent.text
    assert only_order(hub) is None  # nothing half-written
    escaped = post_order(hub.client, need="<script>x</script>", consent="")
    assert "<script>x" not in escaped.text and "&lt;script&gt;x" in escaped.text


def test_posting_an_order_is_rate_limited(hub):
    codes = [post_order(hub.client).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_review_dispatch_accept_complete_and_the_tally(hub):
    done = post_order(hub.client)
    assert done.status_code == 200
    code = re.search(r'id="order-code"[^>]*>([^<]+)<', done.text).group(1)
    order = only_order(hub)
    assert order.code == code and order.status is OrderStatus.PENDING and order.resident_phone == "13700002222"

    client = logged_in(hub)
    queue = client.get("/staff/orders")
    assert code in queue.text and "13700002222" in queue.text
    token = csrf_of(queue)
    unknown = client.post(
        f"/staff/orders/{order.id}/dispatch", data={"phone": "13999999999", "csrf_token": token}, follow_redirects=True
    )
    assert "没有用这个手机号登记的零工" in unknown.text and only_order(hub).status is OrderStatus.PENDING

    register_worker(hub)
    client.post(f"/staff/orders/{order.id}/dispatch", data={"phone": "13812345678", "csrf_token": token})
    assert only_order(hub).status is OrderStatus.DISPATCHED
    active = client.get("/staff/orders?tab=active")
    link = re.search(r'class="worker-link" href="([^"]+)"', active.text).group(1)
    path = link.removeprefix(hub.settings.public_url)
    # Its two steps stand apart in a flex row (not forms inside a <p>, which the browser stacks touching),
    # the cancel saying what it cancels and asking first.
    steps = re.search(r'<div class="buttons order-steps">(.*?)</div>', active.text, re.S).group(1)
    assert "记为已接单" in steps and ">取消这单</button>" in steps and 'data-confirm="取消后' in steps
    assert ">取消</button>" not in active.text

    hub.client.cookies.clear()  # the worker's phone: no staff session
    page = hub.client.get(path)
    assert page.status_code == 200 and "修客厅的灯" in page.text and 'id="accept"' in page.text
    hub.client.post(path + "/accept", data={"csrf_token": csrf_of(page)})
    page = hub.client.get(path)
    assert only_order(hub).status is OrderStatus.ACCEPTED and 'id="complete"' in page.text
    again = hub.client.post(path + "/accept", data={"csrf_token": csrf_of(page)})
    assert again.status_code == 409  # a second accept is told, not applied
    assert "13700002222" in page.text  # while the job is the worker's, they can call the resident
    hub.client.post(path + "/complete", data={"csrf_token": csrf_of(page)})
    assert only_order(hub).status is OrderStatus.COMPLETED
    done_page = hub.client.get(path)  # security review, finding 9: the link kept showing phone and address
    assert (
        done_page.status_code == 200 and "13700002222" not in done_page.text and ORDER["address"] not in done_page.text
    )

    with hub.app.state.db.read() as s:
        figures = json.loads(
            s.scalar(select(FeedState.doc).where(FeedState.kind == "figures", FeedState.entity_id == 1))
        )
    assert figures["top_week"] == [{"name": "尾号5678", "count": 1}]  # no consented name: the phone's last four

    forged = hub.client.get(path[:-3] + "abc")
    assert forged.status_code == 410


def test_a_redispatched_order_closes_the_first_workers_link(hub):
    post_order(hub.client)
    order = only_order(hub)
    register_worker(hub, "13812345678")
    client = logged_in(hub)
    token = csrf_of(client.get("/staff/orders"))
    client.post(f"/staff/orders/{order.id}/dispatch", data={"phone": "13812345678", "csrf_token": token})
    first = re.search(r'class="worker-link" href="([^"]+)"', client.get("/staff/orders?tab=active").text).group(1)
    with hub.app.state.db.write() as s:  # a second registered worker
        import datetime as dt

        from hub.workers.models import Worker

        s.add(Worker(id_hash="e" * 64, id_masked="", phone="13911112222", phone_consent_at=dt.datetime.now(dt.UTC)))
    client.post(f"/staff/orders/{order.id}/dispatch", data={"phone": "13911112222", "csrf_token": token})
    hub.client.cookies.clear()
    assert hub.client.get(first.removeprefix(hub.settings.public_url)).status_code == 410


def test_publish_an_order_as_a_posting_without_the_residents_phone(hub):
    post_order(hub.client)
    order = only_order(hub)
    client = logged_in(hub)
    token = csrf_of(client.get("/staff/orders"))
    client.post(f"/staff/orders/{order.id}/publish", data={"trade_id": "1", "csrf_token": token})
    order = only_order(hub)
    assert order.status is OrderStatus.PUBLISHED and order.posting_id
    with hub.app.state.db.read() as s:
        p = s.get(Posting, order.posting_id)
        assert p.title == "修客厅的灯" and p.contact_phone != "13700002222"
        assert [st.id for st in p.stations] == [1] and p.pay_min_fen == 8000
        doc = s.scalar(select(FeedState.doc).where(FeedState.kind == "posting", FeedState.entity_id == p.id))
    assert "13700002222" not in doc


def test_other_stations_staff_cannot_touch_the_order(hub):
    post_order(hub.client)
    order = only_order(hub)
    admin.create_user(hub.settings, "s2", "station", "station two password", [2])
    page = hub.client.get("/staff/login")
    hub.client.post(
        "/staff/login", data={"name": "s2", "password": "station two password", "csrf_token": csrf_of(page)}
    )
    queue = hub.client.get("/staff/orders")
    assert order.code not in queue.text and "13700002222" not in queue.text
    refused = hub.client.post(f"/staff/orders/{order.id}/reject", data={"note": "不行", "csrf_token": csrf_of(queue)})
    assert refused.status_code == 403 and only_order(hub).status is OrderStatus.PENDING


def test_rejecting_needs_a_reason(hub):
    post_order(hub.client)
    order = only_order(hub)
    client = logged_in(hub)
    token = csrf_of(client.get("/staff/orders"))
    empty = client.post(
        f"/staff/orders/{order.id}/reject", data={"note": "", "csrf_token": token}, follow_redirects=True
    )
    assert "请写明不通过的原因" in empty.text and only_order(hub).status is OrderStatus.PENDING
    client.post(f"/staff/orders/{order.id}/reject", data={"note": "不属于零活", "csrf_token": token})
    assert only_order(hub).status is OrderStatus.REJECTED
