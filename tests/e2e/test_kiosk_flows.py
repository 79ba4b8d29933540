"""The kiosk driven by touches and the simulated reader, offscreen, as a worker would use it."""

import json
import shutil
import subprocess
import sys

import pytest

from tests.support.hub import ROOT, lingong_env
from tests.support.kiosk_flow import ID, NAME, PHONE, YOUNG

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)


def run_flow(folder, flow, size="1080x1920"):
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.kiosk_flow", str(folder), flow, size],
        env=lingong_env(folder),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    result_file = folder / "result.json"
    assert result_file.exists(), out.stderr[-3000:]
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert "error" not in result, result
    assert result.get("ok"), result
    return {s["step"]: s for s in result["steps"]}


def files_holding(folder, text):
    """Files the kiosk wrote that hold `text` (the test's own result file aside)."""
    return [p for p in folder.rglob("*") if p.is_file() and p.name != "result.json" and text.encode() in p.read_bytes()]


def test_card_to_receipt_in_a_few_taps(tmp_path):
    """Upright, as most kiosks stand (a landscape kiosk walks the interview and long-page flows
    below, and test_kiosk_screens lays every screen out both ways)."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is needed: `make test` installs it")
    steps = run_flow(tmp_path, "apply")
    assert steps["card"]["screen"] == "jobs" and steps["card"]["greeting"] == "张师傅，您好"
    assert steps["card"]["jobs"] > 0
    assert steps["category"]["chosen"][1] is True  # the trade choice re-ranked the list
    assert steps["detail"]["screen"] == "detail" and steps["detail"]["pay"]
    assert steps["detail"]["qr"].startswith("https://hub.example.cn/p/")
    assert steps["typed"]["digits"] == PHONE and steps["typed"]["shown"] == PHONE  # in the eleven boxes
    assert steps["without consent"]["screen"] == "apply" and steps["without consent"]["outbox"] == 0
    receipt = steps["receipt"]
    assert receipt["screen"] == "receipt" and receipt["code"] == "1-0001" and receipt["outbox"] == 1
    assert receipt["kinds"] == ["application"]
    after = steps["after"]
    # Nothing of the worker stays on any screen: every screen but the first is back to empty.
    assert after["screen"] == "attract" and after["visit"] is False and after["leftovers"] == []
    # Nothing of the worker on the kiosk's disk: the outbox holds them sealed.
    for secret in (ID, NAME, PHONE):
        assert files_holding(tmp_path, secret) == [], secret
    # 读给我听 on the job's page was spoken (espeak-ng, recorded here instead of played).
    spoken = list((tmp_path / "speech").glob("*.wav"))
    assert spoken and spoken[0].stat().st_size > 10_000


def test_booking_a_video_interview_and_hearing_it_was_taken(tmp_path):
    """Offline: the booking is queued sealed and the receipt says so; the hub then refuses it (the
    slot went to someone else meanwhile) and the worker is told on their next visit, once."""
    steps = run_flow(tmp_path, "book", "1920x1080")
    assert steps["detail"]["slots"] == 2 and steps["detail"]["can_book"]
    assert len(steps["slots"]["choices"]) == 2 and "远程面试室" in steps["slots"]["message"]
    receipt = steps["receipt"]
    assert receipt["screen"] == "receipt" and receipt["code"] == "M1-0001" and receipt["kinds"] == ["booking"]
    assert (
        receipt["status"] == "预约成功"
        and "网络恢复后自动确认" in receipt["note"]
        and receipt["where"] == "青川区零工市场 远程面试室"
    )
    assert "没有约上" in steps["next visit"]["banner"] and "被别人约了" in steps["next visit"]["banner"]
    assert "没有约上" not in steps["told once"]["banner"]
    for secret in (ID, NAME):
        assert files_holding(tmp_path, secret) == [], secret


def test_asking_for_a_seat_on_a_bus_and_seeing_it_confirmed(tmp_path):
    """包车, offline: a worker too old for the work is told before any tap; a young worker's card
    laid on the bus asks for a seat in one tap, queued sealed; the receipt says it is not yet
    confirmed, and turns to 座位已确认 on the hub's answer while they are still there."""
    steps = run_flow(tmp_path, "bus")
    assert steps["list"]["rows"] == ["去江苏昆山", "去新疆阿克苏"]
    assert steps["bus"]["screen"] == "bus" and steps["bus"]["can"] and steps["bus"]["seats"].startswith("还剩")
    assert "年龄不符" in steps["too old"]["message"] and not steps["too old"]["can"]
    assert steps["young"]["screen"] == "bus" and steps["young"]["can"]
    receipt = steps["receipt"]
    assert receipt["screen"] == "receipt" and receipt["code"] == "B1-0001" and receipt["kinds"] == ["bus_signup"]
    assert receipt["status"] == "报名已记下，还没确认" and receipt["mark"] == "time"
    assert steps["answered"]["status"] == "座位已确认" and steps["answered"]["mark"] == "check"
    for secret in (ID, NAME, YOUNG.id_number, YOUNG.name):
        assert files_holding(tmp_path, secret) == [], secret


def test_signing_up_for_a_course_with_the_card_and_hearing_it_was_full(tmp_path):
    """技能培训, offline: looked at without a card, the card laid on it, one tap on 报名; the sign-up
    is queued sealed and the receipt says when it goes; the hub then finds the course full and the
    worker hears so at their next card, once."""
    steps = run_flow(tmp_path, "course")
    assert len(steps["list"]["rows"]) == 3
    assert (
        steps["course"]["screen"] == "course" and steps["course"]["can"] and steps["course"]["seats"].startswith("还剩")
    )
    assert "刷身份证" in steps["needs card"]["message"] and steps["needs card"]["outbox"] == 0
    assert steps["card laid"]["screen"] == "course" and steps["card laid"]["title"] == steps["course"]["title"]
    receipt = steps["receipt"]
    assert (
        receipt["screen"] == "receipt" and receipt["status"] == "报名已记下，还没确认" and receipt["code"] == "P1-0001"
    )
    assert receipt["kinds"] == ["course_signup"] and "开课前再来刷一下卡" in receipt["note"]
    assert "没有报上" in steps["next visit"]["banner"] and "名额已经报满" in steps["next visit"]["banner"]
    assert "没有报上" not in steps["told once"]["banner"]
    for secret in (ID, NAME):
        assert files_holding(tmp_path, secret) == [], secret


def test_browsing_without_a_card_asks_for_it_to_apply(tmp_path):
    steps = run_flow(tmp_path, "browse")
    assert steps["list"]["screen"] == "jobs" and steps["list"]["title"].endswith("岗位")
    assert steps["list"]["page"].startswith("第1页") and steps["next page"]["page"].startswith("第2页")
    assert steps["next page"]["first"] != steps["list"]["first"]  # 下一页 turned the page
    assert steps["needs card"]["screen"] == "detail" and steps["needs card"]["message"] == "报名需要刷身份证"


def test_a_page_running_past_the_foot_says_so_and_a_tap_scrolls_it(tmp_path):
    steps = run_flow(tmp_path, "more", "1920x1080")
    assert steps["info"]["screen"] == "info" and steps["info"]["overflows"] is True
    assert steps["info"]["cue"] is True and steps["info"]["y"] == 1  # 往下看 ↓, at the top
    assert steps["down"]["y"] == 0 and steps["down"]["cue"] is True  # at the foot: 回到上面 ↑
    assert steps["up"]["y"] == 1 and steps["up"]["cue"] is True


def test_lifting_the_card_ends_the_visit(tmp_path):
    steps = run_flow(tmp_path, "removal")
    assert steps["card"]["screen"] == "jobs"
    assert steps["removed"]["screen"] == "attract" and steps["removed"]["visit"] is False
    assert steps["removed"]["leftovers"] == []


def test_idle_counts_down_then_ends_the_visit(tmp_path):
    steps = run_flow(tmp_path, "idle")
    assert steps["countdown"]["countdown"] > 0
    assert steps["stayed"]["countdown"] == 0 and steps["stayed"]["screen"] == "jobs"
    assert steps["timed out"]["screen"] == "attract" and steps["timed out"]["leftovers"] == []


def test_registering_what_they_want(tmp_path):
    steps = run_flow(tmp_path, "register")
    assert steps["trades"]["screen"] == "register" and steps["trades"]["progress"] == "第1步，共4步"
    assert steps["pay"]["screen"] == "register_pay" and steps["pay"]["pay"][0] == "不限"
    assert steps["when"]["screen"] == "register_when" and steps["when"]["progress"] == "第3步，共4步"
    chosen = steps["chosen"]
    assert chosen["screen"] == "register_phone" and chosen["progress"] == "第4步，共4步"
    assert len(chosen["trades"]) == 2 and chosen["pay"] and chosen["when"] == ["today"]
    assert steps["saved"]["screen"] == "jobs" and steps["saved"]["kinds"] == ["registration"]
    assert files_holding(tmp_path, ID) == []


def test_a_posting_filled_while_looking_at_it(tmp_path):
    steps = run_flow(tmp_path, "fresh")
    assert steps["gone"]["gone"] is True
    assert steps["gone"]["can_apply"] is False and steps["gone"]["can_go_back"] is True


def test_a_reader_pulled_out_mid_visit(tmp_path):
    steps = run_flow(tmp_path, "unplug")
    assert steps["unplugged"]["reader"] == "no_reader" and steps["unplugged"]["jobs_left"] > 0  # the visit goes on
    assert steps["attract"]["screen"] == "attract" and steps["attract"]["reader"] == "no_reader"
    assert steps["attract"]["told"], "the attract screen does not say the reader is missing"
    assert steps["back"]["reader"] == "card" and steps["back"]["screen"] == "jobs"
