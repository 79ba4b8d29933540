"""举报 at the kiosk (kiosk.flow, kiosk.views; hub.trust): from a job's detail, one screen of big
reason tiles, a tap sends it sealed through the outbox and says so — two taps; and what the station
sets (服务规范, 热线, 投诉电话) and the 不收费 mark, on the kiosk's screens."""

from kiosk import views
from kiosk.flow import DETAIL, INFO, REPORT, REPORT_REASONS
from tests.unit.test_kiosk_flow import card, clock, data, flow, open_first, template  # noqa: F401 (fixtures)
from wire import events
from wire.protocol import PUT


def test_reporting_a_job_takes_two_taps_and_goes_up_sealed(flow):  # noqa: F811 (the fixture imported above)
    flow.card(card())
    open_first(flow)
    pid, before = flow.visit.job["pid"], flow.data.store.outbox.count()
    flow.start_report()  # tap 1: 举报
    assert flow.screen == REPORT
    view = views.build(flow)
    assert [t["value"] for t in view.tiles] == list(REPORT_REASONS) and all(t["big"] for t in view.tiles)
    assert [t["text"] for t in view.tiles] == ["收钱、要押金", "工资不实", "地址不实", "其他问题"]
    flow.tile("report", "fees")  # tap 2: a reason — sent, and back on the job saying so
    assert flow.screen == DETAIL and views.build(flow).message.startswith("举报已收到")
    assert flow.data.store.outbox.count() == before + 1
    sent = flow.data.store.outbox.pending()[-1]
    assert sent["kind"] == "report" and sent["body"]["posting"] == pid and sent["body"]["reason"] == "fees"
    assert set(sent["body"]) == set(events.Report.__annotations__) | {events.SEALED}
    assert "11010519491231002X" not in str(sent)  # the person is sealed, never in the clear


def test_back_from_the_reasons_sends_nothing_and_a_forged_reason_is_ignored(flow):  # noqa: F811 (the fixture imported above)
    flow.card(card())
    open_first(flow)
    before = flow.data.store.outbox.count()
    flow.start_report()
    flow.tile("report", "rm -rf /")
    assert flow.screen == REPORT and flow.data.store.outbox.count() == before
    flow.back()
    assert flow.screen == DETAIL and flow.data.store.outbox.count() == before


def test_browsing_without_a_card_is_asked_for_one(flow):  # noqa: F811 (the fixture imported above)
    flow.browse()
    flow.browse_category(views.build(flow).tiles[0]["value"])
    open_first(flow)
    flow.start_report()
    assert flow.screen == DETAIL and views.build(flow).message == "举报要先刷身份证"


def test_the_free_mark_and_the_stations_rules_reach_the_screens(flow):  # noqa: F811 (the fixture imported above)
    store = flow.data.store
    flow.card(card())
    pid = flow.visit.jobs[0]["pid"]
    station = dict(store.doc("station", flow.data.enrollment.station_id))
    station.update(rules="不收任何费用\n先登记后推荐", hotline="0371-12345678", complaint="12345")
    doc = {**flow.data.posting(pid), "free": True}
    changes = [
        {"k": "station", "id": station["id"], "op": PUT, "d": station},
        {"k": "posting", "id": pid, "op": PUT, "d": doc},
    ]
    store.apply_changes((store.cursor or 0) + 1, changes)
    flow.data.refresh()
    flow.open_job(pid)
    assert views.build(flow).free == "不收费"
    flow.info()
    text = views.build(flow).text
    assert flow.screen == INFO and "先登记后推荐" in text and "投诉电话 12345" in text and "0371-12345678" in text
