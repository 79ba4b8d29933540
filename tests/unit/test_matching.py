"""Matching: hard filters, ranking, reasons, and agreement with the naive SQL baseline."""

import datetime as dt
import math
import sqlite3
import time

import pytest

from kiosk.matching import UNPLACED_NEAR, WEIGHTS, PostingIndex, Worker, per_day_fen
from lingong.bench.baseline import naive_sql_match
from sync.store import DeviceStore, Enrollment
from wire import sealed

TODAY = dt.date(2026, 11, 21)
NOW = time.mktime((2026, 11, 21, 10, 0, 0, 0, 0, -1))
STATION = dict(station_id=1, station_lat=28.2280, station_lon=112.9390)


def posting(pid, **over):
    doc = {
        "id": pid,
        "title": f"岗位{pid}",
        "trade": 1,
        "category": 1,
        "employer": 1,
        "headcount": 5,
        "filled": 0,
        "pay_min": 30000,
        "pay_max": 35000,
        "unit": "day",
        "settle": "weekly",
        "start": "2026-11-28",
        "lat": 28.2280,
        "lon": 112.9390,
        "stations": None,
        "urgent": False,
        "from": NOW - 5 * 86400,
        "to": NOW + 5 * 86400,
        "age_min": None,
        "age_max": None,
    }
    doc.update(over)
    return doc


def ranked(docs, worker=None, **kw):
    index = PostingIndex(docs, today=TODAY, **STATION)
    return [m.posting["id"] for m in index.match(worker or Worker(), NOW, **kw)]


@pytest.mark.parametrize(
    "name, doc, worker, shown",
    [
        ("full", posting(1, filled=5), Worker(), False),
        ("expired", posting(1, to=NOW - 1), Worker(), False),
        ("not yet valid", posting(1, **{"from": NOW + 60}), Worker(), False),
        ("other station", posting(1, stations=[2, 3]), Worker(), False),
        ("this station", posting(1, stations=[1]), Worker(), True),
        ("too old", posting(1, age_max=50), Worker(age=55), False),
        ("too young", posting(1, age_min=18), Worker(age=17), False),
        ("age fits", posting(1, age_min=18, age_max=60), Worker(age=55), True),
        ("age unknown", posting(1, age_max=50), Worker(), True),
    ],
)
def test_hard_filters(name, doc, worker, shown):
    assert (ranked([doc], worker) == [1]) is shown, name


def test_sex_is_not_an_input():
    assert "sex" not in Worker.__dataclass_fields__


def test_exact_trade_beats_same_category_beats_other():
    docs = [posting(1, trade=9, category=2), posting(2, trade=5, category=1), posting(3, trade=4, category=1)]
    assert ranked(docs, Worker(trades=frozenset({4}), categories=frozenset({1}))) == [3, 2, 1]


def test_nearer_sooner_daily_urgent_rank_higher():
    far = posting(1, lat=28.40)  # about 19 km
    near = posting(2)
    assert ranked([far, near]) == [2, 1]
    assert ranked([posting(1, start="2026-12-20"), posting(2, start="2026-11-22")]) == [2, 1]
    assert ranked([posting(1), posting(2, settle="daily")]) == [2, 1]
    assert ranked([posting(1), posting(2, urgent=True)]) == [2, 1]
    assert ranked([posting(1, settle="monthly"), posting(2, settle="daily")], Worker(settlement="monthly")) == [1, 2]


def test_a_posting_without_a_place_of_its_own_says_and_weighs_no_distance():
    """Staff entered it without a point: it took the station's (or 0,0). No 离这里0.0公里 and no
    top of the list for it, nor thousands of km: its nearness is unknown, weighed as middling."""
    from kiosk.present import job_card

    at_the_door = posting(1)  # (a document from before the flag: its point taken as its own)
    took_the_station = posting(2, own_place=False)
    none_given = posting(3, lat=0.0, lon=0.0, own_place=False)
    index = PostingIndex([at_the_door, took_the_station, none_given], today=TODAY, **STATION)
    matches = {m.posting["id"]: m for m in index.match(Worker(), NOW)}
    assert matches[1].distance_km == 0.0 and "distance" in [r.code for r in matches[1].reasons]
    for pid in (2, 3):
        assert matches[pid].distance_km is None and "distance" not in [r.code for r in matches[pid].reasons]
        assert not any("公里" in c for c in job_card(matches[pid], "zh", {}, {})["chips"])
        lost = WEIGHTS["distance"] * (1.0 - UNPLACED_NEAR)  # what being at the door was worth
        assert matches[pid].score == pytest.approx(matches[1].score - lost)
    assert ranked([took_the_station, at_the_door]) == [1, 2]
    three_km = posting(4, lat=28.2280 + math.degrees(3 / 6371.0))  # near_part(3 km) is UNPLACED_NEAR
    assert matches[2].score == pytest.approx(
        PostingIndex([three_km], today=TODAY, **STATION).match(Worker(), NOW)[0].score
    )


def test_pay_is_compared_per_day_across_units():
    hourly = posting(1, unit="hour", pay_max=4000)  # 40 元/小时 ≈ 320 元/天
    daily = posting(2, unit="day", pay_max=25000)
    assert per_day_fen(4000, "hour") == 32000
    assert ranked([daily, hourly], Worker(pay_unit="day", pay_min_fen=30000)) == [1, 2]


def test_already_applied_sinks_to_the_end_and_says_so():
    index = PostingIndex([posting(1, urgent=True), posting(2)], today=TODAY, **STATION)
    matches = index.match(Worker(applied=frozenset({1})), NOW)
    assert [m.posting["id"] for m in matches] == [2, 1]
    assert matches[1].reasons[0].code == "applied"


def test_a_fast_hiring_posting_leads_the_list_while_marked():
    """即时快招: first for everyone it is open to, whatever their trade, chip 快招 first; not before
    its mark starts or after it lapses (the kiosk's clock); one applied to still sinks; hard
    filters still hold."""
    from kiosk.present import job_card

    marked = posting(3, trade=9, category=2, lat=28.40, urgent=True, fast=[NOW - 60, NOW + 540, NOW + 3600])
    docs = [posting(1), posting(2), marked]
    welder = Worker(trades=frozenset({1}), categories=frozenset({1}))
    assert ranked(docs, welder) == [3, 1, 2]
    index = PostingIndex(docs, today=TODAY, **STATION)
    first = index.match(welder, NOW)[0]
    assert first.reasons[0].code == "fast"
    card = job_card(first, "zh", {}, {})
    assert card["chips"][0] == "快招" and card["urgent"]
    assert "急招" not in card["chips"]  # 快招 already says it (one chip, not both)
    assert [m.posting["id"] for m in index.match(welder, NOW + 3600)] == [1, 2, 3]  # lapsed
    assert [m.posting["id"] for m in index.match(welder, NOW - 120)] == [1, 2, 3]  # not yet
    assert ranked(docs, Worker(trades=frozenset({1}), applied=frozenset({3}))) == [1, 2, 3]
    assert ranked([posting(1), {**marked, "age_max": 40}], Worker(age=55)) == [1]
    for nonsense in ("1,2,3", [NOW, NOW], [True, NOW, NOW + 60], None):
        assert ranked([posting(1), posting(2, fast=nonsense)]) == [1, 2]


def test_a_certificate_posting_leads_for_those_who_completed_its_course():
    """持证上岗: a posting that asks a certificate of a trade the worker completed a course in (结业)
    leads the list, chip 您有结业证 first; for anyone else it ranks as before; 快招 still leads it;
    once applied to it sinks like any other; the detail screen says a certificate is asked for."""
    from kiosk.present import detail, job_card

    asks = posting(3, trade=7, category=2, lat=28.40, cert=True)
    docs = [posting(1), posting(2), asks]
    welder = Worker(trades=frozenset({1}), categories=frozenset({1}))
    holder = Worker(trades=frozenset({1}), categories=frozenset({1}), certified=frozenset({7}))
    assert ranked(docs, welder) == [1, 2, 3]
    assert ranked(docs, holder) == [3, 1, 2]
    assert ranked(docs, Worker(certified=frozenset({8}))) == ranked(docs, Worker())  # another trade's course
    assert ranked([posting(1), posting(2), {**asks, "cert": False}], holder) == [1, 2, 3]  # asks none
    first = PostingIndex(docs, today=TODAY, **STATION).match(holder, NOW)[0]
    assert job_card(first, "zh", {}, {})["chips"][0] == "您有结业证"
    fast = posting(4, trade=9, category=3, lat=28.45, fast=[NOW - 60, NOW + 60, NOW + 3600])
    assert ranked([*docs, fast], holder)[:2] == [4, 3]
    assert ranked(docs, Worker(trades=frozenset({1}), certified=frozenset({7}), applied=frozenset({3}))) == [1, 2, 3]
    shown = detail(asks, "zh", TODAY, distance_km=None, employers={}, trades={}, qr_url="")
    assert shown["requirements"].startswith("持证上岗")


def test_reasons_become_chips():
    m = PostingIndex(
        [posting(1, trade=4, settle="daily", start="2026-11-22", lat=28.2469, urgent=True, **{"from": NOW - 3600})],
        today=TODAY,
        **STATION,
    ).match(Worker(trades=frozenset({4}), pay_unit="day", pay_min_fen=30000), NOW)[0]
    codes = {r.code: r.value for r in m.reasons}
    assert codes.keys() == {"trade", "distance", "daily", "starts", "urgent", "pay", "new"}
    assert codes["starts"] == 1 and 2.0 <= codes["distance"] <= 2.2


@pytest.mark.parametrize(
    "worker",
    [
        Worker(
            age=50,
            trades=frozenset({4, 7}),
            categories=frozenset({4}),
            pay_unit="day",
            pay_min_fen=30000,
            applied=frozenset({4, 44}),
        ),
        Worker(),  # nobody known: nothing chosen, no pay floor, nothing applied to
        Worker(age=30, categories=frozenset({2}), pay_unit="hour", pay_min_fen=2500, settlement="weekly"),
    ],
    ids=["known", "nobody", "category only"],
)
def test_top_k_of_many_agrees_with_the_sql_baseline(tmp_path, worker):
    docs = [
        posting(
            i,
            trade=i % 40,
            category=i % 8,
            lat=28.2 + (i % 97) / 1000,
            settle=("daily", "weekly")[i % 2],
            urgent=i % 13 == 0,
            start=(TODAY + dt.timedelta(days=i % 20)).isoformat(),
            pay_max=20000 + (i * 37) % 9000,
            unit=("day", "hour")[i % 5 == 0] if i % 5 else "day",
            stations=[1] if i % 7 else [2],
        )
        for i in range(1, 3001)
    ]
    got = ranked(docs, worker, limit=20)
    assert len(got) == 20 and len(set(got)) == 20
    # the naive single SQL statement over a real device store ranks the same
    store = DeviceStore(tmp_path / "device.db")
    store.save_enrollment(Enrollment("h", 1, "t", "kiosk", 1, sealed.public_key_text(sealed.generate_private_key())), 0)
    store.replace_all(1, [("posting", d) for d in docs])
    conn = sqlite3.connect(store.path)
    baseline = naive_sql_match(conn, worker, today=TODAY, now=NOW, **STATION)
    assert baseline == got


def test_ties_go_to_the_older_posting():
    docs = [posting(i) for i in (9, 3, 7, 5)]
    assert ranked(docs, limit=2) == [3, 5]
