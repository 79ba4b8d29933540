"""Who sees which change: scopes, views, and tombstones for documents that leave a device's sight."""

import json

from hub.feed.cache import Entry
from hub.feed.scope import Scope, View, parse

KIOSK_AT_1 = View(device=10, station=1)
WALL_AT_2_CONSTRUCTION = View(device=11, station=2, categories=frozenset({1}))
BOOTH_OF_EMPLOYER_9 = View(device=12, station=1, employer=9)


def test_scope_json_round_trip():
    for s in (Scope(), Scope(stations=frozenset({3, 1}), trade=4, category=1, employer=9), Scope(device=5)):
        assert parse(s.to_json()) == s
    assert parse(None) is None


def test_views():
    everywhere = Scope(trade=4, category=1, employer=9)
    only_2 = Scope(stations=frozenset({2}), trade=30, category=6, employer=3)
    assert KIOSK_AT_1.sees("posting", everywhere)
    assert not KIOSK_AT_1.sees("posting", only_2)
    assert WALL_AT_2_CONSTRUCTION.sees("posting", everywhere)
    assert not WALL_AT_2_CONSTRUCTION.sees("posting", only_2)  # wrong category
    assert WALL_AT_2_CONSTRUCTION.sees("announcement", Scope(stations=frozenset({2})))  # filters: postings only
    assert BOOTH_OF_EMPLOYER_9.sees("posting", everywhere)
    assert not BOOTH_OF_EMPLOYER_9.sees("posting", Scope(employer=8))
    assert KIOSK_AT_1.sees("device", Scope(device=10))
    assert not KIOSK_AT_1.sees("device", Scope(device=11))


def _entry(op, scope, prev=None, doc='{"id":7}'):
    return Entry(seq=5, kind="posting", entity_id=7, op=op, doc=doc, scope=scope, prev=prev)


def test_put_tombstone_and_move_out_of_sight():
    at_1 = Scope(stations=frozenset({1}), trade=4, category=1, employer=9)
    at_2 = Scope(stations=frozenset({2}), trade=4, category=1, employer=9)
    put = json.loads(_entry("put", at_1).item_for(KIOSK_AT_1))
    assert put == {"seq": 5, "k": "posting", "id": 7, "op": "put", "d": {"id": 7}}
    assert _entry("put", at_2).item_for(KIOSK_AT_1) is None
    moved = json.loads(_entry("put", at_2, prev=at_1).item_for(KIOSK_AT_1))
    assert moved["op"] == "del" and moved["d"]["stations"] == [2] and moved["d"]["trade"] == 4
    gone = _entry("del", at_1, prev=at_1, doc='{"id":7,"reason":"closed","stations":[1],"trade":4}')
    assert json.loads(gone.item_for(KIOSK_AT_1))["d"]["reason"] == "closed"
    assert gone.item_for(View(device=1, station=3)) is None


def test_devices_that_see_the_same_things_share_one_encoded_answer():
    """A publish wakes every device at the same cursor: those seeing the same shared documents get
    the bytes the first one made (gzipped once), until the head moves; a device's own document
    makes its answer its own."""
    import gzip

    from hub.feed.cache import FeedCache

    feed = FeedCache(None, window=100, poll_s=1)
    everyone, station_2 = Scope(), Scope(stations=frozenset({2}))
    feed._append([Entry(1, "posting", 1, "put", json.dumps({"t": "x" * 2000}), everyone, None)])
    a, b, elsewhere = View(device=1, station=1), View(device=2, station=1), View(device=3, station=3)
    first = feed.answer(0, a, 1400)
    assert first[0] == 1 and first[2] is True and feed.answer(0, b, 1400)[1] is first[1]  # the same bytes
    assert json.loads(gzip.decompress(first[1]))["changes"][0]["id"] == 1
    assert feed.answer(0, a, None)[1] != first[1] and feed.answer(0, a, None)[2] is False  # no gzip asked

    feed._append([Entry(2, "posting", 2, "put", "{}", station_2, None)])
    assert feed.answer(1, a, 1400) == (2, None, False) and feed.answer(1, elsewhere, 1400)[1] is None
    mine = Scope(device=1)
    feed._append([Entry(3, "device", 1, "put", '{"layout":"cards"}', mine, None)])
    own, others = feed.answer(2, a, 1400), feed.answer(2, b, 1400)
    assert own[1] is not None and b'"layout"' in own[1] and others == (3, None, False)


def test_a_long_catch_up_is_not_kept_for_the_next_caller():
    """A device far behind gets its answer made for it alone: a body over ANSWER_KEEP_MAX is not
    kept (one device walking old cursors cannot pin memory until the next publish)."""
    from hub.feed import cache
    from hub.feed.cache import FeedCache

    feed = FeedCache(None, window=100, poll_s=1)
    feed._append([Entry(1, "posting", 1, "put", json.dumps({"t": "x" * (cache.ANSWER_KEEP_MAX + 10)}), Scope(), None)])
    view = View(device=1, station=1)
    first, again = feed.answer(0, view, None), feed.answer(0, view, None)
    assert first == again and first[1] is not again[1] and feed._answer_bytes == 0
