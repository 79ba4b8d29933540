"""Registered workers ranked for one posting (hub.outreach.matching): who fits, in what order, why."""

import datetime as dt

from hub.outreach.matching import AVAILABILITY, PostingFacts, TopUp, WorkerIndex, WorkerRow, availability_bits

TODAY = dt.date(2026, 12, 3)  # a Thursday
CATEGORY = {1: 10, 2: 10, 3: 20}
POSTING = PostingFacts(
    id=7, trade=1, category=10, district="青川区", pay_max_fen=30000, pay_unit="day", settlement="daily",
    work_start=TODAY, work_end=TODAY, lat=28.23, lon=112.94,
)  # fmt: skip


def row(wid, helped=False, lat=28.23, lon=112.94, **wish):
    return WorkerRow(wid, wish, lat, lon, helped=helped)


def ids(ranked):
    return [r.worker_id for r in ranked]


def test_only_workers_whose_wishes_fit_are_ranked():
    index = WorkerIndex(
        [
            row(1, trades=[1]),
            row(2, trades=[2]),  # same category
            row(3, trades=[3]),  # another category
            row(4, trades=[1], pay_unit="day", pay_min_fen=35000),  # wants more than it pays
            row(5, trades=[1], pay_unit="hour", pay_min_fen=3000),  # 30 元/小时 = 240 元/天: fits
            row(6, trades=[1], districts=["别的区"]),
            row(7, trades=[1], districts=["别的区", "青川区"]),
            row(8, trades=[1], availability=["long_term"]),  # a one-day job
            row(9, trades=[1], availability=["today", "long_term"]),
            row(10),  # said no trade
        ],
        CATEGORY,
    )
    ranked, found = index.rank(POSTING, TODAY)
    assert set(ids(ranked)) == {1, 2, 5, 7, 9} and found == 5
    assert ids(ranked)[-1] == 2  # the same category comes after the trade itself
    ranked, found = index.rank(POSTING, TODAY, applied=frozenset({1, 999}))
    assert 1 not in ids(ranked) and found == 4


def test_nearer_first_help_before_all_and_reasons_said():
    index = WorkerIndex(
        [
            row(1, trades=[1], lat=28.5, lon=113.3),  # some 45 km away
            row(2, trades=[1]),
            row(3, trades=[2], helped=True),
            row(4, trades=[1], lat=None, lon=None),  # a station without a place
        ],
        CATEGORY,
    )
    ranked, _ = index.rank(POSTING, TODAY, limit=3)
    assert ids(ranked) == [3, 2, 4] and ranked[0].helped and not ranked[1].helped
    codes = [r.code for r in ranked[1].reasons]
    assert codes == ["trade", "distance", "daily", "starts", "new"] and ranked[1].reasons[1].value == 0.0
    assert "distance" not in [r.code for r in ranked[2].reasons]
    assert ranked[1].score > ranked[2].score


def test_availability_of_a_posting():
    one_day = availability_bits(POSTING, TODAY)
    assert one_day == AVAILABILITY["today"] | AVAILABILITY["week"]
    day = TODAY + dt.timedelta(days=2)
    assert day.weekday() == 5
    saturday = PostingFacts(**{**POSTING.__dict__, "work_start": day, "work_end": day})
    assert availability_bits(saturday, TODAY) == AVAILABILITY["week"] | AVAILABILITY["weekends"]
    open_ended = PostingFacts(**{**POSTING.__dict__, "work_start": TODAY + dt.timedelta(days=20), "work_end": None})
    assert availability_bits(open_ended, TODAY) == AVAILABILITY["weekends"] | AVAILABILITY["long_term"]


def test_nobody_registered_ranks_nobody():
    assert WorkerIndex([], CATEGORY).rank(POSTING, TODAY) == ([], 0)


def test_a_topped_up_index_ranks_as_one_built_afresh():
    base = [row(i, trades=[1 if i % 3 else 2], lat=28.23 + i / 100) for i in range(1, 40)]
    since = [row(5, trades=[3]), row(7, trades=[1], lat=28.0), row(50, trades=[1], helped=True), row(51, trades=[2])]
    topped = TopUp(WorkerIndex(base, CATEGORY), WorkerIndex(since, CATEGORY).with_helped(frozenset({50})))
    latest = {r.id: r for r in base} | {r.id: r for r in since}
    fresh = WorkerIndex(list(latest.values()), CATEGORY).with_helped(frozenset({50}))
    for limit in (5, 100):
        a, found_a = topped.rank(POSTING, TODAY, applied=frozenset({2}), limit=limit)
        b, found_b = fresh.rank(POSTING, TODAY, applied=frozenset({2}), limit=limit)
        assert ids(a) == ids(b) and found_a == found_b and a[0].worker_id == 50 and a[0].helped
    assert 5 not in ids(topped.rank(POSTING, TODAY)[0])  # now wants another trade: the newer row wins
    assert topped.size == fresh.size == 41


def test_for_a_certificate_posting_those_who_completed_its_course_come_first():
    """持证上岗: workers certified in its trade (结业) lead the call list, before graded help; for a
    posting that asks none the same marks change nothing; a top-up ranks them as one index does."""
    rows = [row(1, trades=[1]), row(2, trades=[2], lat=28.5, lon=113.3), row(3, trades=[1], helped=True)]
    index = WorkerIndex(rows, CATEGORY)
    asks = PostingFacts(**{**POSTING.__dict__, "certificate": True})
    ranked, found = index.rank(asks, TODAY, certified=frozenset({2}))
    assert ids(ranked) == [2, 3, 1] and found == 3 and ranked[0].certified and not ranked[1].certified
    assert ids(index.rank(POSTING, TODAY, certified=frozenset({2}))[0]) == [3, 1, 2]
    topped = TopUp(WorkerIndex(rows[:2], CATEGORY), WorkerIndex(rows[2:], CATEGORY))
    assert ids(topped.rank(asks, TODAY, certified=frozenset({2}))[0]) == [2, 3, 1]
