"""Fills a hub with demo data: a district's stations, employers with valid credit codes, postings."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.announcements.models import Announcement, AnnouncementKind
from hub.announcements.service import announcement_change
from hub.employers import creditcode
from hub.employers.models import Employer
from hub.employers.service import employer_doc
from hub.feed import service as feed
from hub.feed.scope import EVERYONE
from hub.figures import service as figures
from hub.postings.models import PayUnit, Posting, PostingStatus, Settlement
from hub.postings.service import publish
from hub.stations.models import Station, StationKind
from hub.stations.service import station_doc
from hub.trades.models import Trade
from hub.trades.service import ensure_catalogue

from . import words as w

# GB 11714 organisation code (positions 9–17 of a credit code): weights and check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class SeedReport:
    stations: int = 0
    employers: int = 0
    postings: int = 0
    announcements: int = 0
    past_postings: int = 0  # with history: ended postings, their applications and placements
    past_applications: int = 0
    past_placements: int = 0


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


def _near(rng: random.Random, spread_km: float) -> tuple[float, float]:
    lat0, lon0 = w.CENTRE
    r, a = spread_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return (
        round(lat0 + r * math.cos(a) / 111.0, 6),
        round(lon0 + r * math.sin(a) / (111.0 * math.cos(math.radians(lat0))), 6),
    )


def _contact(rng: random.Random) -> str:
    return rng.choice(w.SURNAMES) + rng.choice(w.TITLES)


def seed_stations(session: Session, rng: random.Random) -> list[Station]:
    specs = [(f"{w.DISTRICT}零工市场", StationKind.MARKET, 0.5)]
    specs += [(f"{name}零工驿站", StationKind.STATION, 6.0) for name in w.SUB_DISTRICTS]
    specs += [(f"{name}零工驿站", StationKind.STATION, 8.0) for name in w.MARKETS]
    specs += [(f"{name}便民服务中心零工驿站", StationKind.STATION, 14.0) for name in w.VILLAGES]
    stations = []
    for name, kind, spread in specs:
        lat, lon = _near(rng, spread)
        stations.append(
            Station(
                name=name,
                kind=kind,
                district=w.DISTRICT,
                lat=lat,
                lon=lon,
                address=f"{rng.choice(w.STREETS)}{rng.randint(1, 300)}号",  # the district is its own field
                phone=f"0731-{rng.randint(80000000, 89999999)}",
            )
        )
    session.add_all(stations)
    session.flush()
    feed.record(session, [feed.Change("station", s.id, EVERYONE, station_doc(s)) for s in stations])
    return stations


def seed_employers(session: Session, rng: random.Random, count: int) -> list[Employer]:
    """Companies of every kind first (so that every trade has employers), then any kind; about one
    in eight an individual business (个体户)."""
    kinds = [suffix for suffix, _trades in w.EMPLOYER_KINDS]
    rng.shuffle(kinds)
    employers, names = [], set()
    while len(employers) < count:
        individual = len(employers) >= len(kinds) and rng.random() < 0.12
        if individual:
            name = f"{rng.choice(w.COMPANY_PLACES)}{rng.choice(w.SURNAMES)}记{rng.choice(list(w.HOUSEHOLD_SHOPS))}"
        else:
            kind = kinds[len(employers)] if len(employers) < len(kinds) else rng.choice(kinds)
            name = f"{rng.choice(w.COMPANY_PLACES)}{rng.choice(w.COMPANY_WORDS)}{kind}"
        if name in names:
            continue
        names.add(name)
        employers.append(
            Employer(
                name=name,
                credit_code=credit_code(rng, individual),
                contact_person=_contact(rng),
                contact_phone=phone(rng),
                district=w.DISTRICT,
                address=f"{rng.choice(w.STREETS)}{rng.randint(1, 400)}号",
                verified_at=dt.datetime.now(dt.UTC) if rng.random() < 0.8 else None,
            )
        )
    session.add_all(employers)
    session.flush()
    feed.record(session, [feed.Change("employer", e.id, EVERYONE, employer_doc(e)) for e in employers])
    return employers


def _posting(
    rng: random.Random, trade: Trade, employer: Employer, stations: list[Station], now: dt.datetime, tz: dt.tzinfo
) -> Posting:
    low, high, unit = rng.choice(w.PAY[trade.slug])
    step = {"month": 100, "day": 10, "lesson": 10}.get(unit, 1)  # postings quote round figures
    pay_min = rng.randint(low, max(low, (low + high) // 2)) // step * step
    pay_max = max(pay_min, rng.randint(pay_min, high) // step * step)
    headcount = rng.choice([1, 1, 2, 2, 3, 5, 8, 10, 20])
    today = now.astimezone(tz).date()
    start = today + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 7, 14]))
    lat, lon = _near(rng, 12.0)
    place = rng.choice(w.TRADE_PLACES.get(trade.slug) or w.PLACES[trade.category.slug])
    local_stations = [s for s in stations if math.dist((s.lat, s.lon), (lat, lon)) < 0.03]
    roll = rng.random()
    valid_from = now - dt.timedelta(hours=rng.randint(1, 240))
    valid_to = now + dt.timedelta(days=rng.randint(2, 30))
    if roll < 0.05:  # expired in the last two days
        valid_to = now - dt.timedelta(hours=rng.randint(1, 48))
        valid_from = valid_to - dt.timedelta(days=rng.randint(3, 14))
    posting = Posting(
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
        contact_person=_contact(rng),
        contact_phone=phone(rng),
        requirements="，".join(rng.sample(w.REQUIREMENTS[trade.category.slug], k=rng.randint(1, 3))),
        benefits="，".join(rng.sample(w.BENEFITS, k=rng.randint(0, 3))),
        urgent=rng.random() < 0.15,
        status=PostingStatus.OPEN,
        valid_from=valid_from,
        valid_to=valid_to,
        created_at=valid_from,  # published when it started showing, not when the seed ran
        updated_at=valid_from,
    )
    if not posting.all_stations:
        posting.stations = local_stations
    if rng.random() < 0.3:
        posting.age_min, posting.age_max = rng.choice([(18, 45), (18, 55), (20, 60), (25, 50)])
    if roll > 0.97:
        posting.status = PostingStatus.CLOSED
    elif roll > 0.92:
        posting.status, posting.filled = PostingStatus.FULL, posting.headcount
    return posting


def hirers(employers: list[Employer]) -> dict[str, list[Employer]]:
    """trade slug → the employers that hire for it."""
    found: dict[str, list[Employer]] = {}
    for employer in employers:
        for slug in trades_of(employer.name):
            found.setdefault(slug, []).append(employer)
    return found


def seed_postings(
    session: Session,
    rng: random.Random,
    count: int,
    employers: list[Employer],
    stations: list[Station],
    tz: dt.tzinfo,
    batch: int = 2000,
) -> int:
    trades = list(session.scalars(select(Trade)))
    hiring = hirers(employers)
    now = dt.datetime.now(dt.UTC)
    made = 0
    while made < count:
        postings = []
        for _ in range(min(batch, count - made)):
            trade = rng.choice(trades)
            employer = rng.choice(hiring.get(trade.slug) or employers)  # staff-made employers: any
            postings.append(_posting(rng, trade, employer, stations, now, tz))
        session.add_all(postings)
        session.flush()
        publish(session, postings)
        made += len(postings)
    return made


def seed_announcements(session: Session, now: dt.datetime) -> list[Announcement]:
    week = dt.timedelta(days=7)
    items = [
        (
            AnnouncementKind.POLICY,
            "灵活就业社保补贴申领",
            "符合条件的灵活就业人员可申领社会保险补贴，请携带身份证到服务窗口咨询。",
        ),
        (
            AnnouncementKind.TRAINING,
            "免费电工、焊工技能培训报名中",
            "培训合格颁发证书，报名请到服务窗口或拨打驿站电话。",
        ),
        (AnnouncementKind.JOBFAIR, "本周六上午零工专场招聘会", "地点：青川区零工市场一楼招聘大厅，九点开始。"),
        (AnnouncementKind.SERVICES, "驿站便民服务", "免费饮水、手机充电、工具借用；5元爱心午餐。"),
        (AnnouncementKind.NOTICE, "今日新增岗位已更新，欢迎刷身份证查看适合您的工作", ""),
    ]
    announcements = [
        Announcement(
            kind=k,
            title=t,
            body=b,
            all_stations=True,
            priority=0,
            valid_from=now - dt.timedelta(hours=1),
            valid_to=now + week,
        )
        for k, t, b in items
    ]
    session.add_all(announcements)
    session.flush()
    feed.record(session, [announcement_change(a) for a in announcements])
    return announcements


def seed(
    session: Session,
    *,
    postings: int = 600,
    employers: int | None = None,
    seed: int = 7,
    tz: dt.tzinfo = dt.UTC,
    history_days: int = 0,
    home_station: int | None = None,
) -> SeedReport:
    """Adds the demo data once: an already seeded hub only gets more postings. With `history_days`,
    a fresh hub also gets that many days of ended postings and their applications (the demo)."""
    rng = random.Random(seed)
    report = SeedReport()
    ensure_catalogue(session)
    stations = list(session.scalars(select(Station)))
    if not stations:
        stations = seed_stations(session, rng)
        report.stations = len(stations)
    existing = list(session.scalars(select(Employer)))
    if not existing:
        count = employers or max(len(w.EMPLOYER_KINDS) + 5, min(2000, postings // 15))
        existing = seed_employers(session, rng, count)
        report.employers = len(existing)
    if not session.scalar(select(func.count()).select_from(Announcement)):
        report.announcements = len(seed_announcements(session, dt.datetime.now(dt.UTC)))
    if history_days and report.employers:  # once, on a fresh hub
        from .history import seed_history

        past = seed_history(
            session,
            rng,
            count=min(400, max(20, postings // 3)),
            days=history_days,
            employers=existing,
            stations=stations,
            tz=tz,
            home_station=home_station,
        )
        report.past_postings, report.past_applications, report.past_placements = (
            past.postings,
            past.applications,
            past.placements,
        )
    report.postings = seed_postings(session, rng, postings, existing, stations, tz)
    figures.publish(session, [s.id for s in stations], tz)  # every station starts its day at zero
    return report
