"""The wall's pure parts: layout choice, text sizes, wall-clock paging, self-check, proof of play."""

import datetime as dt
import itertools

import numpy as np
import pytest

from display import layout as L
from display.columns import table_columns
from display.content import item, sections, short_employer
from display.linebreak import balanced, wrap
from display.market import market_view
from display.proof import PlayLog
from display.rotation import Pager, page_index
from display.selfcheck import BLACK, FROZEN, OK, SelfCheck
from sync.store import DeviceStore, Enrollment
from wire import sealed


@pytest.mark.parametrize(
    "size, configured, employer, chosen",
    [
        ((1536, 384), "auto", None, "ticker"),  # a strip
        ((1920, 640), "auto", None, "table"),  # a wall
        ((768, 384), "auto", None, "table"),  # a panel over a trade sign
        ((1920, 1080), "auto", None, "cards"),  # a lobby screen
        ((1080, 1920), "auto", None, "cards"),  # a portrait lobby screen
        ((1280, 800), "auto", 42, "booth"),  # an employer's booth
        ((1920, 1080), "table", None, "table"),  # the configuration wins
    ],
)
def test_layout_from_the_screen(size, configured, employer, chosen):
    assert L.choose_layout(*size, configured, employer) == chosen


@pytest.mark.parametrize("size", [(1536, 384), (1920, 640), (768, 384), (1920, 1080), (1080, 1920), (1280, 800)])
@pytest.mark.parametrize("layout", ["table", "cards", "ticker", "booth"])
def test_text_never_under_the_floor_and_pages_fit(size, layout):
    width, height = size
    p = L.plan(width, height, layout=layout)
    floor = (L.WALL_FLOOR if layout in ("table", "ticker") else L.SCREEN_FLOOR) * min(width, height)
    assert min(p.sizes) >= max(L.MIN_PX, floor)
    assert len(set(p.sizes)) <= 4 and list(p.sizes) == sorted(p.sizes)
    assert p.rows >= 1 and p.cols >= 1
    if layout == "table":  # header, rows, footer, notices and the stale banner fit the height
        assert 2 * p.pad + p.line * (p.rows + 2) + 2 * p.band <= height


@pytest.mark.parametrize(
    "distance, pitch, expected_small",
    [
        (8.0, 4.0, 23),  # a P4 wall read from 8 m: the 3.5 % floor of 640 rows (22.4 px) rules
        (30.0, 4.0, 34),  # read from 30 m: physics rules (30 × 4 mm ÷ 4 mm ÷ 0.9)
        (3.0, 0.63, 31),  # a 1080p screen from 3 m: 2.8 % of 1080 (30.2 px) rules
        (6.0, 0.63, 43),  # from 6 m: 6 × 4 mm ÷ 0.63 mm ÷ 0.9 = 42.3 px
    ],
)
def test_text_size_follows_distance_and_pitch(distance, pitch, expected_small):
    width, height = (1920, 640) if pitch == 4.0 else (1920, 1080)
    layout = "table" if pitch == 4.0 else "cards"
    assert L.plan(width, height, layout=layout, distance_m=distance, pitch_mm=pitch).small == expected_small


def test_two_walls_started_apart_show_the_same_page():
    items = [{"pid": i} for i in range(1, 26)]
    first, second = Pager(10.0, 6), Pager(10.0, 6)
    first.offer("v1", [("", items)])
    t0 = 1_800_000_003.0
    first.tick(t0)
    second.offer("v1", [("", items)])  # started 37 s later
    second.tick(t0 + 37)
    for t in (t0 + 40, t0 + 55.5, t0 + 123.4):
        first.tick(t)
        second.tick(t)
        assert first.index(t) == second.index(t) == page_index(t, 10.0, 5)
        assert first.current(t, {i["pid"] for i in items}) == second.current(t, {i["pid"] for i in items})


def test_new_content_waits_for_the_turn_and_closed_postings_leave_at_once():
    pager = Pager(10.0, 3)
    pager.offer("v1", [("", [{"pid": i} for i in range(1, 10)])])
    t = 1_800_000_000.0  # a turn boundary
    assert pager.tick(t)
    on_screen = [i["pid"] for i in pager.current(t, set(range(1, 10)))]
    pager.offer("v2", [("", [{"pid": i} for i in range(100, 109)])])
    assert [i["pid"] for i in pager.current(t + 4, set(range(1, 10)))] == on_screen  # no reflow mid-page
    assert [i["pid"] for i in pager.current(t + 4, set(range(1, 10)) - {on_screen[1]})] == [
        on_screen[0],
        on_screen[2],
    ]  # but a closed posting is struck at once
    assert not pager.tick(t + 9.9)
    assert pager.tick(t + 10) and pager.version == "v2"


def test_a_page_never_mixes_trade_categories_and_says_where_it_stands():
    building = [{"pid": i} for i in range(1, 8)]
    care = [{"pid": i} for i in range(20, 23)]
    pager = Pager(10.0, 3)
    pager.offer("v1", [("建筑装修", building), ("保洁家政", care), ("空", [])])
    pages = [(p.section, p.number, p.of, [i["pid"] for i in p.items]) for p in pager.pages]
    assert pages == [
        ("建筑装修", 1, 3, [1, 2, 3]),
        ("建筑装修", 2, 3, [4, 5, 6]),
        ("建筑装修", 3, 3, [7]),  # a section's last page may be short: the next section starts a page
        ("保洁家政", 1, 1, [20, 21, 22]),
    ]


def test_sections_follow_the_catalogue_urgent_and_today_first():
    today = dt.date(2026, 12, 3)
    categories = [{"id": 2, "name": "保洁家政", "sort": 1}, {"id": 1, "name": "建筑装修", "sort": 0}]
    docs = [
        {"id": 1, "category": 2, "start": "2026-12-03", "from": 5},
        {"id": 2, "category": 1, "start": "2026-12-09", "from": 9},
        {"id": 3, "category": 1, "start": "2026-12-04", "from": 1},
        {"id": 4, "category": 1, "start": "2026-12-03", "from": 2},
        {"id": 5, "category": 1, "start": "2026-12-10", "urgent": True, "from": 3},
        {"id": 6, "category": 99, "start": "2026-12-03", "from": 3},  # a category this wall does not know
    ]
    grouped = [(name, [d["id"] for d in group]) for name, group in sections(docs, categories, today)]
    assert grouped == [("建筑装修", [5, 4, 3, 2]), ("保洁家政", [1]), ("其他", [6])]


@pytest.mark.parametrize(
    "name, short",
    [
        ("云江顺达建筑劳务有限公司", "云江顺达建筑劳务"),
        ("青川鑫盛建设工程股份有限公司", "青川鑫盛建设工程"),
        ("恒达永兴家电维修服务部", "恒达永兴家电维修服务部"),
        ("有限公司", "有限公司"),  # nothing left to show: kept whole
    ],
)
def test_an_employer_on_a_wall_loses_only_its_legal_form(name, short):
    assert short_employer(name) == short


def measure_chars(text: str, bold: bool) -> float:
    """A stand-in font 10 px a character (bold a little wider): enough to check the arithmetic."""
    return len(text) * (11 if bold else 10)


@pytest.mark.parametrize("width, lines", [(1200, 1), (420, 2)])
def test_pay_count_and_phone_are_never_cut_and_narrow_screens_take_two_lines(width, lines):
    items = [
        {"title": "钢筋工", "pay": "5800–6500元/月", "places": "12人", "employer": "某某", "place": "幸福路"},
        {"title": "保洁", "pay": "20元/小时", "places": "1人", "employer": "某", "place": "路"},
    ]
    headers = {"title": "岗位", "pay": "薪资", "places": "人数"}
    columns = table_columns(items, width, pad=6, em=10, measure=measure_chars, headers=headers, two_lines=lines == 2)
    assert columns.lines == lines
    assert columns.width("pay") >= measure_chars("5800–6500元/月", True)
    assert columns.width("places") >= measure_chars("12人", False)
    assert columns.width("phone") >= measure_chars("13888888888", False)
    for line in range(lines):  # each line's cells sit side by side inside the row
        cells = sorted((c.x, c.x + c.width) for c in columns.cells.values() if c.line == line)
        assert cells[0][0] >= 6 and cells[-1][1] <= width - 6 + 0.01
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(cells))


@pytest.mark.parametrize("size", [(1536, 384), (1920, 480), (2560, 640)])
def test_a_strip_shows_at_least_two_static_lines_at_a_legible_size(size):
    p = L.plan(*size, layout="ticker")
    floor = max(L.MIN_PX, L.WALL_FLOOR * min(size))
    assert p.rows >= 2 and p.body >= floor
    assert p.rows * p.line + 2 * p.pad <= size[1]
    assert p.body * L.TICKER_EMS <= size[0]  # a posting's line fits the strip's width


def test_the_market_layout_shows_fresh_figures_in_words_and_says_when_there_are_none():
    trades = {1: {"id": 1, "name": "钢筋工", "sort": 2}, 2: {"id": 2, "name": "保洁", "sort": 1}}
    doc = {
        "id": 1,
        "at": 1_800_000_000,
        "rates": [
            [1, "day", 30000, 32000, 35000, 40, True],
            [2, "hour", 2000, 2200, 2500, 9, False],
            [7, "day", 1, 2, 3, 99, False],
        ],
        "shortage": [[7, 50, 0, 50.0, "new"], [1, 30, 10, 3.0, "up"], [2, 12, 6, 2.0, "down"]],
    }
    view = market_view(doc, trades, 1_800_000_000 + 3600, rows=8)
    assert view["rates"] == [  # in the catalogue's order; a trade this wall does not know is left out
        {"trade": "保洁", "range": "20–25元/小时", "median": "22元/小时"},
        {"trade": "钢筋工", "range": "300–350元/天", "median": "320元/天 官方"},
    ]
    assert [(r["rank"], r["trade"], r["places"], r["workers"], r["trend"]) for r in view["shortage"]] == [
        ("1", "钢筋工", "要30人", "登记10人", "更缺了"),
        ("2", "保洁", "要12人", "登记6人", "好些了"),
    ]
    assert market_view(doc, trades, 1_800_000_000 + 15 * 86400, rows=8) == {"rates": [], "shortage": []}
    assert market_view(None, trades, 1_800_000_000, rows=8) == {"rates": [], "shortage": []}
    assert len(market_view(doc, trades, 1_800_000_000, rows=1)["rates"]) == 1  # the most postings first


def test_a_cards_code_names_the_walls_station():
    doc = {"id": 42, "title": "钢筋工", "employer": 1, "pay_min": 30000, "pay_max": 30000, "unit": "day"}
    today = dt.date(2026, 12, 3)
    assert item(doc, {}, {}, today, "https://hub.example.cn", station=3)["qr"] == "https://hub.example.cn/p/42?s=3"
    assert item(doc, {}, {}, today, "https://hub.example.cn")["qr"] == "https://hub.example.cn/p/42"
    assert item(doc, {}, {}, today, "")["qr"] == ""  # no hub address known: no code


def test_a_walls_qr_code_says_which_wall_and_page_it_was_on():
    from device.qr import wall_link

    url = "https://hub.example.cn/p/42"
    assert wall_link(f"{url}?s=3", 7, "cards") == f"{url}?s=3&d=7&p=cards"
    assert wall_link(url, 7, "booth") == f"{url}?d=7&p=booth"
    assert wall_link(url, 7, "") == f"{url}?d=7"
    assert wall_link(url, 0, "cards") == url  # not enrolled: no wall to name
    assert wall_link("", 7, "cards") == ""  # no hub address: no code


def test_a_portrait_screen_set_to_the_strip_layout_gives_each_posting_two_lines():
    p = L.plan(1080, 1920, layout="ticker")
    assert p.lines == 2 and p.body >= L.plan(1080, 1920, layout="table").small
    assert p.rows * p.line * p.lines + 2 * p.pad <= 1920
    # Each line holds half a posting as drawn: beside the section cell and its spacing, inside the
    # rows' padding (the room display.app gives table_columns).
    row = 1080 - p.small * L.SECTION_EMS - p.pad - 2 * p.pad
    assert row >= p.body * L.TICKER_EMS / 2


STRIP = ("title", "pay", "employer", "phone")
LONG_TITLE = "幸福里小区招家政服务员"


def strip_columns(items: list[dict], width: float):
    return table_columns(
        items, width, pad=5, em=10, measure=measure_chars, headers={}, fields=STRIP, two_lines=True, spare="employer"
    )


def test_a_two_line_strip_gives_a_long_title_the_first_line_and_the_pay_the_second():
    items = [
        {"title": LONG_TITLE, "pay": "35–40元/小时", "employer": "某某家政", "phone": "13800000000"},
        {"title": "保洁", "pay": "25–34元/小时", "employer": "某某", "phone": "13900000000"},
    ]
    columns = strip_columns(items, 235)  # the title would be cut beside the pay; pay and phone fit below
    assert columns.line("title") == 0 and columns.width("title") >= measure_chars(LONG_TITLE, True)
    assert columns.line("pay") == 1 and columns.width("pay") >= measure_chars("35–40元/小时", True)
    assert columns.line("phone") == 1 and "employer" not in columns.cells  # (the strip's spare)
    assert columns.x("pay") + columns.width("pay") <= columns.x("phone")
    assert columns.x("phone") + columns.width("phone") <= 235 - 5 + 0.01
    short = [{**i, "title": "保洁"} for i in items]
    roomy = strip_columns(short, 235)  # every title whole beside the pay: employer and phone below
    assert roomy.line("pay") == 0 and roomy.line("employer") == 1 and roomy.line("phone") == 1


@pytest.mark.parametrize("width", [200, 250, 300])
def test_a_two_line_strip_never_cuts_a_title_below_its_trade_word(width):
    """Where pay and phone do not fit one line the title shares its line with the pay, keeping its
    first four characters; narrower still it takes its line alone and the phone is given up."""
    items = [{"title": LONG_TITLE, "pay": "5800–6500元/月", "employer": "某某", "phone": "13800000000"}]
    columns = strip_columns(items, width)
    kept = measure_chars(LONG_TITLE[:4] + "...", True)  # (Kivy's ellipsis)
    assert columns.width("title") >= kept and columns.width("pay") >= measure_chars("5800–6500元/月", True)
    for line in (0, 1):
        cells = sorted((c.x, c.x + c.width) for c in columns.cells.values() if c.line == line)
        assert cells[0][0] >= 5 and cells[-1][1] <= width - 5 + 0.01
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(cells))


def test_a_strip_gives_up_the_employer_before_it_cuts_a_title():
    items = [{"title": "金桥工业园招普工操作工", "pay": "20–21元/小时", "employer": "某某", "phone": "13800000000"}]
    strip = ("title", "pay", "employer", "phone")
    kept = table_columns(items, 400, pad=5, em=10, measure=measure_chars, headers={}, fields=strip, spare="employer")
    assert "employer" not in kept.cells and kept.width("title") >= measure_chars(items[0]["title"], True)
    roomy = table_columns(items, 900, pad=5, em=10, measure=measure_chars, headers={}, fields=strip, spare="employer")
    assert "employer" in roomy.cells  # room for both: nothing given up


def chars(text: str) -> float:
    """A stand-in font: CJK 10 px, ASCII 5 px."""
    return sum(5 if c.isascii() else 10 for c in text)


@pytest.mark.parametrize("width", [60, 75, 100, 110, 130, 150, 200])
def test_chinese_lines_never_start_with_a_closing_mark_and_end_even(width):
    text = "今日下午停止一切户外作业，请到驿站大厅避雨，热水和充电免费提供（手机可在服务台充电）"
    lines = balanced(text, width, chars)
    assert "".join(lines) == text  # nothing lost, nothing added
    assert all(chars(line) <= width for line in lines)
    assert not any(line[0] in "，。）" for line in lines[1:])
    assert not any(line[-1] == "（" for line in lines)
    if len(lines) > 1:  # the last line is never one character alone
        assert len(lines[-1]) >= 2
    assert len(lines) == len(wrap(text, width, chars))  # balancing never adds a line
    if width >= 130:  # and where there is room to, it evens them out
        assert chars(lines[-1]) >= 0.5 * max(chars(line) for line in lines)


def test_numbers_and_times_are_never_split():
    lines = wrap("请于2026年12月5日08:30到青川区零工市场报到", 60, chars)
    assert any("08:30" in line for line in lines) and any("2026" in line for line in lines)


def frame(width, height, fill, spots=()):
    pixels = np.full((height, width, 4), 255, dtype=np.uint8)
    pixels[..., :3] = fill
    for x, y in spots:
        pixels[y : y + 40, x : x + 200, :3] = 255 - fill
    return pixels.tobytes()


def test_self_check_finds_black_and_frozen_frames():
    check = SelfCheck()
    assert check.check(frame(320, 180, 0), 320, 180, expected_change=False) == BLACK
    picture = frame(320, 180, 0, spots=[(10, 10), (100, 120)])
    assert check.check(picture, 320, 180, expected_change=False) == OK
    assert check.check(picture, 320, 180, expected_change=False) == OK  # same page, no turn: fine
    assert check.check(picture, 320, 180, expected_change=True) == FROZEN  # a turn was due
    assert check.check(frame(320, 180, 0, spots=[(50, 60)]), 320, 180, expected_change=True) == OK
    # an empty stage under a banner is still an empty stage
    banner = frame(320, 180, 0, spots=[(0, 150)])
    assert check.check(banner, 320, 180, expected_change=False, region=(0, 0, 320, 140)) == BLACK
    assert check.failures == 3


def test_proof_of_play_books_time_to_what_was_on_screen(tmp_path):
    store = DeviceStore(tmp_path / "wall.db")
    store.save_enrollment(
        Enrollment("h", 3, "t", "display", 1, sealed.public_key_text(sealed.generate_private_key())), 0
    )
    now = [1000.0]
    log = PlayLog(store, clock=lambda: now[0], every_s=3600)
    log.showing([1, 2])
    now[0] += 12
    log.showing([3])
    now[0] += 12
    log.showing([1, 2])
    now[0] += 6
    n = log.flush()
    [event] = store.outbox.pending()
    assert event["n"] == n and event["kind"] == "play"
    assert event["body"] == {"from": 1000.0, "to": 1030.0, "shown": [[1, 2, 18.0], [2, 2, 18.0], [3, 1, 12.0]]}
    assert log.flush() is None  # nothing shown since: no event
    now[0] += 5
    log.flush()  # what is still on screen keeps counting
    assert store.outbox.pending()[-1]["body"]["shown"] == [[1, 0, 5.0], [2, 0, 5.0]]
    store.close()


@pytest.mark.parametrize(
    "filters, doc, shown",
    [
        ({}, {"trade": 1, "category": 1}, True),
        ({"trades": [1]}, {"trade": 1, "category": 1}, True),
        ({"trades": [2]}, {"trade": 1, "category": 1}, False),
        ({"categories": [1]}, {"trade": 7, "category": 1}, True),  # the 钢筋工 sign's screen shows construction
        ({"trades": [9], "categories": [1]}, {"trade": 7, "category": 1}, True),
        ({"employer": 5}, {"employer": 6}, False),
        ({"urgent_only": True}, {"urgent": False}, False),
        ({"urgent_only": True}, {"urgent": True}, True),
        ({"today_only": True}, {"start": "2026-11-22"}, False),
        ({"today_only": True}, {"start": "2026-11-21"}, True),
        ({}, {"headcount": 3, "filled": 3}, False),  # full
    ],
)
def test_wall_filters(filters, doc, shown):
    import datetime as dt

    from display.content import wanted

    base = {
        "id": 1,
        "trade": 1,
        "category": 1,
        "employer": 5,
        "urgent": False,
        "headcount": 3,
        "filled": 0,
        "start": "2026-11-21",
    }
    assert wanted({**base, **doc}, filters, dt.date(2026, 11, 21)) is shown


def test_phone_as_configured():
    from display.content import phone_text

    assert phone_text("13912345678", "full") == "13912345678"
    assert phone_text("13912345678", "masked") == "139****5678"
    assert phone_text("13912345678", "hidden") == ""


# ---- 即时快招 (display.fast) --------------------------------------------------------------------
@pytest.mark.parametrize(
    "fast, at, phase",
    [
        ([100, 160, 1000], 99, ""),  # not yet
        ([100, 160, 1000], 100, "card"),  # interrupting the screen
        ([100, 160, 1000], 160, "lead"),  # first in its trade's pages
        ([100, 160, 1000], 1000, ""),  # lapsed, by the wall's own clock
        ([100, 100, 1000], 100, "lead"),  # a hub set to no interrupting card
        (None, 100, ""),
        ([100, 1000], 200, ""),  # whatever else a hub may send is no mark
        (["100", 160, 1000], 200, ""),
        ([True, 160, 1000], 200, ""),
        ([100, float("nan"), 1000], 200, ""),
        ([1000, 160, 100], 200, ""),
        ("100,160,1000", 200, ""),
    ],
)
def test_a_fast_mark_is_read_strictly_and_follows_the_walls_clock(fast, at, phase):
    from display import fast as fast_hiring

    assert fast_hiring.phase({"fast": fast}, at) == phase


def test_a_fast_posting_leads_its_trades_pages_while_marked():
    today = dt.date(2026, 12, 3)
    categories = [{"id": 1, "name": "建筑装修", "sort": 0}, {"id": 2, "name": "保洁家政", "sort": 1}]
    docs = [
        {"id": 1, "category": 1, "start": "2026-12-03", "urgent": True, "from": 5},
        {"id": 2, "category": 1, "start": "2026-12-20", "from": 9, "fast": [100, 160, 1000]},
        {"id": 3, "category": 2, "start": "2026-12-03", "from": 1},
    ]
    order = lambda now: [[d["id"] for d in group] for _name, group in sections(docs, categories, today, now)]
    assert order(500) == [[2, 1], [3]]  # first in its own trade's pages, not in another's
    assert order(1000) == [[1, 2], [3]]  # lapsed: back in its place
    fast_item = item(docs[1], {}, {}, today, "", now=500)
    assert fast_item["tags"][0] == "快招" and fast_item["urgent"]
    assert "快招" not in item(docs[1], {}, {}, today, "", now=1000)["tags"]


def test_the_fast_card_says_the_job_pay_place_and_phone_as_large_as_fits():
    from display import fast as fast_hiring
    from display.strings import tr

    card = {"title": "小区保洁", "pay": "180元/天", "places": "3人", "place": "锦绣花园", "phone": "13800001111"}
    four, two, one = fast_hiring.arrangements(card, tr)
    assert four == ["小区保洁", "180元/天", "招3人  锦绣花园", "电话 13800001111"]
    assert two == ["小区保洁   180元/天", "招3人  锦绣花园   电话 13800001111"]
    assert one == ["小区保洁   180元/天   招3人  锦绣花园   电话 13800001111"]
    assert fast_hiring.arrangements(card, tr, prefix="【快招】")[2][0].startswith("【快招】小区保洁")
    width_at_100 = lambda text: 100 * len(text)  # (a character as wide as the type is tall)
    lines = four
    size = fast_hiring.fit_size(lines, 1920, 1080, width_at_100, line_px=140, low=40, high=400)
    assert size * len("电话 13800001111") <= 1920 and size * 4 * 1.4 <= 1080
    assert size + 1 >= min(1920 / len("电话 13800001111"), 1080 / (4 * 1.4))  # and no smaller than that
    # A wide, short strip sets it in two lines, larger than four would be; a tall screen in four.
    assert fast_hiring.best_fit([four, two, one], 1536, 300, width_at_100, line_px=140, low=10, high=400)[1] == two
    assert fast_hiring.best_fit([four, two, one], 1080, 1900, width_at_100, line_px=140, low=10, high=400)[1] == four
    # A strip cuts its one line: it is offered only the ways that fit whole at its body size (the
    # not the one line at 384 px, too long for 1536 px at 44; none on a strip one line tall, which then
    # cuts the one line).
    assert fast_hiring.fitting([four, two, one], 1536, 384, width_at_100, line_px=140, low=44) == [four, two]
    assert fast_hiring.fitting([four, two, one], 1536, 80, width_at_100, line_px=140, low=44) == []
    assert fast_hiring.fit_size(lines, 100, 50, width_at_100, line_px=140, low=40, high=400) == 40  # the floor


def test_the_wall_knows_which_cards_interrupt_now_and_when_to_look_again(tmp_path):
    from display.content import WallData
    from wire import sealed

    store = DeviceStore(tmp_path / "device.db")
    store.save_enrollment(
        Enrollment("http://hub", 7, "tok", "display", 1, sealed.public_key_text(sealed.generate_private_key())),
        event_base=0,
    )
    base = {"trade": 1, "category": 1, "employer": 1, "headcount": 3, "filled": 0, "start": "2026-12-03",
            "from": 0, "to": 10_000, "title": "保洁", "pay_min": 18000, "pay_max": 18000, "unit": "day"}  # fmt: skip
    store.replace_all(
        5,
        [
            ("posting", {**base, "id": 1}),
            ("posting", {**base, "id": 2, "fast": [100, 160, 1000]}),
            ("posting", {**base, "id": 3, "fast": [120, 400, 2000]}),
        ],
    )
    clock = {"now": 130.0}
    data = WallData(store, clock=lambda: clock["now"])
    snap = data.refresh()
    assert [c["pid"] for c in snap.fast_cards] == [3, 2]  # the newest mark first
    assert snap.next_change == 160  # 2's card ends: the wall reads the store again then
    clock["now"] = 500.0
    snap = data.refresh()
    assert snap.fast_cards == [] and snap.next_change == 1000
    assert [i["pid"] for i in snap.items][:2] == [3, 2]  # both still lead the pages
    store.close()
