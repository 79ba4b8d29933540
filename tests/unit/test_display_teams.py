"""零工团队上墙 on a lobby screen: a team's card (its trades by name, 队长 王** · 6人, 已接单N单, and a code
of the household order page addressed to it, built from the wall's own hub address and the team's id
only), the card slot it takes on the cards layout's pages and nowhere else, each team in its turn by
the wall clock, and never a posting: not paged, booked or counted as one."""

import pytest

from display import teams as T
from display.content import WallData
from display.proof import PlayLog
from display.rotation import Pager
from sync.store import DeviceStore, Enrollment
from wire import sealed

HUB = "https://hub.example.cn"
TRADES = {1: {"id": 1, "name": "管道工"}, 2: {"id": 2, "name": "电工"}, 3: {"id": 3, "name": "安装师傅"}}


def team(ident=1, **over):
    return {"id": ident, "name": "老王水电安装队", "station": 1, "trades": [1, 2, 3], "leader": "王**",
            "members": 6, "districts": "青川区、滨江区", "done": 12, **over}  # fmt: skip


def postings(n):
    return [{"pid": i, "title": f"岗位{i}"} for i in range(1, n + 1)]


def test_a_teams_card_says_what_it_does_who_leads_it_and_how_many_orders_it_has_done():
    card = T.team_card(team(), TRADES, HUB)
    assert card["viewclass"] == "TeamCard" and card["name"] == "老王水电安装队"
    assert card["trades"] == "管道工、电工、安装师傅"  # by name, in the team's order
    assert card["leader"] == "队长 王** · 6人"
    assert card["districts"] == "青川区、滨江区" and card["done"] == "已接单12单"
    assert card["qr"] == "https://hub.example.cn/o/new?team=1"
    assert card["pid"] == -1  # never a posting's id: pages are compared by it
    assert T.team_card(team(trades=[2, 99]), TRADES, HUB)["trades"] == "电工"  # a trade this wall does not know
    assert T.team_card(team(done=0), TRADES, HUB)["done"] == "已接单0单"


def test_a_teams_code_is_built_from_the_walls_hub_address_and_its_integer_id_only():
    forged = team(7, qr="https://evil.example/x", url="javascript:alert(1)", public_url="https://evil.example")
    assert T.team_card(forged, TRADES, HUB)["qr"] == "https://hub.example.cn/o/new?team=7"
    for ident in ("7", "7&station=2", 7.0, True, 0, -3, None):  # not shaped as the hub sends one: no card
        assert T.team_card(team(ident), TRADES, HUB) is None, ident
    assert T.team_card(team(), TRADES, "") is None  # no hub address: nothing to order it at


def test_the_station_has_its_teams_in_the_order_they_were_put_up():
    docs = [team(5, name="巧手家政小组"), team(2), team(9, station=4)]  # (9: another station's, out of place)
    assert [c["team"] for c in T.team_cards(docs, TRADES, HUB, station=1)] == [2, 5]
    assert T.team_cards(docs, TRADES, "", station=1) == []


@pytest.mark.parametrize(
    "per_page, layout, teams, slots",
    [
        (6, "cards", True, 5),  # a lobby screen's page: one card for the team
        (10, "cards", True, 9),
        (T.MIN_SLOTS - 1, "cards", True, T.MIN_SLOTS - 1),  # the postings keep their fewest a page
        (6, "cards", False, 6),  # no teams: every card a posting
        (6, "booth", True, 6),  # one employer's screen
        (12, "table", True, 12),  # no codes on a table
    ],
)
def test_a_team_takes_one_card_of_a_lobby_screens_page(per_page, layout, teams, slots):
    assert T.posting_slots(per_page, layout, [T.team_card(team(), TRADES, HUB)] if teams else []) == slots


def test_the_team_rides_along_last_on_each_page_where_there_is_room():
    cards = T.team_cards([team(1), team(2, name="巧手家政小组")], TRADES, HUB, station=1)
    page = T.with_team(postings(5), cards, layout="cards", per_page=6, now=0, dwell_s=12)
    assert [c["pid"] for c in page] == [1, 2, 3, 4, 5, -1]
    short = T.with_team(postings(2), cards, layout="cards", per_page=6, now=0, dwell_s=12)  # a section's last
    assert [c["pid"] for c in short] == [1, 2, -1]
    # A page paged before the teams came up is full: the team comes with the next turn.
    assert T.with_team(postings(6), cards, layout="cards", per_page=6, now=0, dwell_s=12) == postings(6)
    assert T.with_team(postings(5), cards, layout="booth", per_page=6, now=0, dwell_s=12) == postings(5)
    assert T.with_team(postings(1), cards, layout="cards", per_page=2, now=0, dwell_s=12) == postings(1)
    assert T.with_team(postings(5), [], layout="cards", per_page=6, now=0, dwell_s=12) == postings(5)


def test_teams_take_turns_by_the_wall_clock_each_in_its_turn():
    cards = T.team_cards([team(1), team(2), team(3)], TRADES, HUB, station=1)
    shown = [T.team_on(cards, now, 12)["team"] for now in range(0, 12 * 6, 12)]
    assert shown == [1, 2, 3, 1, 2, 3]  # the next one at every page turn
    assert T.team_on(cards, 12 * 4 + 11.9, 12)["team"] == 2  # the same all through the turn
    assert T.team_on([], 0, 12) is None
    # Two walls in the hall: the same team at the same moment, with no link between them.
    assert T.team_on(cards, 1_800_000_005, 12) == T.team_on(list(cards), 1_800_000_005, 12)


def test_pages_of_postings_with_a_team_never_overflow_the_grid_and_every_posting_is_shown():
    per_page, cards = 6, [T.team_card(team(), TRADES, HUB)]
    pager = Pager(12, T.posting_slots(per_page, "cards", cards))
    pager.offer("v1", [("建筑装修", postings(13)), ("家政保洁", postings(3))])
    seen = []
    for turn in range(len(pager.pages)):
        pager.tick(turn * 12)
        items = pager.current(turn * 12, set(range(1, 20)))
        page = T.with_team(items, cards, layout="cards", per_page=per_page, now=turn * 12, dwell_s=12)
        assert len(page) <= per_page and page[-1]["pid"] == -1
        seen += [c["pid"] for c in page if c["pid"] > 0]
    assert sorted(seen) == sorted([*range(1, 14), *range(1, 4)])


def test_a_team_card_is_never_booked_as_a_posting(tmp_path):
    """display.app books the pager's postings after adding the team to the page: adding it leaves
    that list as it was, and what is booked (and flushed as a play event) holds no team."""
    store = wall_store(tmp_path)
    plays = PlayLog(store, clock=lambda: 100.0)
    items = postings(5)
    cards = T.team_cards([team()], TRADES, HUB, 1)
    page = T.with_team(items, cards, layout="cards", per_page=6, now=0, dwell_s=12)
    assert len(page) == 6 and items == postings(5)
    plays.showing([i["pid"] for i in items])
    assert plays.on_screen == (1, 2, 3, 4, 5)
    assert plays.flush() is not None
    shown = store.outbox.pending()[-1]["body"]["shown"]
    assert [row[0] for row in shown] == [1, 2, 3, 4, 5]
    store.close()


def wall_store(tmp_path) -> DeviceStore:
    store = DeviceStore(tmp_path / "device.db")
    key = sealed.public_key_text(sealed.generate_private_key())
    store.save_enrollment(Enrollment("http://hub", 7, "tok", "display", 1, key), event_base=0)
    return store


def test_the_wall_reads_its_stations_teams_and_counts_only_postings(tmp_path):
    store = wall_store(tmp_path)
    posting = {"id": 11, "trade": 1, "category": 1, "employer": 1, "headcount": 3, "filled": 0, "from": 0,
               "to": 10_000, "title": "水电工", "pay_min": 30000, "pay_max": 30000, "unit": "day"}  # fmt: skip
    trades = [("trade", t) for t in TRADES.values()]
    store.replace_all(5, [*trades, ("posting", posting)])
    data = WallData(store, public_url=HUB + "/", clock=lambda: 100.0)
    without = data.refresh()
    assert without.teams == []
    store.replace_all(6, [*trades, ("posting", posting), ("team", team(3)), ("team", team(4, station=2))])
    snap = data.refresh()
    assert [c["team"] for c in snap.teams] == [3] and snap.teams[0]["qr"] == f"{HUB}/o/new?team=3"
    assert snap.teams[0]["trades"] == "管道工、电工、安装师傅"
    # Teams coming up re-page a lobby screen (a card fewer for postings): the pages' version says so.
    assert snap.version != without.version
    # Not a posting: not in the pages, the live postings (在招岗位) or their expiry.
    assert [i["pid"] for i in snap.items] == [11] and data.live_ids(100.0) == frozenset({11})
    store.close()


@pytest.mark.parametrize(
    "text, width, most, lines",
    [
        ("管道工、电工、安装师傅", 70, 2, ["管道工、电工、", "安装师傅"]),  # broken after a 、, the longer line first
        ("管道工、电工、安装师傅", 110, 2, ["管道工、电工、安装师傅"]),
        ("管道工、电工、安装师傅", 100, 1, ["管道工、电工等"]),  # whole trades and 等, not 安装…
        ("管道工、电工、安装师傅", 30, 1, ["管道…"]),  # not even one whole: cut, with its sign
        ("扫码请这个团队干活", 60, 2, ["扫码请这个", "团队干活"]),  # even lines, not 扫码请这个团 / 队干活
        ("扫码请这个团队干活", 30, 2, ["扫码请", "这个…"]),
        ("", 50, 2, [""]),
    ],
)
def test_a_cards_texts_are_set_on_their_lines_as_a_reader_expects(text, width, most, lines):
    measure = lambda t: 10 * len(t)  # (a character ten pixels wide)
    assert T.set_lines(text, width, most, measure) == lines
    assert all(measure(line) <= width for line in lines)
