"""The kiosk visit as plain Python (kiosk.flow, kiosk.views) over a real demo device store: every
screen transition, what each screen shows, and that nothing of a worker outlives their visit."""

import dataclasses
import datetime as dt
import shutil
import time

import pytest

from cardreader.identity import Kind
from cardreader.sim import resident
from kiosk import present, views
from kiosk.data import KioskData
from kiosk.flow import (
    ACTIONS,
    APPLY,
    ATTRACT,
    BROWSE,
    COUNTDOWN_S,
    DETAIL,
    INFO,
    JOBS,
    RECEIPT,
    REGISTER,
    REGISTER_PAY,
    REGISTER_PHONE,
    REGISTER_WHEN,
    SCREENS,
    SLOTS,
    Flow,
)
from kiosk.shortage import speech as shortage_speech
from lingong.demodata import device_store, slot_docs
from sync.store import DeviceStore
from wire import events

ID, NAME, PHONE = "11010519491231002X", "张三丰", "13912345678"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A device store as a kiosk holds it after its first sync (made once, copied for each test)."""
    path = tmp_path_factory.mktemp("kiosk") / "device.db"
    device_store(path, postings=300).close()
    return path


@pytest.fixture
def data(template, tmp_path):
    shutil.copy(template, tmp_path / "device.db")
    store = DeviceStore(tmp_path / "device.db")
    kiosk_data = KioskData(store)
    kiosk_data.refresh()
    yield kiosk_data
    store.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def flow(data, clock):
    return Flow(data, public_url="https://hub.example.cn/", idle_timeout_s=60, clock=clock)


def card(name=NAME, number=ID):
    return resident(number, name)


def open_first(flow):
    flow.open_job(flow.visit.jobs[0]["pid"])
    assert flow.screen == DETAIL


def offer_slots(flow, count=2):
    store = flow.data.store
    store.apply_changes((store.cursor or 0) + 1, slot_docs(flow.visit.job["pid"], time.time() + 3 * 3600, count))
    flow.data.refresh()
    flow.refreshed()


def test_every_action_the_screens_name_exists_and_every_screen_has_a_view(flow):
    assert all(callable(getattr(flow, name)) for name in ACTIONS)
    assert set(views.BUILDERS) == set(SCREENS)
    assert isinstance(views.build(flow), views.AttractView)


def test_attract_shows_the_station_and_its_figures(flow):
    view = views.build(flow)
    assert view.station and view.open_jobs.endswith("个") and view.reader == "读卡器正在准备，请稍等…"
    flow.reader_state = "no_reader"
    assert views.build(flow).reader == "读卡器没接上，请找工作人员" and not views.build(flow).reader_ok


def test_a_card_greets_and_lists_matches_at_once(flow):
    visit = flow.card(card())
    assert flow.screen == JOBS and flow.visit is visit
    view = views.build(flow)
    assert view.heading == "张师傅，您好" and view.subtitle.startswith("为您找到")
    assert 0 < len(view.jobs) <= 20 and view.can_register and view.back == "退出"
    assert len(view.tiles) == len(flow.data.reference.categories) and not any(t["chosen"] for t in view.tiles)


def test_choosing_a_category_re_ranks_and_marks_it(flow):
    flow.card(card())
    category = views.build(flow).tiles[1]["value"]
    flow.tile("category", category)
    view = views.build(flow)
    assert view.tiles[1]["chosen"] and flow.screen == JOBS
    categories = {flow.data.posting(j["pid"])["trade"] for j in view.jobs[:3]}
    assert {flow.data.reference.trades[t]["category"] for t in categories} == {category}
    flow.tile("category", category)  # tapped again: unchosen
    assert not views.build(flow).tiles[1]["chosen"]


def test_jobs_detail_and_back(flow):
    flow.card(card())
    open_first(flow)
    view = views.build(flow)
    assert view.title and view.pay and view.qr == f"https://hub.example.cn/p/{flow.visit.job['pid']}"
    assert view.can_apply and not view.gone and view.contact.startswith("联系人：")
    flow.back()
    assert flow.screen == JOBS


def test_the_detail_says_where_the_pay_stands_among_its_trades_here(flow):
    rates = flow.data.reference.rates
    assert rates, "the demo store holds the hub's market document"
    flow.card(card())
    docs = [flow.data.posting(j["pid"]) for j in flow.visit.jobs]
    with_guide = next(d for d in docs if (d["trade"], d["unit"]) in rates)
    flow.open_job(with_guide["id"])
    low, _median, high, _official = rates[(with_guide["trade"], with_guide["unit"])]
    pay = (with_guide["pay_min"] + with_guide["pay_max"]) / 2
    word = "偏低" if pay < low else "偏高" if pay > high else "中等"
    assert views.build(flow).guide.startswith(f"这个工资在本区同类活里：{word}（一般在")
    flow.back()

    store = flow.data.store  # the figures a month old: not shown any more
    market = store.doc("market", 1)
    store.apply_changes(store.cursor + 1, [{"k": "market", "id": 1, "op": "put", "d": {**market, "at": 0}}])
    flow.data.refresh()
    flow.open_job(with_guide["id"])
    assert views.build(flow).guide == ""


def test_a_job_without_a_place_of_its_own_says_no_distance(flow):
    """Staff entered it without a point, so it took the station's: no 离这里0.0公里 in the list and
    no distance on its detail, where the same job at its own point by the station says 0.0公里."""
    station, store = flow.data.reference.station, flow.data.store
    flow.card(card())
    doc = flow.data.posting(flow.visit.jobs[0]["pid"])
    now = time.time()  # (快招 keeps it at the top of the list, whatever its nearness)
    doc = {**doc, "lat": station["lat"], "lon": station["lon"], "fast": [now - 60, now + 60, now + 3600]}

    def shown(**flag):
        store.apply_changes(store.cursor + 1, [{"k": "posting", "id": doc["id"], "op": "put", "d": {**doc, **flag}}])
        flow.data.refresh()
        flow.end()
        flow.card(card())
        job = next(j for j in flow.visit.jobs if j["pid"] == doc["id"])
        flow.open_job(doc["id"])
        return job["chips"], views.build(flow).where

    chips, where = shown(own_place=True)
    assert "离这里0.0公里" in chips and where.endswith("(0.0公里)")
    chips, where = shown(own_place=False)
    assert not any("公里" in c for c in chips) and "公里" not in where and where == doc["address"]


def test_a_posting_gone_before_it_is_opened_leaves_the_list(flow):
    flow.card(card())
    gone = flow.visit.jobs[0]["pid"]
    store = flow.data.store
    store.apply_changes(store.cursor + 1, [{"k": "posting", "id": gone, "op": "del", "d": {"id": gone}}])
    flow.open_job(gone)
    assert flow.screen == JOBS and gone not in [j["pid"] for j in flow.visit.jobs]


def test_a_course_completed_puts_the_postings_asking_its_certificate_first(flow):
    """The hub says which trades the worker completed a course in (结业): a posting asking a
    certificate of one (持证上岗) leads their list at once, chip 您有结业证; its detail says so."""
    visit = flow.card(card())
    last = flow.data.posting(visit.jobs[-1]["pid"])
    store = flow.data.store
    asks = {"k": "posting", "id": last["id"], "op": "put", "d": {**last, "cert": True}}
    store.apply_changes(store.cursor + 1, [asks])
    flow.data.refresh()
    flow.refreshed()
    assert visit.jobs[0]["pid"] != last["id"]  # (no certificate of theirs known yet)
    flow.looked_up(visit, {"known": True, "intention": {}, "applied": [], "certified": [last["trade"], "x"]})
    assert visit.jobs[0]["pid"] == last["id"] and visit.jobs[0]["chips"][0] == "您有结业证"
    flow.open_job(last["id"])
    assert views.build(flow).requirements.startswith("持证上岗")


def test_a_posting_filled_while_open_is_said_and_cannot_be_applied_to(flow):
    flow.card(card())
    open_first(flow)
    pid = flow.visit.job["pid"]
    store = flow.data.store
    store.apply_changes(store.cursor + 1, [{"k": "posting", "id": pid, "op": "del", "d": {"id": pid}}])
    flow.data.refresh()
    flow.refreshed()
    view = views.build(flow)
    assert view.gone == "这个岗位刚招满了，或者不招了" and not view.can_apply and not view.can_book


def test_applying_takes_consent_and_a_mobile_number(flow):
    flow.card(card())
    open_first(flow)
    pid = flow.visit.job["pid"]
    flow.start_apply()
    assert flow.screen == APPLY and views.build(flow).keypad and views.build(flow).ask_phone
    before = flow.data.store.outbox.count()
    flow.confirm_apply()
    assert flow.screen == APPLY and views.build(flow).message == "请先点一下同意"
    flow.toggle_consent()
    assert views.build(flow).digits == "" and views.build(flow).phone == ""  # eleven empty boxes
    for key in "1391234567":  # ten digits
        flow.press_key(key)
    assert views.build(flow).digits == "1391234567"
    flow.confirm_apply()
    assert flow.screen == APPLY and "手机号" in views.build(flow).message
    for key in ("8", "9", "12"):  # the eleventh digit; a twelfth and a non-key are ignored
        flow.press_key(key)
    assert flow.visit.digits == PHONE and views.build(flow).digits == PHONE
    flow.press_key("del")
    flow.press_key("8")
    flow.confirm_apply()
    assert flow.screen == RECEIPT and flow.data.store.outbox.count() == before + 1
    view = views.build(flow)
    assert view.code and view.status and not view.sent and flow.visit.digits == ""
    sent = flow.data.store.outbox.pending()[-1]["body"]
    assert set(sent) == set(events.Application.__annotations__) | {events.SEALED}
    flow.more_jobs()
    # What they applied to was first on the list; now it sinks below everything else.
    assert flow.screen == JOBS and pid in flow.visit.applied and flow.visit.jobs[0]["pid"] != pid


def test_applying_takes_the_four_taps_the_readme_states(flow):
    """README "The kiosk": after the card, the job, 我要报名, the consent box, 确认报名 — and the 11
    digits of a phone the first time. Nothing else stands between the card and the receipt."""
    flow.card(card())
    taps = [
        lambda: flow.open_job(flow.visit.jobs[0]["pid"]),
        flow.start_apply,
        flow.toggle_consent,
    ]
    for tap in taps:
        tap()
    for digit in PHONE:
        flow.press_key(digit)
    flow.confirm_apply()  # the fourth
    assert len(taps) + 1 == 4 and len(PHONE) == 11
    assert flow.screen == RECEIPT and views.build(flow).status == "报名成功"


def test_apply_back_returns_to_the_job(flow):
    flow.card(card())
    open_first(flow)
    flow.start_apply()
    flow.back()
    assert flow.screen == DETAIL


def test_a_phone_the_hub_holds_is_not_asked_again(flow):
    visit = flow.card(card())
    flow.looked_up(visit, {"known": True, "phone_masked": "139****5678", "intention": {}, "applied": []})
    open_first(flow)
    flow.start_apply()
    view = views.build(flow)
    assert not view.keypad and view.ask_phone == "" and "139****5678" in view.phone
    flow.toggle_consent()
    flow.confirm_apply()
    assert flow.screen == RECEIPT


def test_browsing_without_a_card(flow):
    flow.browse()
    assert flow.screen == BROWSE and flow.visit.identity is None
    category = views.build(flow).tiles[0]["value"]
    flow.tile("browse", category)
    view = views.build(flow)
    assert flow.screen == JOBS and view.heading.endswith("岗位") and view.tiles == [] and not view.can_register
    assert view.back == "返回" and len(view.jobs) > 0
    open_first(flow)
    flow.start_apply()
    assert flow.screen == DETAIL and views.build(flow).message == "报名需要刷身份证"
    flow.start_booking()
    assert flow.screen == DETAIL and views.build(flow).message
    flow.back()
    flow.back()  # from the list: back to the categories, as a new browsing visit
    assert flow.screen == BROWSE
    flow.lift()  # no card to lift: browsing goes on
    assert flow.screen == BROWSE
    flow.back()
    assert flow.screen == ATTRACT and flow.visit is None


def test_a_booked_room_is_named_as_its_place_names_it():
    assert present.room_name("青川区零工市场 远程面试室", "青川区零工市场") == "远程面试室"
    assert present.room_name("青川区零工市场 大厅 面试间", "青川区零工市场") == "大厅 面试间"
    # at another station: the whole place, or the worker would go to the wrong building
    assert present.room_name("东城零工驿站 远程面试室", "青川区零工市场") == "东城零工驿站 远程面试室"


def test_information_from_the_first_screen_and_back(flow):
    flow.info()
    assert flow.screen == INFO and views.build(flow).text
    flow.back()
    assert flow.screen == ATTRACT


def test_booking_a_video_interview(flow):
    flow.card(card())
    open_first(flow)
    offer_slots(flow)
    assert views.build(flow).can_book
    flow.start_booking()
    view = views.build(flow)
    assert flow.screen == SLOTS and len(view.tiles) == 2 and "远程面试室" in view.message
    # broken where a reader pauses, not after the station's name where the width ran out
    assert view.message == "到时在青川区零工市场 远程面试室刷身份证，\n就能和单位视频面试"
    flow.back()
    assert flow.screen == DETAIL
    flow.start_booking()
    flow.tile("slot", views.build(flow).tiles[0]["value"])
    view = views.build(flow)
    assert flow.screen == RECEIPT and view.where == "青川区零工市场 远程面试室" and view.code.startswith("M")
    # One room, one name: what to do names the room the address names (not 面试间), in two phrases.
    assert view.contact == "可以提前15分钟来，\n在远程面试室刷身份证"
    flow.end()
    # The hub refuses it (the slot went to someone else): told on the next visit, once.
    store = flow.data.store
    n = store.outbox.pending()[-1]["n"]
    store.outbox.acknowledge(n, [{"n": n, "status": "rejected", "reason": "被别人约了", "kind": "booking"}])
    flow.card(card())
    assert "没有约上" in views.build(flow).warning
    flow.end()
    flow.card(card())
    assert "没有约上" not in views.build(flow).warning


def test_a_slot_taken_meanwhile_shows_the_choices_again(flow):
    flow.card(card())
    open_first(flow)
    offer_slots(flow)
    flow.start_booking()
    flow.book_slot(-1)
    assert flow.screen == SLOTS


def test_registering_what_they_want_one_step_a_screen(flow):
    flow.card(card())
    flow.open_register()
    assert flow.screen == REGISTER
    view = views.build(flow)
    assert view.step == "第1步，共4步" and view.back == "返回" and view.pay == [] and view.when == []
    # The trades a category at a time: the open one marked, its trades listed, ✓ where one is chosen.
    first, second = view.categories[0], view.categories[1]
    assert first["chosen"] and not second["chosen"]
    assert {flow.data.reference.trades[t["value"]]["category"] for t in view.trades} == {first["value"]}
    flow.tile("trade", view.trades[0]["value"])
    flow.tile("trade_category", second["value"])
    view = views.build(flow)
    assert view.categories[1]["chosen"] and view.categories[0]["text"].startswith("✓")
    assert not view.categories[1]["text"].startswith("✓")
    flow.tile("trade", view.trades[0]["value"])
    assert len(flow.visit.reg_trades) == 2 and views.build(flow).categories[1]["text"].startswith("✓")
    flow.next_step()
    assert flow.screen == REGISTER_PAY
    view = views.build(flow)
    assert view.step == "第2步，共4步" and view.back == "上一步" and view.trades == []
    assert view.pay[0]["text"] == "不限" and view.pay[0]["chosen"]  # nothing chosen yet: any pay
    flow.tile("pay", view.pay[2]["value"])
    view = views.build(flow)
    assert view.pay[2]["chosen"] and not view.pay[0]["chosen"]
    flow.tile("pay", [])  # 不限 again
    assert views.build(flow).pay[0]["chosen"] and flow.visit.reg_pay == []
    flow.tile("pay", view.pay[2]["value"])
    flow.back()  # 上一步 keeps what was chosen
    assert flow.screen == REGISTER and len(flow.visit.reg_trades) == 2 and flow.visit.reg_pay
    flow.next_step()
    flow.next_step()
    assert flow.screen == REGISTER_WHEN and views.build(flow).step == "第3步，共4步"
    flow.tile("when", "today")
    assert [t["chosen"] for t in views.build(flow).when] == [True, False, False, False]
    flow.next_step()
    assert flow.screen == REGISTER_PHONE and views.build(flow).step == "第4步，共4步"
    flow.next_step()  # the last step saves with its own button; 下一步 goes nowhere
    assert flow.screen == REGISTER_PHONE
    flow.toggle_consent()
    for key in "1391":
        flow.press_key(key)
    assert views.build(flow).digits == "1391" and views.build(flow).consent
    flow.save_register()
    assert flow.screen == REGISTER_PHONE and "手机号" in views.build(flow).message
    for _ in range(4):
        flow.press_key("del")
    flow.save_register()
    assert flow.screen == JOBS and views.build(flow).warning == "记下了，有合适的活就通知您"
    sent = flow.data.store.outbox.pending()[-1]
    assert sent["kind"] == "registration"
    flow.open_register()
    flow.back()
    assert flow.screen == JOBS and views.build(flow).warning == ""


def test_the_pay_offered_follows_the_trades_chosen(flow):
    """Least-pay tiles only in the units the chosen trades are paid in (as the live postings quote
    them), 不限 always first; a least pay in a unit the new trades are not paid in is dropped."""
    data, ref = flow.data, flow.data.reference
    units_of: dict[int, set[str]] = {}
    for doc in data.index.docs:
        units_of.setdefault(doc["trade"], set()).add(doc.get("unit", "day"))
    daily = next(t for t, u in units_of.items() if u == {"day"})
    monthly = next(t for t, u in units_of.items() if u == {"month"})
    flow.card(card())
    flow.open_register()
    flow.visit.reg_trades[:] = [daily]
    flow.next_step()
    tiles = views.build(flow).pay
    assert tiles[0]["value"] == [] and len(tiles) > 1
    assert {t["value"][0] for t in tiles[1:]} == {"day"} and all("元/天以上" in t["text"] for t in tiles[1:])
    # Round amounts that some of this trade's postings reach (what a worker can hope for here).
    tops = [d["pay_max"] for d in data.index.docs if d["trade"] == daily]
    assert all(fen % 5000 == 0 and fen <= max(tops) for _, fen in (t["value"] for t in tiles[1:]))
    flow.tile("pay", tiles[-1]["value"])
    flow.back()
    flow.visit.reg_trades[:] = [monthly]  # another trade, paid by the month
    flow.next_step()
    tiles = views.build(flow).pay
    assert {t["value"][0] for t in tiles[1:]} == {"month"} and flow.visit.reg_pay == [] and tiles[0]["chosen"]
    flow.visit.reg_trades[:] = [daily, monthly]
    assert {t["value"][0] for t in views.build(flow).pay[1:]} == {"day", "month"}
    flow.visit.reg_trades[:] = []  # none chosen: the units the station's postings quote most
    assert 1 < len({t["value"][0] for t in views.build(flow).pay[1:]}) <= 3
    assert ref.trades[daily]["name"] and ref.trades[monthly]["name"]


def test_a_card_without_identity_data_cannot_apply_or_register(flow):
    chip = dataclasses.replace(resident(ID, NAME), kind=Kind.CHIP_SERIAL)
    flow.card(chip)
    flow.open_register()
    assert flow.screen == JOBS and views.build(flow).warning == "报名需要刷身份证"


def test_lifting_the_card_ends_the_visit(flow):
    flow.card(card())
    open_first(flow)
    flow.lift()
    assert flow.screen == ATTRACT and flow.visit is None


def test_leaving_from_the_list_and_from_the_receipt(flow):
    flow.card(card())
    flow.back()
    assert flow.screen == ATTRACT and flow.visit is None
    flow.card(card())
    flow.end()
    assert flow.screen == ATTRACT and flow.visit is None


def test_idle_counts_down_then_ends_the_visit(flow, clock):
    flow.card(card())
    clock.now += 59
    flow.tick()
    assert flow.countdown == 0
    clock.now += 2
    flow.tick()
    assert flow.countdown == COUNTDOWN_S - 1
    flow.touched()  # a touch during the countdown is the overlay's, not activity
    clock.now += 1
    flow.tick()
    assert flow.countdown == COUNTDOWN_S - 2
    flow.stay()
    assert flow.countdown == 0
    clock.now += 60 + COUNTDOWN_S
    flow.tick()
    assert flow.screen == ATTRACT and flow.visit is None and flow.countdown == 0


def test_the_first_screen_never_times_out(flow, clock):
    clock.now += 10_000
    flow.tick()
    assert flow.screen == ATTRACT and flow.countdown == 0


def test_the_hubs_answer_for_a_visit_that_ended_is_dropped(flow):
    old = flow.card(card())
    flow.end()
    new = flow.card(card("李四", "11010519800101001X"))
    flow.looked_up(old, {"known": True, "phone_masked": "139****5678"})
    assert new.phone_masked == "" and flow.visit is new


def test_no_answer_from_the_hub_is_said(flow):
    visit = flow.card(card())
    flow.looked_up(visit, None)
    assert views.build(flow).warning == "暂时没联网，下面是这个驿站附近的岗位"


def test_a_new_visit_starts_from_nothing(flow):
    first = flow.card(card())
    open_first(flow)
    flow.start_apply()
    for key in PHONE[:5]:
        flow.press_key(key)
    flow.toggle_consent()
    second = flow.card(card("李四", "11010519800101001X"))
    assert second is not first and flow.screen == JOBS
    assert (second.digits, second.consent, second.job, second.receipt, second.applied) == ("", False, None, None, set())
    assert views.build(flow).heading == "李师傅，您好"


def test_a_foreign_card_holder_reads_english(flow):
    foreigner = dataclasses.replace(resident(ID, NAME), kind=Kind.FOREIGN_PERMANENT_2023, english_name="JOHN")
    flow.card(foreigner)
    assert flow.lang == "en" and views.build(flow).back == "Finish"
    flow.end()
    assert flow.lang == "zh"


def test_offline_is_said_only_where_a_link_runs(data, clock):
    linked = Flow(data, linked=True, clock=clock)
    linked.card(card())
    assert views.build(linked).warning == "暂时没联网，下面是这个驿站附近的岗位"
    linked.online = True
    linked.card(card())
    assert views.build(linked).warning == ""


def test_a_receipt_reads_as_success_offline_too(flow):
    flow.card(card())
    open_first(flow)
    flow.start_apply()
    flow.toggle_consent()
    for key in PHONE:
        flow.press_key(key)
    flow.confirm_apply()
    offline = views.build(flow)
    assert offline.status == "报名成功" and offline.note == "网络恢复后自动发给单位"
    flow.online = True
    flow.more_jobs()
    open_first(flow)
    flow.start_apply()
    flow.toggle_consent()
    for key in PHONE:
        flow.press_key(key)
    flow.confirm_apply()
    online = views.build(flow)
    assert online.status == "报名成功" and online.note == ""


def test_the_first_screen_asks_for_the_card_left_on_the_reader(flow, clock):
    flow.reader_state = "ready"  # a reader in service (the flow starts with it starting)
    assert views.build(flow).title == "请刷身份证" and not views.build(flow).take_card
    flow.card(card())
    flow.end()  # 退出 with the card still on the reader
    view = views.build(flow)
    assert flow.screen == ATTRACT and view.title == "请取走您的身份证" and view.take_card
    assert view.reader == "身份证还在读卡器上" and not view.reader_ok  # not a green 可以刷卡了 under it
    flow.lift()  # taken
    assert views.build(flow).title == "请刷身份证" and views.build(flow).reader != "身份证还在读卡器上"
    flow.card(card())
    clock.now += 60 + COUNTDOWN_S  # the idle clock ends it: the card still lies there
    flow.tick()
    assert flow.screen == ATTRACT and views.build(flow).take_card
    clock.now += 31  # a reader that never says the card went: the reminder does not stay for ever
    flow.tick()
    assert not views.build(flow).take_card
    flow.card(card())
    flow.lift()  # lifting ends the visit and there is nothing to remind
    assert not views.build(flow).take_card
    flow.browse()
    flow.back()  # a browsing visit had no card
    assert not views.build(flow).take_card
    # A reader that reports the card lying on it: the reminder stays until the card is lifted.
    flow.card(card())
    flow.end()
    flow.reader_state = "card"
    clock.now += 600
    flow.tick()
    assert views.build(flow).take_card and views.build(flow).title == "请取走您的身份证"
    flow.reader_state = "ready"
    flow.lift()
    assert not views.build(flow).take_card


def test_the_list_says_how_many_suit_not_the_twenty_it_shows(flow):
    flow.card(card())
    view = views.build(flow)
    assert len(flow.visit.jobs) == 20 and flow.visit.found > 20
    assert view.subtitle == f"为您找到{flow.visit.found}个合适的岗位，先看最合适的20个"
    category = view.tiles[0]["value"]
    flow.tile("category", category)
    # Counted apart: live postings shown here, open to the worker's age, in the chosen category.
    age = flow.visit.identity.age(flow.data.today())
    now = flow.data.clock()
    expected = sum(
        1
        for d in flow.data.store.live_postings(now)
        if (d.get("stations") is None or 1 in d["stations"])
        and d["headcount"] - d.get("filled", 0) > 0
        and d["from"] <= now < d["to"]
        and (d.get("age_min") or 0) <= age <= (d.get("age_max") or 200)
        and d["category"] == category
    )
    assert flow.visit.found == expected and expected > 0


def test_the_list_pages_with_buttons_three_jobs_at_a_time(flow):
    flow.card(card())
    listed = [j["pid"] for j in flow.visit.jobs]
    assert len(listed) == 20
    view = views.build(flow)
    assert [j["pid"] for j in view.jobs] == listed[:3] and view.paged
    assert view.page == "第1页，共7页" and not view.can_previous and view.can_next
    flow.previous_page()  # nothing before the first page
    assert views.build(flow).page == "第1页，共7页"
    flow.next_page()
    view = views.build(flow)
    assert [j["pid"] for j in view.jobs] == listed[3:6] and view.page == "第2页，共7页" and view.can_previous
    open_first(flow)
    flow.back()  # back from a job: the same page, not the first
    assert [j["pid"] for j in views.build(flow).jobs] == listed[3:6]
    for _ in range(10):
        flow.next_page()
    view = views.build(flow)
    assert [j["pid"] for j in view.jobs if "pid" in j] == listed[18:] and view.page == "第7页，共7页"
    assert view.jobs[-1].get("viewclass") == "OfferCard" and not view.can_next  # room after the last two
    # Postings filled meanwhile leave the list; the page left under the finger is still a page.
    store = flow.data.store
    gone = listed[15:]
    store.apply_changes(store.cursor + 1, [{"k": "posting", "id": p, "op": "del", "d": {"id": p}} for p in gone])
    flow.data.refresh()
    flow.refreshed()
    view = views.build(flow)
    assert view.page == "第5页，共5页" and [j["pid"] for j in view.jobs] == listed[12:15]
    flow.tile("category", view.tiles[0]["value"])  # a new ranking starts at its first page
    assert views.build(flow).page.startswith("第1页")


def test_a_short_list_has_no_pager(flow):
    flow.card(card())
    flow.visit.jobs = flow.visit.jobs[:3]
    view = views.build(flow)
    assert not view.paged and len(view.jobs) == 3 and not view.can_next


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("张三丰", "张师傅，您好"),  # the surname and 师傅: respectful, the same for a man or a woman
        ("欧阳娜娜", "欧阳师傅，您好"),  # a two-character surname kept whole
        ("阿卜杜拉·艾则孜", "您好"),  # a first character that is no surname: no guess
        ("", "您好"),
    ],
)
def test_the_greeting_never_shows_stars_nor_guesses_a_sex(flow, name, greeting):
    flow.card(card(name=name))
    heading = views.build(flow).heading
    assert heading == greeting and "*" not in heading


def test_the_pictures_stage_interview_slots_at_ten_the_next_morning():
    from zoneinfo import ZoneInfo

    from lingong.screenshot import staged_slots_start

    shanghai = ZoneInfo("Asia/Shanghai")
    for now in (dt.datetime(2026, 12, 3, 21, 15, tzinfo=shanghai), dt.datetime(2026, 12, 3, 0, 30, tzinfo=shanghai)):
        start = dt.datetime.fromtimestamp(staged_slots_start(now), shanghai)
        assert start == dt.datetime(2026, 12, 4, 10, 0, tzinfo=shanghai)


# ---- 这些活最缺人 (紧缺工种 from the hub's market document) ----------------------------------------------
def put_market(data, **changes):
    """The hub's market document as the feed would bring it, with `changes` (none: deleted)."""
    store = data.store
    doc = store.doc("market", 1)
    change = {"k": "market", "id": 1, "op": "del", "d": {"id": 1}}
    if changes:
        change = {"k": "market", "id": 1, "op": "put", "d": {**doc, **changes}}
    store.apply_changes(store.cursor + 1, [change])
    data.refresh()


def open_here(data, trade_id=None):
    """Postings (of a trade) this station shows now, read from the store itself."""
    now, station = time.time(), data.enrollment.station_id
    return [
        d
        for d in data.store.live_postings(now)
        if trade_id in (None, d["trade"])
        and d["headcount"] - d.get("filled", 0) > 0
        and (d.get("stations") is None or station in d["stations"])
    ]


def trades_by_jobs_here(data):
    """Trade ids, most postings here first (a few to build a shortage list from)."""
    counts = dict.fromkeys(data.reference.trades, 0)
    for doc in open_here(data):
        counts[doc["trade"]] += 1
    return sorted(counts, key=lambda t: (-counts[t], t)), counts


def close_trade(data, trade_id):
    """Every posting of a trade here filled or closed, as the feed says it."""
    store = data.store
    gone = [{"k": "posting", "id": d["id"], "op": "del", "d": {"id": d["id"]}} for d in open_here(data, trade_id)]
    store.apply_changes(store.cursor + 1, gone)
    data.refresh()


def test_the_shortage_tile_shows_only_with_a_fresh_list(flow):
    assert flow.data.shortage(), "the demo store holds the hub's shortage list"
    assert views.build(flow).shortage == "这些活最缺人"
    put_market(flow.data, shortage=[])  # the hub found no trade short of workers
    assert views.build(flow).shortage == ""
    flow.shortage()  # (a stale tap): nothing moves, no visit begins
    assert flow.screen == ATTRACT and flow.visit is None
    put_market(flow.data, shortage=[[999999, 9, 1, 9.0, "up"]])  # only a trade this kiosk does not know
    assert views.build(flow).shortage == ""
    put_market(flow.data)  # the document gone
    assert views.build(flow).shortage == "" and flow.data.reference.rates == {}


def test_a_stale_shortage_list_is_hidden_even_without_a_refresh(template, tmp_path):
    shutil.copy(template, tmp_path / "device.db")
    store = DeviceStore(tmp_path / "device.db")
    now = {"t": time.time()}
    data = KioskData(store, clock=lambda: now["t"])
    try:
        put_market(data, at=int(now["t"]) - 13 * 86400)  # 13 days old: still shown
        flow = Flow(data, clock=Clock())
        assert views.build(flow).shortage
        now["t"] += 2 * 86400  # the kiosk runs on, nothing new comes: 15 days old
        assert views.build(flow).shortage == "" and data.shortage() == []
        flow.shortage()
        assert flow.screen == ATTRACT and flow.visit is None
    finally:
        store.close()


def test_the_shortage_rows_say_the_trades_in_plain_words(flow):
    ranked, counts = trades_by_jobs_here(flow.data)
    busy, other, third, none_here = ranked[:4]
    close_trade(flow.data, none_here)
    put_market(
        flow.data,
        shortage=[
            [busy, 12, 3, 4.0, "up"],
            [999999, 50, 1, 50.0, "up"],  # a trade this kiosk does not know: left out
            [other, 5, 0, 5.0, "new"],
            [none_here, 8, 8, 1.0, "steady"],
            [third, 2, 4, 0.5, "down"],
            *[[t, 1, 1, 1.0, "steady"] for t in ranked[4:20] if t != none_here],
        ],
    )
    flow.shortage()
    assert flow.screen == "shortage" and flow.visit.browsing and flow.visit.identity is None
    rows = views.build(flow).rows
    names = flow.data.reference.trades
    assert len(rows) == 6 and [r["rank"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r["trade"] for r in rows[:4]] == [busy, other, none_here, third]
    assert [r["trade_name"] for r in rows[:4]] == [names[t]["name"] for t in (busy, other, none_here, third)]
    assert rows[0]["need"] == "要12人，登记想干的3人" and rows[0]["trend"] == "比上个月更缺人"
    assert rows[1]["need"] == "要5人，还没人登记想干" and rows[1]["trend"] == "这个月新上榜"
    assert rows[2]["trend"] == "和上个月差不多" and rows[3]["trend"] == "比上个月好些了"
    assert rows[0]["here"] == f"这里有{counts[busy]}个活" and rows[0]["has_jobs"]
    assert rows[2]["here"] == "这里暂时没有" and not rows[2]["has_jobs"]
    said = shortage_speech(rows, "zh")
    assert said.startswith(f"这些活最缺人。第1，{names[busy]['name']}，要12人，登记想干的3人，比上个月更缺人")
    flow.browse_trade(none_here)  # a trade with no jobs here: said, and the list stays
    assert flow.screen == "shortage"
    assert views.build(flow).message == f"这里暂时没有{names[none_here]['name']}的活，可以看看别的"
    flow.back()
    assert flow.screen == ATTRACT and flow.visit is None


def test_tapping_a_shortage_trade_lists_its_jobs_here(flow):
    ranked, counts = trades_by_jobs_here(flow.data)
    trade = ranked[0]
    put_market(flow.data, shortage=[[trade, 30, 2, 15.0, "up"]])
    flow.shortage()
    flow.browse_trade(views.build(flow).rows[0]["trade"])
    view = views.build(flow)
    pids = [j["pid"] for j in flow.visit.jobs]
    assert flow.screen == JOBS and counts[trade] > 0 and len(pids) == len(set(pids)) == min(counts[trade], 60)
    assert set(pids) <= {d["id"] for d in open_here(flow.data, trade)}
    assert view.heading == flow.data.reference.trades[trade]["name"] + "的活" and view.back == "返回"
    open_first(flow)
    flow.start_apply()  # without a card, as browsing: applying asks for the card
    assert flow.screen == DETAIL and views.build(flow).message == "报名需要刷身份证"
    flow.back()
    flow.back()  # from the trade's list: back to the shortage list, then out
    assert flow.screen == "shortage" and flow.visit.browsing
    flow.back()
    assert flow.screen == ATTRACT and flow.visit is None


def test_a_worker_with_a_card_applies_from_a_shortage_trade_as_usual(flow):
    ranked, _counts = trades_by_jobs_here(flow.data)
    put_market(flow.data, shortage=[[ranked[0], 30, 2, 15.0, "up"]])
    flow.card(card())
    flow.shortage()  # a card visit keeps its card
    assert flow.screen == "shortage" and flow.visit.with_card
    flow.browse_trade(ranked[0])
    assert {flow.data.posting(j["pid"])["trade"] for j in flow.visit.jobs} == {ranked[0]}
    assert views.build(flow).back == "返回"
    open_first(flow)
    flow.start_apply()
    assert flow.screen == APPLY
    for _ in range(3):  # the job, the trade's list, the shortage list
        flow.back()
    assert flow.screen == "shortage" and flow.visit.with_card
    flow.back()  # then their own matches
    assert flow.screen == JOBS and flow.visit.browse_trade is None and views.build(flow).back == "退出"


def test_a_kiosk_out_of_touch_for_days_says_its_list_may_be_old_and_drops_what_expired(template, tmp_path, clock):
    """Offline for three days: the first screen and the list say, in bold, that the list may be out
    of date and since when; postings that ran out meanwhile (by the kiosk's own clock) are gone."""
    shutil.copy(template, tmp_path / "device.db")
    store = DeviceStore(tmp_path / "device.db")
    later = time.time() + 3 * 86400
    ran_out = [p["id"] for p in store.live_postings() if p["to"] <= later]
    assert ran_out, "the demo store has no posting ending within three days"
    data = KioskData(store, clock=lambda: later)
    data.refresh()
    linked = Flow(data, linked=True, clock=clock)
    stale = views.build(linked).stale
    assert stale.startswith("没联网，岗位信息可能已过时（最后更新 ") and "月" in stale  # a day, not only an hour
    linked.card(card())
    listed = views.build(linked)
    # Over the list, one line in the subtitle's place (two would cut the cards), and not also 暂时没联网.
    assert listed.stale.startswith("没联网，岗位信息截至 ") and "月" in listed.stale
    assert listed.subtitle == listed.stale and listed.warning == ""
    assert linked.visit.found and not {job["pid"] for job in linked.visit.jobs} & set(ran_out)
    assert all(data.posting(pid) is None for pid in ran_out)
    assert views.build(Flow(data, clock=clock)).stale == ""  # no link runs: nothing to be out of touch with
    store.close()


def test_an_application_that_arrived_after_its_job_ended_is_told_at_the_next_card(data, flow):
    """Made offline, taken by the hub after the posting had ended: kept for the station, and the
    worker hears so at their next card here, once; one taken as usual is no news."""
    from wire.protocol import POSTING_ENDED

    live = data.store.live_postings()
    first = live[0]
    second = next(p for p in live if p["title"] != first["title"])
    late = int(data.apply(card(), first["id"], PHONE, True).split("-")[1])
    usual = int(data.apply(card(), second["id"], PHONE, True).split("-")[1])
    flow.card(card())
    assert "已经结束" not in views.build(flow).warning  # not answered yet: nothing to say
    flow.end()
    data.store.outbox.acknowledge(
        usual, [{"n": late, "status": "applied", "reason": POSTING_ENDED}, {"n": usual, "status": "applied"}]
    )
    flow.card(card(number="440524188001010014"))
    assert "已经结束" not in views.build(flow).warning  # another worker
    flow.end()
    flow.card(card())
    warning = views.build(flow).warning
    assert f"您报名的“{first['title']}”送到时岗位已经结束了" in warning and second["title"] not in warning
    flow.end()
    flow.card(card())
    assert "已经结束" not in views.build(flow).warning
