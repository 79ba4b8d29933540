"""招聘会 on a wall: the fair on now by the wall's own clock (an hour before it opens until it closes),
its booths in booth-number order, the calling board newest first, the calls new enough to cover the
screen (and no longer, with no further document), the booth table in the largest type that shows every
booth, and the layout it takes (strips and booth screens keep their own)."""

import itertools

import pytest

from display import fair as F
from display import layout as L
from display import theme
from display.content import WallData
from display.strings import tr
from sync.store import DeviceStore, Enrollment
from wire import sealed

NOW = 1_800_000_000.0
HOUR = 3600


def booth(ident, number, letter, name="滨江福瑞电子科技有限公司", jobs="普工、质检员，包吃住", **over):
    return {"id": ident, "number": number, "letter": letter, "employer": ident, "employer_name": name,
            "jobs": jobs, "places": 30, "waiting": 0, "serving": "", **over}  # fmt: skip


def fair_doc(ident=1, opens=NOW - HOUR, closes=NOW + 8 * HOUR, calls=(), booths=None, taking=True):
    booths = booths or [booth(1, "1", "A"), booth(2, "5", "B", "宏图永兴物流有限公司", "分拣员、叉车司机")]
    return {"id": ident, "title": "春风行动专场招聘会", "hall": "一楼大厅", "opens_at": opens, "closes_at": closes,
            "taking": taking, "booths": booths, "calls": [list(c) for c in calls], "to": closes}  # fmt: skip


def test_the_fair_is_on_from_an_hour_before_it_opens_until_it_closes_by_the_walls_clock():
    doc = fair_doc(opens=NOW, closes=NOW + 8 * HOUR)
    assert F.on_now([doc], NOW - HOUR - 1) is None  # the day before, the morning before
    assert F.on_now([doc], NOW - HOUR) is doc  # the queue at the door finds its booth
    assert F.on_now([doc], NOW + 8 * HOUR - 1) is doc
    assert F.on_now([doc], NOW + 8 * HOUR) is None  # over by the wall's own clock, no word from the hub
    later = fair_doc(2, opens=NOW + 2 * HOUR, closes=NOW + 6 * HOUR)
    assert F.on_now([later, doc], NOW + 3 * HOUR) is doc  # two at once: the one that opened first
    assert F.on_now([], NOW) is None


@pytest.mark.parametrize(
    "own, on, shown",
    [
        ("table", True, "fair"),
        ("cards", True, "fair"),
        ("market", True, "fair"),
        ("ticker", True, "ticker"),  # a strip keeps its strip (its cell leads with the newest call)
        ("booth", True, "booth"),  # an employer's booth screen keeps its own postings and codes
        ("table", False, "table"),
    ],
)
def test_walls_take_the_fair_layout_while_a_fair_is_on_but_strips_and_booths_keep_theirs(own, on, shown):
    assert F.wall_layout(own, fair_doc() if on else None) == shown


def test_booths_come_in_the_halls_order_with_their_queue():
    doc = fair_doc(
        booths=[
            booth(1, "10", "A", serving="A007", waiting=4),
            booth(2, "2", "B", "宏图恒通家政服务有限公司", "保洁员、育婴员", places=20),
            booth(3, "A12", "C"),
            booth(4, "A3", "D"),
        ]
    )
    rows = F.booth_rows(doc)
    assert [r["booth"] for r in rows] == ["2号", "10号", "A3号", "A12号"]  # "2" before "10"
    assert rows[0] == {"booth": "2号", "employer": "宏图恒通家政服务", "jobs": "保洁员、育婴员",
                       "places": "20人", "serving": "—", "waiting": "0人"}  # fmt: skip
    assert (rows[1]["serving"], rows[1]["waiting"]) == ("A007", "4人")


def test_the_board_reads_newest_first_and_leaves_out_what_is_not_a_call():
    calls = [["A023", "5", NOW - 10], ["C002", "3", NOW - 5], ["B001", "2", NOW - 200]]
    doc = fair_doc(calls=calls)
    doc["calls"] += [["", "1", NOW], ["X", "1"], "A001", None, ["D009", "8", "yesterday"]]
    assert [F.call_text(c) for c in F.calls(doc)] == ["请 C002 到 3号展位", "请 A023 到 5号展位", "请 B001 到 2号展位"]
    assert F.call_parts(F.calls(doc)[0]) == ["请 C002", "到 3号展位"]
    many = fair_doc(calls=[[f"A{i:03d}", "1", NOW - i] for i in range(20)])
    assert len(F.calls(many)) == F.BOARD_LINES
    assert F.calls(None) == [] and F.calls(fair_doc()) == []


def test_a_call_covers_the_screen_for_a_few_seconds_by_the_walls_clock_alone():
    doc = fair_doc(calls=[["A023", "5", NOW]])
    assert F.new_calls(doc, NOW) == [("A023", "5", NOW)]
    assert F.new_calls(doc, NOW + F.CALL_SHOW_S - 0.25) != []
    # No new document comes: the cover is gone CALL_SHOW_S after the call, the board keeps it.
    assert F.new_calls(doc, NOW + F.CALL_SHOW_S) == []
    assert F.calls(doc) == [("A023", "5", NOW)]
    # The hub's clock a little ahead of the wall's: still new; a day-old document is not.
    assert F.new_calls(doc, NOW - 20) != [] and F.new_calls(doc, NOW - F.AHEAD_S - 1) == []
    assert F.new_calls(doc, NOW + 86400) == [] and F.new_calls(None, NOW) == []
    # Calls made together share the cover, the newest first, no more than COVER_CALLS.
    together = fair_doc(calls=[[f"A{i:03d}", str(i), NOW - i] for i in range(5)] + [["B001", "2", NOW - 60]])
    assert [c[0] for c in F.new_calls(together, NOW)] == ["A000", "A001", "A002"]


def test_the_walls_state_does_not_grow_with_the_calls():
    """A wall runs for months: each reading is decided from the latest document and the clock alone."""
    seen = set()
    for n in range(2000):  # a call every 30 s for 16 hours
        at = NOW + 30 * n
        calls = [[f"A{k % 1000:03d}", "5", NOW + 30 * k] for k in range(max(0, n - 5), n + 1)][::-1]
        doc = fair_doc(calls=calls, closes=NOW + 86400)
        seen.add(len(F.calls(doc)))
        assert F.new_calls(doc, at + 1)[0][0] == f"A{n % 1000:03d}"
        assert F.new_calls(doc, at + F.CALL_SHOW_S) == []
    assert max(seen) == F.BOARD_LINES


def test_the_status_says_when_it_opens_where_to_take_a_number_or_that_none_are_taken():
    import datetime as dt

    cst = dt.timezone(dt.timedelta(hours=8))
    opens = dt.datetime(2027, 3, 1, 8, 30, tzinfo=cst).timestamp()
    doc = fair_doc(opens=opens, closes=opens + 9 * HOUR)
    assert F.status(doc, opens - 600, cst) == "08:30 开始"
    assert F.status(doc, opens + 60, cst) == "到一体机刷身份证取号"
    assert F.status({**doc, "taking": False}, opens + 60, cst) == "已停止取号"


def test_booths_page_by_the_wall_clock_in_even_pages():
    rows = [{"booth": f"{i}号"} for i in range(1, 8)]
    first, counter = F.booth_page(rows, 6, 0.0, 12.0)
    assert (len(first), counter) == (4, "1/2")  # 4 and 3, not 6 and 1
    assert F.booth_page(rows, 6, 12.0, 12.0) == (rows[4:], "2/2")
    assert F.booth_page(rows, 10, 0.0, 12.0) == (rows, "")
    assert F.booth_page([], 4, 0.0, 12.0) == ([], "")


def measure_chars(text: str, bold: bool) -> float:
    """A stand-in font 10 px a character (bold a little wider), at the size it is asked at."""
    return len(text) * (11 if bold else 10)


HEADERS = {f: tr(f"fair.col.{f}") for f in F.FIELDS}  # 展位 单位 招聘岗位 人数 叫到 排队


def cells_apart(columns, width, pad):
    for line in range(columns.lines):
        cells = sorted((c.x, c.x + c.width) for c in columns.cells.values() if c.line == line)
        assert cells[0][0] >= pad and cells[-1][1] <= width - pad + 0.01
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(cells))


@pytest.mark.parametrize(
    "width, lines, given_up, whole",
    [
        (900, 1, set(), True),
        (300, 2, set(), True),  # the jobs under the employer, both whole
        (200, 2, {"waiting"}, False),  # the employer cut (with an ellipsis) rather than under 3 characters
        (150, 2, {"waiting", "serving"}, False),
    ],
)
def test_booth_columns_show_employer_and_jobs_whole_on_one_line_or_two(width, lines, given_up, whole):
    rows = F.booth_rows(fair_doc(booths=[booth(1, "1", "A", serving="A023", waiting=12)]))
    columns = F.booth_columns(rows, width, pad=6, em=10, measure=measure_chars, headers=HEADERS)
    assert columns.lines == lines and set(columns.cells) == set(F.FIELDS) - given_up
    cells_apart(columns, width, 6)
    for name in set(columns.cells) - {"employer", "jobs"}:  # never cut
        assert columns.width(name) >= max(measure_chars(rows[0][name], True), measure_chars(HEADERS[name], True))
    assert columns.width("employer") >= 10 * F.SHARED_MIN_EMS
    if lines == 2:  # the jobs on the second line, under the employer, as wide as the row allows
        assert columns.cells["jobs"].line == 1 and columns.x("jobs") == columns.x("employer")
        assert columns.x("jobs") + columns.width("jobs") == width - 6
    assert F.whole(columns, rows, measure_chars) == whole


def test_the_booth_table_takes_the_largest_type_that_shows_every_booth_whole():
    rows = F.booth_rows(fair_doc())

    def measure_100(text, bold):
        return len(text) * 100 * (1.1 if bold else 1.0)

    wide = F.table(rows, 1200, 500, pad=8, low=20, high=60, measure_100=measure_100)
    assert wide.per_page >= len(rows) and 20 <= wide.size <= 60
    at = wide.size * F.SCALED / 100
    assert F.whole(wide.columns, rows, lambda t, b: measure_100(t, b) * at)
    bigger = F.table(rows, 1200, 500, pad=8, low=wide.size + 1, high=wide.size + 1, measure_100=measure_100)
    assert bigger.per_page < len(rows) or not F.whole(
        bigger.columns, rows, lambda t, b: measure_100(t, b) * bigger.size * F.SCALED / 100
    )
    # Room for nothing larger: the floor, paged.
    small = F.table(rows * 10, 400, 200, pad=8, low=20, high=60, measure_100=measure_100)
    assert small.size == 20 and small.per_page < 20 and small.line == 29


def test_the_board_goes_beside_the_table_or_under_it_on_a_portrait_screen():
    side = F.areas(1920, 600, pad=10)
    assert side.mode == "side" and side.table_h == side.board_h == 580
    assert side.table_w + side.board_w + 2 * 10 + 3 * 10 == pytest.approx(1920)
    assert side.board_w == pytest.approx((1920 - 50) * F.BOARD_SHARE)
    tall = F.areas(1080, 1800, pad=10)
    assert tall.mode == "stacked" and tall.table_w == tall.board_w == 1060
    assert tall.table_h + tall.board_h + 2 * 10 + 3 * 10 == pytest.approx(1800)


@pytest.mark.parametrize("size", [(1920, 640), (768, 384), (1920, 1080), (1080, 1920)])
def test_the_fair_layout_reads_as_a_hall_wall(size):
    p = L.plan(*size, layout="fair")
    assert p.small >= max(L.MIN_PX, L.WALL_FLOOR * min(size)) and p.body > p.small
    assert theme.palette("fair") is theme.DARK


def test_the_call_cover_reads_at_seven_to_one():
    assert theme.contrast(theme.CALL["ink"], theme.CALL["bg"]) >= 7.0


def test_the_walls_snapshot_holds_the_fairs_shown_at_its_station(tmp_path):
    store = DeviceStore(tmp_path / "device.db")
    key = sealed.public_key_text(sealed.generate_private_key())
    store.save_enrollment(Enrollment("http://hub", 7, "tok", "display", 1, key), event_base=0)
    store.replace_all(5, [("fair", fair_doc(calls=[["A023", "5", NOW]]))])
    data = WallData(store, clock=lambda: NOW)
    try:
        shown = F.on_now(data.refresh().fairs, NOW)
        assert shown["id"] == 1 and [F.call_text(c) for c in F.new_calls(shown, NOW + 1)] == ["请 A023 到 5号展位"]
        # The hub re-publishes it at the next call: the next reading holds only the new document.
        store.apply_changes(6, [{"k": "fair", "id": 1, "op": "put", "d": fair_doc(calls=[["A024", "5", NOW + 30]])}])
        assert [F.calls(f) for f in data.refresh().fairs] == [[("A024", "5", NOW + 30)]]
        store.apply_changes(7, [{"k": "fair", "id": 1, "op": "del"}])  # cancelled: withdrawn
        assert data.refresh().fairs == []
    finally:
        store.close()
