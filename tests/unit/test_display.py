"""The wall's pure parts: layout choice, text sizes, wall-clock paging, self-check, proof of play."""

import numpy as np
import pytest

from display import layout as L
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
    first.offer("v1", items)
    t0 = 1_800_000_003.0
    first.tick(t0)
    second.offer("v1", items)  # started 37 s later
    second.tick(t0 + 37)
    for t in (t0 + 40, t0 + 55.5, t0 + 123.4):
        first.tick(t)
        second.tick(t)
        assert first.index(t) == second.index(t) == page_index(t, 10.0, 5)
        assert first.current(t, {i["pid"] for i in items}) == second.current(t, {i["pid"] for i in items})


def test_new_content_waits_for_the_turn_and_closed_postings_leave_at_once():
    pager = Pager(10.0, 3)
    pager.offer("v1", [{"pid": i} for i in range(1, 10)])
    t = 1_800_000_000.0  # a turn boundary
    assert pager.tick(t)
    on_screen = [i["pid"] for i in pager.current(t, set(range(1, 10)))]
    pager.offer("v2", [{"pid": i} for i in range(100, 109)])
    assert [i["pid"] for i in pager.current(t + 4, set(range(1, 10)))] == on_screen  # no reflow mid-page
    assert [i["pid"] for i in pager.current(t + 4, set(range(1, 10)) - {on_screen[1]})] == [
        on_screen[0],
        on_screen[2],
    ]  # but a closed posting is struck at once
    assert not pager.tick(t + 9.9)
    assert pager.tick(t + 10) and pager.version == "v2"


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
