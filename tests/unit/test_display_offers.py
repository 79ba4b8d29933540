"""技能培训 and 包车 on the wall: the courses taking sign-ups here and the buses leaving from here run in
the notice strip with their seats left (a bus with the time to go), soonest first; a full one and one
whose sign-ups closed (by the wall's own clock) do not."""

import datetime as dt

from display.content import WallData
from display.offers import bus_lines, course_lines
from lingong.demodata import device_store

CST = dt.timezone(dt.timedelta(hours=8))

NOW = 1_800_000_000.0


def course(ident, title, starts_on, left, to=NOW + 86400, cost=""):
    return {"id": ident, "title": title, "starts_on": starts_on, "left": left, "to": to, "cost": cost}


def test_the_strip_reads_each_course_plainly_soonest_first():
    lines = course_lines(
        [
            course(1, "电工证培训", "2027-01-20", 5, cost="先交后补"),
            course(2, "家政保洁培训", "2027-01-10", 30),
            course(3, "育婴员培训", "2027-01-05", 0),  # full
            course(4, "焊工培训", "2027-01-01", 8, to=NOW - 1),  # sign-ups closed
        ],
        NOW,
    )
    assert lines == [
        "【培训】家政保洁培训 1月10日开课 免费 还剩30个名额，到一体机刷身份证报名",
        "【培训】电工证培训 1月20日开课 收费有补贴 还剩5个名额，到一体机刷身份证报名",
    ]
    assert (
        course_lines([course(5, "a", "2027-01-01", 1)] * 5, NOW, limit=2)
        == ["【培训】a 1月1日开课 免费 还剩1个名额，到一体机刷身份证报名"] * 2
    )


def test_a_wall_holds_the_demo_courses_with_their_seats(tmp_path):
    store = device_store(tmp_path / "wall.db", postings=20, kind="display")
    try:
        wall = WallData(store)
        snapshot = wall.refresh()
        titles = sorted(c["title"] for c in snapshot.courses)
        assert titles == ["低压电工证培训", "家政保洁免费培训", "育婴员辅食制作培训"]
        lines = course_lines(snapshot.courses, wall.clock())
        assert len(lines) == 2 and all("还剩" in line for line in lines)
        buses = bus_lines(snapshot.buses, wall.clock(), wall.tz)
        assert [line.split()[2] for line in buses] == ["去江苏昆山", "去新疆阿克苏"]
    finally:
        store.close()


def bus(ident, place, leaves_at, left, to=None):
    to = leaves_at - 7200 if to is None else to
    return {"id": ident, "destination": place, "work": "电子厂普工", "leaves_at": leaves_at, "left": left, "to": to}


def test_the_strip_counts_down_to_each_bus():
    day, hour = 86400, 3600
    lines = bus_lines(
        [
            bus(1, "江苏昆山", NOW + 2 * day + 5 * hour, 12),
            bus(2, "浙江义乌", NOW + 5 * hour + 30 * 60, 3),
            bus(3, "新疆阿克苏", NOW + day, 0),  # full
            bus(4, "广东东莞", NOW + 40 * 60, 9, to=NOW - 1),  # sign-ups closed
        ],
        NOW,
        CST,
    )
    yiwu = dt.datetime.fromtimestamp(NOW + 5 * hour + 30 * 60, CST)
    when = f"{yiwu.month}月{yiwu.day}日 {yiwu:%H:%M}"
    assert lines[0] == f"【包车】{when} 去浙江义乌 电子厂普工 还剩3个座位，还有5小时发车，到一体机刷身份证报名"
    assert "去江苏昆山" in lines[1] and "还有2天发车" in lines[1] and len(lines) == 2
    assert "还有40分钟发车" in bus_lines([bus(5, "广东东莞", NOW + 40 * 60 + 59, 9, to=NOW + 60)], NOW, CST)[0]
