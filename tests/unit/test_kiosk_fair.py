"""招聘会 at the kiosk as plain Python (kiosk.flow, kiosk.views) over a real demo device store: the first
screen's tile only while a fair is on, the booths in the hall map's order with their queues (paged
when the hall is big), a number taken with the card in one tap, and the receipt showing the number
the hub gives, its QR the number's own phone page."""

import shutil

import pytest

from cardreader.sim import resident
from kiosk import views
from kiosk.data import KioskData
from kiosk.flow import ATTRACT, BOOTH, FAIR, RECEIPT, Flow
from lingong.demodata import device_store
from sync.store import DeviceStore

ID, NAME = "11010519491231002X", "张三丰"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("kiosk") / "device.db"
    device_store(path, postings=30).close()
    return path


@pytest.fixture
def flow(template, tmp_path):
    shutil.copy(template, tmp_path / "device.db")
    store = DeviceStore(tmp_path / "device.db")
    data = KioskData(store)
    data.refresh()
    fair = data.reference.fairs[0]
    data.clock = lambda: fair["opens_at"] + 3600  # an hour into the demo's fair
    yield Flow(data, public_url="https://hub.example.cn/", idle_timeout_s=60, clock=Clock())
    store.close()


def put_fair(flow, **changes) -> dict:
    """The fair's document as the hub would send it again, changed."""
    store, doc = flow.data.store, flow.data.reference.fairs[0]
    doc = {**doc, **changes}
    store.apply_changes(store.cursor + 1, [{"k": "fair", "id": doc["id"], "op": "put", "d": doc}])
    flow.data.refresh()
    return doc


def test_the_tile_shows_while_the_fair_is_on_and_the_booths_read_in_hall_order(flow):
    assert views.build(flow).fair == "招聘会取号"
    fair = flow.data.reference.fairs[0]
    clock = flow.data.clock
    flow.data.clock = lambda: fair["closes_at"] + 1  # over, by the kiosk's own clock
    assert views.build(flow).fair == "" and flow.data.fair() is None
    flow.data.clock = clock
    flow.fair()
    view = views.build(flow)
    assert flow.screen == FAIR and flow.visit.browsing and view.title == fair["title"]
    assert [r["title"].split("号")[0] for r in view.rows] == ["1", "2", "3", "5", "6", "8"]
    assert all(r["seats"] == "不用排队" and r["action"] == "open_booth" for r in view.rows) and not view.paged
    flow.back()
    assert flow.screen == ATTRACT


def test_a_big_hall_pages_with_buttons(flow):
    booths = flow.data.reference.fairs[0]["booths"]
    many = [{**booths[0], "id": 1000 + i, "number": str(10 + i), "waiting": i} for i in range(9)]
    put_fair(flow, booths=booths + many)
    flow.fair()
    view = views.build(flow)
    assert view.paged and view.page == "第1页，共3页" and len(view.rows) == 6 and view.can_next
    flow.next_page()
    flow.next_page()
    view = views.build(flow)
    assert view.page == "第3页，共3页" and [r["title"].split("号")[0] for r in view.rows] == ["16", "17", "18"]
    assert view.rows[-1]["seats"] == "排队8人" and not view.can_next
    flow.previous_page()
    assert views.build(flow).page == "第2页，共3页"


def test_a_number_taken_with_the_card_shows_when_the_hub_gives_it(flow):
    flow.online = True
    booth = flow.data.reference.fairs[0]["booths"][0]
    flow.fair()
    flow.open_booth(booth["id"])
    view = views.build(flow)
    assert flow.screen == BOOTH and view.can_sign_up and view.sign_up == "刷身份证取号" and view.action == "take_number"
    assert view.fact("jobfair") == booth["employer_name"] and view.fact("job") == booth["jobs"]
    flow.take_number()
    assert "刷身份证" in views.build(flow).message and not flow.data.store.outbox.pending()
    flow.card(resident(ID, NAME))  # laid on the reader now: the booth stays on screen
    assert flow.screen == BOOTH
    flow.take_number()
    receipt = views.build(flow)
    assert flow.screen == RECEIPT and receipt.status == "正在取号…" and receipt.mark == "time" and receipt.code == "…"
    assert receipt.waiting  # 退出 is not the button that calls to be pressed while the hub is asked
    sent = flow.data.store.outbox.pending()[-1]
    assert sent["kind"] == "fair_ticket" and sent["body"]["booth"] == booth["id"]
    secret = sent["body"]["secret"]
    assert receipt.qr == "https://hub.example.cn/q/" + secret and len(secret) == 32
    assert secret.isalpha()  # no run of digits the outbox could take for an ID number or a phone
    assert ID not in str(sent) and NAME not in str(sent)  # the person goes sealed
    n = sent["n"]
    flow.data.store.outbox.acknowledge(n, [{"n": n, "status": "applied", "ref": "A007", "kind": "fair_ticket"}])
    flow.tick()
    receipt = views.build(flow)
    assert receipt.code == "A007" and receipt.status == "取号成功" and receipt.mark == "check" and not receipt.waiting
    assert "1号展位" in receipt.contact
    flow.open_booth(booth["id"])
    flow.take_number()  # again: no second number, the screen says they have one
    assert flow.data.store.outbox.pending() == []  # (the first was answered; no second was queued)
    assert views.build(flow).message == "您已经在这个展位取了号"


def test_numbers_stopped_or_the_fair_over(flow):
    put_fair(flow, taking=False)
    flow.card(resident(ID, NAME))
    flow.fair()
    flow.open_booth(flow.data.reference.fairs[0]["booths"][0]["id"])
    view = views.build(flow)
    assert not view.can_sign_up and view.message == "这场招聘会已经停止取号了"
    flow.take_number()
    assert flow.screen == BOOTH and not flow.data.store.outbox.pending()
    fair = flow.data.reference.fairs[0]
    flow.data.clock = lambda: fair["closes_at"] + 1
    assert views.build(flow).message == "招聘会已经结束了"


def test_offline_the_number_comes_when_the_link_does(flow):
    """A kiosk offline in the hall: the request is kept (sealed, in the outbox) and the receipt says
    the number comes once online; if the link comes back while the worker is still there, it shows."""
    booth = flow.data.reference.fairs[0]["booths"][1]
    flow.card(resident(ID, NAME))
    flow.fair()
    flow.open_booth(booth["id"])
    flow.take_number()
    receipt = views.build(flow)
    assert receipt.status == "已记下，联网后取号" and receipt.mark == "time" and receipt.qr.startswith("https://")
    assert not receipt.waiting  # offline: leaving is what to do next
    flow.tick()
    assert views.build(flow).status == "已记下，联网后取号"  # nothing claimed before the hub answers
    n = flow.data.store.outbox.pending()[-1]["n"]
    flow.data.store.outbox.acknowledge(
        n, [{"n": n, "status": "rejected", "reason": "这场招聘会已停止取号", "kind": "fair_ticket"}]
    )
    flow.tick()
    receipt = views.build(flow)
    assert receipt.status == "没有取到号" and receipt.note == "这场招聘会已停止取号" and receipt.mark == "warning"
