"""The market's public figures from its own data: 零工岗位工资指导价位 (the weighted percentiles,
the threshold under which nothing is said, placements counted; /api/v1/market/pay-guide) and
紧缺工种 (places per worker looking, the trend, the threshold; /api/v1/market/shortage)."""

import datetime as dt
import itertools
import random

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from cardreader.fictional import person
from hub.applications import service as applications
from hub.applications.models import Application, ApplicationStatus
from hub.market import pay_guide, shortage
from hub.market.pay_guide import Rate, position, weighted_quantiles
from hub.postings.models import PayUnit, Posting
from hub.workers.models import Worker
from tests.integration.test_events import PERSON, application, event, post
from tests.support.hub import posting_body


def expanded_quantile(values: list[tuple[int, int]], q: float) -> int:
    """The same quantile the slow, obvious way: every value repeated by its weight."""
    flat = sorted(itertools.chain.from_iterable([v] * w for v, w in values))
    for i, v in enumerate(flat, start=1):
        if i >= q * len(flat):
            return v
    return flat[-1]


def test_quartiles_count_each_posting_by_its_places():
    # 300 for 1 place, 320 for 2, 400 for 1: 4 places in all
    values = [(30000, 1), (32000, 2), (40000, 1)]
    assert weighted_quantiles(values) == [30000, 32000, 32000]
    assert weighted_quantiles([(30000, 1), (32000, 1), (40000, 6)]) == [32000, 40000, 40000]
    assert weighted_quantiles([]) == []


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 20)), min_size=1, max_size=40))
def test_quartiles_agree_with_the_obvious_definition(values):
    low, median, high = weighted_quantiles(values)
    assert low <= median <= high
    assert (low, median, high) == tuple(expanded_quantile(values, q) for q in (0.25, 0.5, 0.75))


def test_a_posting_is_placed_low_middle_or_high_against_its_trade():
    rate = Rate(1, PayUnit.DAY, 28000, 32000, 36000, 9, 0)
    assert position(rate, 20000, 30000) == "low"  # pays 250 where a quarter of the market pays 280 or less
    assert position(rate, 28000, 36000) == "middle"
    assert position(rate, 36000, 40000) == "high"


def unused_trade_and_unit(hub) -> tuple[int, str]:
    """A trade and unit no seeded posting uses, so the figures are the test's alone."""
    with hub.app.state.db.read() as session:
        used = set(session.execute(select(Posting.trade_id, Posting.pay_unit).distinct()))
    for trade_id in range(1, 30):
        for unit in ("lesson", "piece", "hour", "month", "day"):
            if (trade_id, PayUnit(unit)) not in used:
                return trade_id, unit
    raise AssertionError("every trade and unit has seeded postings")


def five_postings(hub, trade_id: int, unit: str, headcount: int = 1) -> list[int]:
    """Postings paying 200, 220, 240, 260 and 280 (per `unit`): enough for a figure, its middle
    half 220–260."""
    return [
        hub.ok(
            "POST",
            "/api/v1/postings",
            json=posting_body(trade_id, pay_unit=unit, pay_min_fen=low, pay_max_fen=low, headcount=headcount),
        )["id"]
        for low in (20000, 22000, 24000, 26000, 28000)
    ]


def rate_of(hub, trade_id: int, unit: str) -> dict | None:
    answer = hub.client.get("/api/v1/market/pay-guide")  # public: no staff header
    assert answer.status_code == 200
    body = answer.json()
    assert body["window_days"] == pay_guide.WINDOW_DAYS and body["min_postings"] == pay_guide.MIN_POSTINGS
    return next((r for r in body["rates"] if r["trade"] == trade_id and r["unit"] == unit), None)


def test_the_public_pay_guide_follows_postings_and_placements(hub):
    trade_id, unit = unused_trade_and_unit(hub)
    pays = [(20000, 22000, 1), (24000, 26000, 2), (28000, 30000, 1), (30000, 34000, 3)]
    ids = [
        hub.ok("POST", "/api/v1/postings", json=posting_body(trade_id, **pay))["id"]
        for pay in (dict(pay_min_fen=a, pay_max_fen=b, headcount=n, pay_unit=unit) for a, b, n in pays)
    ]
    assert rate_of(hub, trade_id, unit) is None  # four postings: too few to speak for the market

    ids.append(
        hub.ok(
            "POST",
            "/api/v1/postings",
            json=posting_body(trade_id, pay_min_fen=40000, pay_max_fen=40000, headcount=1, pay_unit=unit),
        )["id"]
    )
    # middles 210, 250 ×2, 290, 320 ×3, 400: eight places
    rate = rate_of(hub, trade_id, unit)
    assert rate is not None, "five postings give a figure"
    assert (rate["low"], rate["median"], rate["high"]) == (250.0, 290.0, 320.0)
    assert rate["postings"] == 5 and rate["placements"] == 0
    assert rate["source"] == "market" and rate["official"] is False
    assert rate["unit_name"].startswith("元/")

    # Two workers placed through the best-paid posting: pay that was taken counts twice more.
    device_id, device = hub.device()
    other = person(random.Random(5))
    answers = post(
        hub,
        device,
        [
            application(hub, device_id, 1, posting=ids[-1]),
            application(hub, device_id, 2, posting=ids[-1], person={**PERSON, "id_number": other.id_number}),
        ],
    ).json()
    assert {r["status"] for r in answers["results"]} == {"applied"}
    with hub.app.state.db.write() as session:
        placed = list(session.scalars(select(Application.id).where(Application.posting_id == ids[-1])))
        for application_id in placed:
            applications.set_status(session, application_id, ApplicationStatus.HIRED, hub.settings.tz)
    rate = rate_of(hub, trade_id, unit)
    assert rate["placements"] == 2
    assert (rate["low"], rate["median"], rate["high"]) == (250.0, 320.0, 400.0)


def quiet_trades(hub, count: int) -> list[int]:
    """Trades with no seeded posting in the last two windows and no seeded worker wanting them."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=2 * shortage.WINDOW_DAYS + 1)
    with hub.app.state.db.read() as session:
        busy = set(session.scalars(select(Posting.trade_id).where(Posting.valid_from >= since)))
        for intention in session.scalars(select(Worker.intention)):
            busy |= set((intention or {}).get("trades") or ())
    quiet = [t for t in range(1, 60) if t not in busy][:count]
    assert len(quiet) == count, "the seed uses nearly every trade"
    return quiet


def shortage_of(hub, trade_id: int) -> dict | None:
    answer = hub.client.get("/api/v1/market/shortage")  # public: no staff header
    assert answer.status_code == 200
    body = answer.json()
    assert body["window_days"] == shortage.WINDOW_DAYS and len(body["trades"]) <= shortage.TOP
    return next((t for t in body["trades"] if t["trade"] == trade_id), None)


def test_shortage_is_places_per_worker_looking_with_its_trend(hub):
    short, small = quiet_trades(hub, 2)
    now = dt.datetime.now(dt.UTC)
    for headcount in (4, 4, 4):
        hub.ok("POST", "/api/v1/postings", json=posting_body(short, headcount=headcount))
    hub.ok("POST", "/api/v1/postings", json=posting_body(small, headcount=9))
    found = shortage_of(hub, short)
    assert found is not None and found["places"] == 12 and found["workers"] == 0
    assert found["ratio"] == 12.0 and found["trend"] == "new"  # nobody asked for it: counted as one
    assert shortage_of(hub, small) is None  # nine places make no shortage

    device_id, device = hub.device()
    people = [person(random.Random(seed)) for seed in (11, 12, 13)]
    intention = {"trades": [short], "districts": [], "availability": []}
    registrations = [
        event(
            n,
            "registration",
            {
                "intention": intention,
                "person": hub.seal(
                    {**PERSON, "id_number": p.id_number, "consent": False}, device_id, "registration", n
                ),
            },
        )
        for n, p in enumerate(people, start=1)
    ]
    assert {r["status"] for r in post(hub, device, registrations).json()["results"]} == {"applied"}
    found = shortage_of(hub, short)
    assert (found["places"], found["workers"], found["ratio"]) == (12, 3, 4.0)

    # The month before, 20 places and nobody looking: the shortage has eased since.
    before = now - dt.timedelta(days=shortage.WINDOW_DAYS + 10)
    window = dict(valid_from=before.isoformat(), valid_to=(before + dt.timedelta(days=5)).isoformat())
    for _ in range(2):
        hub.ok("POST", "/api/v1/postings", json=posting_body(short, headcount=10, **window))
    found = shortage_of(hub, short)
    assert found["previous_ratio"] == 20.0 and found["trend"] == "down"


def test_the_market_bench_measures_both_figures(tmp_path):
    import argparse

    from lingong.bench.market import bench_market

    result = bench_market(argparse.Namespace(workers=3000, postings=600, runs=1, find_runs=5, database=""))
    print(result)  # the figures are the bench's to report; here only that it measured real work
    assert result["placements"] == 30 and result["pay_guide_rates"] > 0 and result["shortage_trades"] > 0
    assert result["pay_guide_max_ms"] > 0 and result["shortage_max_ms"] > 0
    assert result["find_people_runs"] == 5 and result["find_people_max_ms"] > 0  # 岗位找人 (hub.outreach)


def test_an_official_rate_wins_and_only_administrators_set_it(hub):
    from hub.market import publish
    from tests.integration.test_figures import snapshot

    trade_id, unit = unused_trade_and_unit(hub)
    five_postings(hub, trade_id, unit)
    path = f"/api/v1/market/official-rates/{trade_id}/{unit}"
    rate = {"low_fen": 25000, "median_fen": 28000, "high_fen": 32000, "source": "云江市人社局2026年指导价位"}
    assert hub.client.put(path, json=rate).status_code == 401  # not signed in
    bad = hub.client.put(path, json={**rate, "low_fen": 40000}, headers=hub.staff)
    assert bad.status_code == 422  # low above the middle
    blank = hub.client.put(path, json={**rate, "source": "   \u3000 "}, headers=hub.staff)
    assert blank.status_code == 422 and blank.json()["field"] == "source"  # 官方 must name its source
    missing = hub.client.put(f"/api/v1/market/official-rates/99999/{unit}", json=rate, headers=hub.staff)
    assert missing.status_code == 404 and missing.json()["code"] == "market.trade_unknown"
    assert hub.client.put(path, json=rate, headers=hub.staff).status_code == 204
    published = rate_of(hub, trade_id, unit)
    assert (published["low"], published["median"], published["high"]) == (250.0, 280.0, 320.0)
    assert published["official"] is True and published["source"] == rate["source"]
    assert published["postings"] == 5  # the market's own count stays beside it

    _, device = hub.device("display")
    [market] = [d for k, d in snapshot(hub, device)[1] if k == "market"]  # published at once
    assert [trade_id, unit, 25000, 28000, 32000, 5, True] in market["rates"]
    assert publish.once(hub.app.state.db) is False

    assert hub.client.delete(path, headers=hub.staff).status_code == 204
    back = rate_of(hub, trade_id, unit)
    assert back["official"] is False and back["median"] == 240.0
    assert hub.client.delete(path, headers=hub.staff).status_code == 404
