"""技能培训 on the wall: the courses taking sign-ups here run in the notice strip with their seats
left, soonest first; a full course and one whose sign-ups closed (by the wall's own clock) do not."""

from display.content import WallData
from display.courses import course_lines
from lingong.demodata import device_store

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
    finally:
        store.close()
