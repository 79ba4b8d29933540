"""技能培训 at the kiosk as plain Python (kiosk.flow, kiosk.views) over a real demo device store: the
first screen's tile, the list with the worker's trades first, 报名 with the card in one tap (the
card laid on a course looked at without one goes straight on), who may not join and why, and a
seat the hub could not give said at the next card, once."""

import random
import shutil

import pytest

from cardreader.fictional import person
from cardreader.sim import resident
from kiosk import views
from kiosk.courses import first_day
from kiosk.data import KioskData
from kiosk.flow import ATTRACT, COURSE, COURSES, JOBS, RECEIPT, Flow
from lingong.demodata import device_store
from sync.store import DeviceStore

ID, NAME = "11010519491231002X", "张三丰"  # born in 1949
# Someone of working age, made up by the project's fictional-person generator (born 1980–2000).
YOUNG = person(random.Random(3), born_from=1980, born_to=2000)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("kiosk") / "device.db"
    device_store(path, postings=60).close()
    return path


@pytest.fixture
def flow(template, tmp_path):
    shutil.copy(template, tmp_path / "device.db")
    store = DeviceStore(tmp_path / "device.db")
    data = KioskData(store)
    data.refresh()
    yield Flow(data, public_url="https://hub.example.cn/", idle_timeout_s=60, clock=Clock())
    store.close()


def course_named(flow, word: str) -> dict:
    return next(c for c in flow.data.courses() if word in c["title"])


def test_the_first_screen_offers_the_courses_and_the_list_reads_plainly(flow):
    assert views.build(flow).courses == "技能培训"
    flow.courses()
    view = views.build(flow)
    assert flow.screen == COURSES and flow.visit.browsing
    titles = [r["title"] for r in view.rows]
    assert len(titles) == 3 and all(r["seats"].startswith("还剩") for r in view.rows)
    free = next(r for r in view.rows if "家政" in r["title"])
    assert free["chip"] == "免费" and "至" in free["line"] and free["action"] == "open_course"
    paid = next(r for r in view.rows if "电工" in r["title"])
    assert paid["chip"] == "要交费，看详情"  # the rule in full on the course's own screen
    flow.back()
    assert flow.screen == ATTRACT and flow.visit is None


def test_after_a_workers_jobs_one_card_leads_to_the_courses(flow):
    flow.card(resident(ID, NAME))
    flow.visit.jobs = flow.visit.jobs[:6]  # the last page full: no card, and no page more for it
    assert flow.pages == 2 and all("viewclass" not in j for j in flow.list_items)
    flow.visit.jobs = flow.visit.jobs[:5]  # room for one on the last page: the courses' card takes it
    while views.build(flow).can_next:
        flow.next_page()
    last = views.build(flow).jobs[-1]
    assert last["viewclass"] == "OfferCard" and last["title"] == "学门手艺：这里有技能培训"
    assert last["line"].startswith("共3个培训，最近的是：") and last["seats"].startswith("这个还剩")
    assert all("viewclass" not in j for j in flow.visit.jobs)  # (the jobs themselves stay job cards)
    flow.visit.jobs = flow.visit.jobs[:4]  # room for two: the buses' card as well
    last = views.build(flow).jobs[-1]
    assert (
        last["action"] == "buses" and last["title"] == "包车去外地干活" and last["line"].startswith("共2趟，最近的：")
    )
    assert last["seats"].startswith("这趟还剩")
    flow.courses()
    assert flow.screen == COURSES
    flow.back()
    assert flow.screen == JOBS
    flow.end()
    flow.browse()
    flow.browse_category(next(iter(flow.data.reference.categories)))
    assert all("viewclass" not in j for j in flow.list_items)  # a category browsed: its jobs only


def test_a_workers_own_trade_comes_first(flow):
    flow.card(resident(ID, NAME))
    electrician = course_named(flow, "电工")["trade"]
    flow.visit.trades = {electrician}
    flow.courses()
    rows = views.build(flow).rows
    assert rows[0]["title"] == "低压电工证培训" and rows[0]["yours"] == "您要的活"
    assert all(r["yours"] == "" for r in rows[1:])
    flow.back()
    assert flow.screen == JOBS  # a card visit goes back to its jobs


def test_looking_without_a_card_then_the_card_signs_up_in_one_tap(flow):
    course = course_named(flow, "家政")
    flow.courses()
    flow.open_course(course["id"])
    view = views.build(flow)
    assert flow.screen == COURSE and view.can_sign_up and view.sign_up == "刷身份证报名"
    assert view.facts[0] == ("pay", "费用：免费")  # the cost first: it is what decides
    assert view.fact("time").startswith("报名截止：") and view.fact("job").startswith("培训单位：")
    assert view.seats == "还剩30个名额（共30个）" and view.action == "sign_up_course"
    flow.sign_up_course()
    assert "刷身份证" in views.build(flow).message and flow.screen == COURSE
    flow.card(resident(ID, NAME))  # laid on the reader now: the course stays on screen
    assert flow.screen == COURSE and flow.visit.course == course["id"]
    flow.sign_up_course()
    receipt = views.build(flow)  # (offline here: noted, not yet confirmed)
    assert flow.screen == RECEIPT and receipt.status == "报名已记下，还没确认" and receipt.code.startswith("P1-")
    assert receipt.where == course["place"] and receipt.employer == "培训单位：" + course["organiser"]
    assert receipt.contact.endswith("带上身份证到：" + course["place"]) and receipt.code_label == "报名码"
    assert " 9:00前 " in receipt.contact  # when to be there on the first day: the schedule's first time
    station = flow.data.enrollment.station_id
    assert receipt.qr == f"https://hub.example.cn/c/{course['id']}?s={station}"  # the course's phone page
    sent = flow.data.store.outbox.pending()[-1]
    assert sent["kind"] == "course_signup" and sent["body"]["course"] == course["id"]
    assert ID not in str(sent) and NAME not in str(sent)  # the person goes sealed
    flow.open_course(course["id"])
    flow.sign_up_course()  # again: no second event, the screen says they are in
    assert len([e for e in flow.data.store.outbox.pending() if e["kind"] == "course_signup"]) == 1
    view = views.build(flow)
    assert view.message == "您已经报上名了" and view.signed and not view.can_sign_up and view.sign_up == "已报名 ✓"


def test_who_may_not_join_is_told_before_the_tap(flow):
    flow.card(resident(ID, NAME))  # 76 on the first day
    flow.courses()
    flow.open_course(course_named(flow, "电工")["id"])
    view = views.build(flow)
    assert not view.can_sign_up and view.message == "这期培训年龄18-55岁，您的年龄不符"
    assert "要先在这里登记过想干的活" in view.fact("people")
    flow.sign_up_course()
    assert flow.screen == COURSE and not flow.data.store.outbox.pending()
    flow.card(resident(YOUNG.id_number, YOUNG.name))
    flow.courses()
    flow.open_course(course_named(flow, "电工")["id"])
    assert views.build(flow).can_sign_up  # the hub not asked yet (offline): it decides, told at the next card
    flow.looked_up(flow.visit, {"known": False})  # the hub answered: no registration of theirs
    view = views.build(flow)
    assert not view.can_sign_up and "先点「登记想干的活」" in view.message


def test_a_seat_the_hub_could_not_give_is_told_at_the_next_card_once(flow):
    course = course_named(flow, "育婴")
    flow.card(resident(ID, NAME))
    flow.courses()
    flow.open_course(course["id"])
    flow.sign_up_course()
    flow.end()
    store = flow.data.store
    n = store.outbox.pending()[-1]["n"]
    store.outbox.acknowledge(
        n, [{"n": n, "status": "rejected", "reason": "这期培训的名额已经报满了", "kind": "course_signup"}]
    )
    flow.card(resident(ID, NAME))
    assert "「育婴员辅食制作培训」没有报上：这期培训的名额已经报满了" in views.build(flow).warning
    flow.end()
    flow.card(resident(ID, NAME))
    assert "没有报上" not in views.build(flow).warning


def test_a_full_or_closed_course(flow):
    course = course_named(flow, "家政")
    store = flow.data.store
    store.apply_changes(
        store.cursor + 1, [{"k": "course", "id": course["id"], "op": "put", "d": {**course, "left": 0}}]
    )
    flow.data.refresh()
    flow.card(resident(ID, NAME))
    flow.courses()
    row = next(r for r in views.build(flow).rows if r["item"] == course["id"])
    assert row["seats"] == "已报满" and not row["open"]
    flow.open_course(course["id"])
    assert views.build(flow).message == "名额已经报满了，下期再来" and not views.build(flow).can_sign_up
    # sign-ups close: the kiosk's own clock drops the course, offline too, and the screen says so
    flow.data.clock = lambda: course["to"] + 1
    assert views.build(flow).message == "这期培训已经停止报名了"
    flow.sign_up_course()
    assert flow.screen == COURSE and not store.outbox.pending()


@pytest.mark.parametrize(
    ("schedule", "said"),
    [
        ("下午 14:00–17:00", "12月8日 14:00前 带上身份证到：三楼"),
        ("每天 8:30–16:30，含实操", "12月8日 8:30前 带上身份证到：三楼"),
        ("周六 09：00开始", "12月8日 9:00前 带上身份证到：三楼"),  # a full-width colon, typed on a phone
        ("共120学时，时间另行通知", "12月8日 带上身份证到：三楼"),  # no time in the words: none made up
        ("", "12月8日 带上身份证到：三楼"),
    ],
)
def test_the_first_day_says_by_when_when_the_schedule_does(schedule, said):
    doc = {"starts_on": "2026-12-08", "schedule": schedule, "place": "三楼"}
    assert first_day(doc, "zh") == said
