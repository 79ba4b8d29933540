"""Fills a hub with demo data: a district's stations, employers with valid credit codes, postings."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.announcements.models import Announcement, AnnouncementKind
from hub.announcements.service import announcement_change
from hub.buses.models import Departure
from hub.employers.models import Employer
from hub.employers.service import employer_doc
from hub.fairs.models import Fair
from hub.feed import service as feed
from hub.feed.scope import EVERYONE
from hub.figures import service as figures
from hub.postings.service import publish
from hub.stations.models import Station, StationKind
from hub.stations.service import station_doc
from hub.teams.models import Team
from hub.trades.models import Trade
from hub.trades.service import ensure_catalogue
from hub.training.models import Course
from hub.trust.gate import screen_all

from . import words as w
from .buses import seed_buses
from .courses import seed_courses
from .fairs import seed_fair
from .parts import contact, credit_code, hirers, near, phone, posting
from .teams import seed_teams


@dataclass
class SeedReport:
    stations: int = 0
    employers: int = 0
    postings: int = 0
    announcements: int = 0
    courses: int = 0
    buses: int = 0
    fairs: int = 0
    teams: int = 0
    past_postings: int = 0  # with history: ended postings, their applications and placements
    past_applications: int = 0
    past_placements: int = 0


def seed_stations(session: Session, rng: random.Random) -> list[Station]:
    specs = [(f"{w.DISTRICT}零工市场", StationKind.MARKET, 0.5)]
    specs += [(f"{name}零工驿站", StationKind.STATION, 6.0) for name in w.SUB_DISTRICTS]
    specs += [(f"{name}零工驿站", StationKind.STATION, 8.0) for name in w.MARKETS]
    specs += [(f"{name}便民服务中心零工驿站", StationKind.STATION, 14.0) for name in w.VILLAGES]
    stations = []
    for name, kind, spread in specs:
        lat, lon = near(rng, spread)
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
                contact_person=contact(rng),
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
            postings.append(posting(rng, trade, employer, stations, now, tz))
        session.add_all(postings)
        session.flush()
        screen_all(session, postings)  # screened as if staff published them: 不收费 where it applies
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
    if not session.scalar(select(func.count()).select_from(Course)):
        report.courses = len(seed_courses(session, stations, tz, dt.datetime.now(tz).date()))
    if not session.scalar(select(func.count()).select_from(Departure)):
        report.buses = len(seed_buses(session, tz, dt.datetime.now(tz).date()))
    if not session.scalar(select(func.count()).select_from(Fair)):
        report.fairs = int(seed_fair(session, tz, dt.datetime.now(dt.UTC)) is not None)
    if not session.scalar(select(func.count()).select_from(Team)):
        report.teams = len(seed_teams(session, stations[0]))
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
