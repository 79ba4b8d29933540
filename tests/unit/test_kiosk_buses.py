"""包车 at the kiosk as plain Python (kiosk.flow, kiosk.views) over a real demo device store: the first
screen's tile, the list with a countdown, a seat asked for with the card in one tap (the card laid
on a bus looked at without one goes straight on), who may not go and why, and the hub's answer —
on the receipt while the worker is still there, else at their next card, once."""

import random
import shutil

import pytest

from cardreader.fictional import person
from cardreader.sim import resident
from kiosk import views
from kiosk.data import KioskData
from kiosk.flow import ATTRACT, BUS, BUSES, RECEIPT, Flow
from lingong.demodata import device_store
from sync.store import DeviceStore

ID, NAME = "11010519491231002X", "张三丰"  # born in 1949: too old for the demo's buses
# Someone of working age, made up by the project's fictional-person generator (born 1980–2000).
YOUNG = person(random.Random(5), born_from=1980, born_to=2000)


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
    yield Flow(data, public_url="https://hub.example.cn/", idle_timeout_s=60, clock=Clock())
    store.close()


def bus_to(flow, place: str) -> dict:
    return next(b for b in flow.data.buses() if place in b["destination"])


def answer(flow, status: str, reason: str = "", ref: str = "") -> None:
    """The hub's answer to the last event queued, as the sync agent records it."""
    store = flow.data.store
    n = store.outbox.pending()[-1]["n"]
    store.outbox.acknowledge(n, [{"n": n, "status": status, "reason": reason, "ref": ref, "kind": "bus_signup"}])


def test_the_first_screen_offers_the_buses_and_the_list_counts_down(flow):
    assert views.build(flow).buses == "包车外出务工"
    flow.buses()
    view = views.build(flow)
    assert flow.screen == BUSES and flow.visit.browsing and view.title == "包车外出务工"
    assert [r["title"] for r in view.rows] == ["去江苏昆山", "去新疆阿克苏"]  # the soonest first
    first = view.rows[0]
    assert first["seats"] == "还剩45座" and first["yours"].endswith("发车") and "月薪" in first["line"]
    assert first["action"] == "open_bus" and first["icon"] == "bus"
    flow.back()
    assert flow.screen == ATTRACT and flow.visit is None


def test_looking_without_a_card_then_the_card_asks_for_a_seat_in_one_tap(flow):
    bus = bus_to(flow, "昆山")
    flow.buses()
    flow.open_bus(bus["id"])
    view = views.build(flow)
    assert flow.screen == BUS and view.can_sign_up and view.sign_up == "刷身份证报名" and view.action == "sign_up_bus"
    assert view.facts[0] == ("job", bus["work"])  # the work first: it is why anyone gets on
    assert view.fact("place") == "上车地点：" + bus["meeting"] and view.fact("card") == "带上：" + bus["bring"]
    assert "发车" in view.fact("date") and view.fact("time").startswith("报名截止：")
    assert view.seats == "还剩45个座位（共45个）"
    flow.sign_up_bus()
    assert "刷身份证" in views.build(flow).message and flow.screen == BUS
    flow.card(resident(YOUNG.id_number, YOUNG.name))  # laid on the reader now: the bus stays on screen
    assert flow.screen == BUS and flow.visit.bus == bus["id"]
    assert views.build(flow).message == "身份证刷好了，请点下面的「报名」" and views.build(flow).good
    flow.sign_up_bus()
    receipt = views.build(flow)  # offline: noted, not confirmed — the seat is the hub's to give
    assert flow.screen == RECEIPT and receipt.status == "报名已记下，还没确认" and receipt.code.startswith("B1-")
    assert "先后" in receipt.note and receipt.where == "上车地点：" + bus["meeting"]
    phone = flow.data.reference.station["phone"]
    assert phone and receipt.help == f"有事打驿站电话：{phone}"  # a bus goes far: whom to ask before the day
    assert receipt.qr == f"https://hub.example.cn/d/{bus['id']}?s={flow.data.enrollment.station_id}"
    sent = flow.data.store.outbox.pending()[-1]
    assert sent["kind"] == "bus_signup" and sent["body"]["departure"] == bus["id"]
    assert YOUNG.id_number not in str(sent) and YOUNG.name not in str(sent)  # the person goes sealed
    flow.open_bus(bus["id"])
    flow.sign_up_bus()  # again: no second event, the screen says they asked
    assert len([e for e in flow.data.store.outbox.pending() if e["kind"] == "bus_signup"]) == 1
    view = views.build(flow)
    assert view.message == "您报过这趟车，座位还没确认" and not view.can_sign_up and view.sign_up == "已报名，等确认"


def test_online_the_receipt_turns_to_the_hubs_answer(flow):
    flow.online = True
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    flow.buses()
    flow.open_bus(bus_to(flow, "昆山")["id"])
    flow.sign_up_bus()
    assert views.build(flow).status == "正在确认座位…" and views.build(flow).mark == "time"
    assert views.build(flow).waiting  # 退出 is not the button that calls to be pressed while it is asked
    flow.tick()
    assert views.build(flow).status == "正在确认座位…"  # no answer yet: still asking, nothing claimed
    answer(flow, "applied", ref="B7-0003")  # signed up at another kiosk first: the hub's code is that one
    flow.tick()
    receipt = views.build(flow)
    assert receipt.status == "座位已确认" and receipt.sent and receipt.note == "" and receipt.mark == "check"
    assert receipt.code == "B7-0003" and not receipt.waiting
    flow.end()
    flow.card(resident(YOUNG.id_number, YOUNG.name))  # told on the receipt: nothing more at the next card
    assert "没有报上" not in views.build(flow).warning
    # the other bus, full by the time the hub saw it: the receipt says so while they are still there
    flow.buses()
    flow.open_bus(bus_to(flow, "阿克苏")["id"])
    flow.sign_up_bus()
    answer(flow, "rejected", "这趟包车的名额已经报满了")
    flow.tick()
    receipt = views.build(flow)
    assert receipt.status == "没有报上" and receipt.note.startswith("这趟包车的名额已经报满了。可以看看别的车")
    assert receipt.mark == "warning" and receipt.code == "" and receipt.where == ""  # nothing like a ticket stays
    assert not receipt.waiting


def test_offline_a_seat_not_had_is_told_at_the_next_card_once(flow):
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    flow.buses()
    flow.open_bus(bus_to(flow, "昆山")["id"])
    flow.sign_up_bus()
    flow.end()  # they left before the link came back
    answer(flow, "rejected", "这趟包车的名额已经报满了")
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    warning = views.build(flow).warning
    assert "「去江苏昆山" in warning and "没有报上：这趟包车的名额已经报满了" in warning
    flow.end()
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    assert "没有报上" not in views.build(flow).warning


def test_who_may_not_go_and_a_full_or_closed_bus(flow):
    flow.card(resident(ID, NAME))  # 76 when the bus leaves
    flow.buses()
    bus = bus_to(flow, "昆山")
    flow.open_bus(bus["id"])
    view = views.build(flow)
    assert not view.can_sign_up and "您的年龄不符" in view.message and "18" in view.fact("people")
    flow.sign_up_bus()
    assert flow.screen == BUS and not flow.data.store.outbox.pending()
    store = flow.data.store
    store.apply_changes(store.cursor + 1, [{"k": "departure", "id": bus["id"], "op": "put", "d": {**bus, "left": 0}}])
    flow.data.refresh()
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    flow.buses()
    row = next(r for r in views.build(flow).rows if r["item"] == bus["id"])
    assert row["seats"] == "已满" and not row["open"]
    flow.open_bus(bus["id"])
    assert views.build(flow).message == "座位已经报满了，等下一趟车" and not views.build(flow).can_sign_up
    # sign-ups close: the kiosk's own clock drops the bus, offline too, and the screen says so
    flow.data.clock = lambda: bus["to"] + 1
    assert views.build(flow).message == "这趟车已经停止报名了"
    flow.sign_up_bus()
    assert flow.screen == BUS and not store.outbox.pending()


def test_after_an_answer_the_bus_says_where_the_worker_stands(flow):
    """Confirmed: the bus says the seat is theirs; refused: they may ask again while seats are left;
    no answer within the wait (the link went): the receipt says what an offline one says."""
    flow.online = True
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    flow.buses()
    bus = bus_to(flow, "昆山")
    flow.open_bus(bus["id"])
    flow.sign_up_bus()
    flow.clock.now += 20  # nothing from the hub for 20 s
    flow.tick()
    assert views.build(flow).status == "报名已记下，还没确认" and not views.build(flow).waiting
    answer(flow, "rejected", "这趟包车的名额已经报满了")
    flow.tick()
    refused = views.build(flow)
    assert refused.mark == "warning" and refused.qr == "" and refused.code == ""  # nothing like a ticket
    flow.open_bus(bus["id"])
    view = views.build(flow)
    assert view.can_sign_up and view.sign_up == "再报一次" and "刚才没有报上" in view.message  # may ask again
    flow.sign_up_bus()
    answer(flow, "applied", ref="B1-0009")
    flow.tick()
    flow.open_bus(bus["id"])
    view = views.build(flow)
    assert view.message == "座位已确认，是您的" and view.good and view.sign_up == "已报名 ✓" and not view.can_sign_up
