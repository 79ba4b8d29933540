"""The demo data's building blocks: credit codes, phone numbers, places, which employers hire for
which trades, and one posting (shared by the present postings and the month of history)."""

from __future__ import annotations

import datetime as dt
import math
import random

from hub.employers import creditcode
from hub.employers.models import Employer
from hub.postings.models import PayUnit, Posting, PostingStatus, Settlement
from hub.stations.models import Station
from hub.trades.models import Trade

from . import words as w

# GB 11714 organisation code (positions 9–17 of a credit code): weights and check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# Trades whose work asks for a certificate in law (特种作业操作证: 电工、焊工、叉车): 持证上岗.
CERTIFIED = frozenset({"electrician", "welder", "forklift"})


def credit_code(rng: random.Random, individual: bool = False) -> str:
    """A well-formed unified social credit code (both check characters hold); fictional."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(int(c) * wt for c, wt in zip(body, _ORG_WEIGHTS))
    org_check = 11 - total % 11
    org = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    first17 = ("92" if individual else "91") + w.ADMIN_DIVISION + org
    return first17 + creditcode.check_char(first17)


def phone(rng: random.Random) -> str:
    return rng.choice(w.MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def trades_of(employer_name: str) -> list[str]:
    """The trades an employer of the demo hires for, read from what its name says it is."""
    for suffix, trades in w.EMPLOYER_KINDS:
        if employer_name.endswith(suffix):
            return trades
    return next((trades for shop, trades in w.HOUSEHOLD_SHOPS.items() if employer_name.endswith(shop)), [])


def near(rng: random.Random, spread_km: float) -> tuple[float, float]:
    lat0, lon0 = w.CENTRE
    r, a = spread_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return (
        round(lat0 + r * math.cos(a) / 111.0, 6),
        round(lon0 + r * math.sin(a) / (111.0 * math.cos(math.radians(lat0))), 6),
    )


def contact(rng: random.Random) -> str:
    return rng.choice(w.SURNAMES) + rng.choice(w.TITLES)


def posting(
    rng: random.Random, trade: Trade, employer: Employer, stations: list[Station], now: dt.datetime, tz: dt.tzinfo
) -> Posting:
    """One posting of `trade` by `employer` as it would stand at `now`: mostly open, a few expired,
    full or closed."""
    low, high, unit = rng.choice(w.PAY[trade.slug])
    step = {"month": 100, "day": 10, "lesson": 10}.get(unit, 1)  # postings quote round figures
    pay_min = rng.randint(low, max(low, (low + high) // 2)) // step * step
    pay_max = max(pay_min, rng.randint(pay_min, high) // step * step)
    headcount = rng.choice([1, 1, 2, 2, 3, 5, 8, 10, 20])
    today = now.astimezone(tz).date()
    start = today + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 7, 14]))
    lat, lon = near(rng, 12.0)
    place = rng.choice(w.TRADE_PLACES.get(trade.slug) or w.PLACES[trade.category.slug])
    local_stations = [s for s in stations if math.dist((s.lat, s.lon), (lat, lon)) < 0.03]
    roll = rng.random()
    valid_from = now - dt.timedelta(hours=rng.randint(1, 240))
    valid_to = now + dt.timedelta(days=rng.randint(2, 30))
    if roll < 0.05:  # expired in the last two days
        valid_to = now - dt.timedelta(hours=rng.randint(1, 48))
        valid_from = valid_to - dt.timedelta(days=rng.randint(3, 14))
    made = Posting(
        title=rng.choice(w.TITLE_FORMS).format(trade=trade.name, place=place.removesuffix("工地"), n=headcount)[:40],
        trade=trade,
        trade_id=trade.id,
        employer_id=employer.id,
        headcount=headcount,
        filled=rng.randint(0, headcount - 1) if headcount > 1 else 0,
        pay_min_fen=pay_min * 100,
        pay_max_fen=pay_max * 100,
        pay_unit=PayUnit(unit),
        settlement=Settlement(rng.choice(w.SETTLEMENT_BY_UNIT[unit])),
        work_start=start,
        work_end=start + dt.timedelta(days=rng.choice([0, 1, 6, 29, 89])) if unit != "month" else None,
        daily_hours=rng.choice(w.HOURS[unit]),
        district=w.DISTRICT,
        address=f"{rng.choice(w.STREETS)}{rng.randint(1, 500)}号 {place}",  # the district is its own field
        lat=lat,
        lon=lon,
        all_stations=not local_stations or rng.random() < 0.7,
        contact_person=contact(rng),
        contact_phone=phone(rng),
        requirements="，".join(rng.sample(w.REQUIREMENTS[trade.category.slug], k=rng.randint(1, 3))),
        benefits="，".join(rng.sample(w.BENEFITS, k=rng.randint(0, 3))),
        urgent=rng.random() < 0.15,
        certificate=trade.slug in CERTIFIED,
        status=PostingStatus.OPEN,
        valid_from=valid_from,
        valid_to=valid_to,
        created_at=valid_from,  # published when it started showing, not when the seed ran
        updated_at=valid_from,
    )
    if not made.all_stations:
        made.stations = local_stations
    if rng.random() < 0.3:
        made.age_min, made.age_max = rng.choice([(18, 45), (18, 55), (20, 60), (25, 50)])
    if roll > 0.97:
        made.status = PostingStatus.CLOSED
    elif roll > 0.92:
        made.status, made.filled = PostingStatus.FULL, made.headcount
    return made


def hirers(employers: list[Employer]) -> dict[str, list[Employer]]:
    """trade slug → the employers that hire for it."""
    found: dict[str, list[Employer]] = {}
    for employer in employers:
        for slug in trades_of(employer.name):
            found.setdefault(slug, []).append(employer)
    return found
