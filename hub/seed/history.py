"""A month behind the demo hub: postings that ran and ended, the applications they drew and the
placements staff recorded, all dated in the past (before today, so every station's day starts at
zero), for a console dashboard that shows a market at work rather than empty charts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.applications.models import Application, ApplicationStatus
from hub.employers.models import Employer
from hub.postings.models import PostingStatus
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.workers.models import Worker

from . import parts
from . import words as w

# How applications end up, as staff record them: about a third placed.
OUTCOMES = [
    (ApplicationStatus.HIRED, 0.35),
    (ApplicationStatus.CONTACTED, 0.25),
    (ApplicationStatus.NO_SHOW, 0.15),
    (ApplicationStatus.WITHDRAWN, 0.05),
    (ApplicationStatus.NEW, 0.20),
]


@dataclass
class History:
    postings: int = 0
    applications: int = 0
    placements: int = 0


def _local_midnight(now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    today = now.astimezone(tz).date()
    return dt.datetime.combine(today, dt.time(), tz).astimezone(dt.UTC)


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(w.SURNAMES) + rng.choice(w.GIVEN_NAMES), parts.phone(rng)


def seed_history(
    session: Session,
    rng: random.Random,
    *,
    count: int,
    days: int,
    employers: list[Employer],
    stations: list[Station],
    tz: dt.tzinfo,
    home_station: int | None = None,
) -> History:
    """`count` ended postings spread over the `days` before today, with their applicants (a pool of
    workers known by phone, some applying more than once). `home_station` gets a larger share of
    the applications: the demo's staff see their own station busy."""
    now = dt.datetime.now(dt.UTC)
    midnight = _local_midnight(now, tz)
    trades = list(session.scalars(select(Trade)))
    hiring = parts.hirers(employers)
    known_since = midnight - dt.timedelta(days=days + 1)
    workers = [  # known by phone only, like those who applied from a posting's phone page
        Worker(id_hash=f"{rng.getrandbits(256):064x}", id_masked="", intention={}, created_at=known_since)
        for _ in range(max(10, count))
    ]
    session.add_all(workers)
    session.flush()
    people = {wk.id: _person(rng) for wk in workers}
    done, codes = History(), set()
    for _ in range(count):
        trade = rng.choice(trades)
        created = midnight - dt.timedelta(days=rng.randint(1, days), hours=rng.uniform(4, 17))
        ended = parts.posting(rng, trade, rng.choice(hiring.get(trade.slug) or employers), stations, created, tz)
        ends = min(created + dt.timedelta(days=rng.randint(2, 10)), midnight - dt.timedelta(hours=rng.uniform(1, 6)))
        ends = max(ends, created + dt.timedelta(hours=6))
        full = rng.random() < 0.6
        ended.status = PostingStatus.FULL if full else PostingStatus.CLOSED
        ended.filled = ended.headcount if full else rng.randint(0, ended.headcount - 1)
        ended.valid_from, ended.valid_to = created, ends
        ended.ended_at, ended.created_at, ended.updated_at = ends, created, ends
        session.add(ended)
        session.flush()
        done.postings += 1
        applicants = rng.sample(workers, k=min(len(workers), rng.randint(0, ended.headcount + 3)))
        for worker in applicants:
            applied = created + (ends - created) * rng.random()
            status = rng.choices([o for o, _ in OUTCOMES], weights=[p for _, p in OUTCOMES])[0]
            code = f"K-{rng.getrandbits(32):08X}"
            if code in codes:
                continue
            codes.add(code)
            name, number = people[worker.id]
            if home_station is not None and rng.random() < 0.4:
                station_id = home_station
            else:
                station_id = rng.choice(ended.stations or stations).id
            hired = min(applied + dt.timedelta(hours=rng.uniform(1, 30)), midnight - dt.timedelta(minutes=5))
            session.add(
                Application(
                    code=code,
                    posting_id=ended.id,
                    worker_id=worker.id,
                    station_id=station_id,
                    name=name,
                    phone=number,
                    consent_at=applied,
                    status=status,
                    hired_at=hired if status is ApplicationStatus.HIRED else None,
                    applied_at=applied,
                    received_at=applied + dt.timedelta(seconds=rng.randint(1, 90)),
                    updated_at=hired,
                )
            )
            done.applications += 1
            done.placements += status is ApplicationStatus.HIRED
    session.flush()
    return done
