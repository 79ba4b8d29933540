"""即时快招 — fast hiring: staff mark a posting that must be filled now. Every wall that shows it
interrupts with it for a few minutes, then shows it first in its trade's pages; every kiosk puts it
at the head of the list; and at a set time it lapses by itself, on every device's own clock, with
no message needed. Only a few at once per station, or the mark stops meaning anything."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db import utcnow
from hub.errors import Conflict, Invalid
from hub.feed import service as feed
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.trust import gate as trust

from . import service
from .models import Posting, PostingStatus


def active(p: Posting, now: dt.datetime) -> bool:
    return p.fast_to is not None and p.fast_from is not None and p.fast_from <= now < p.fast_to


def in_force(session: Session, now: dt.datetime) -> list[Posting]:
    """The open postings marked for fast hiring now (a handful: each station allows a few)."""
    return list(
        session.scalars(
            select(Posting).where(
                Posting.fast_to > now,
                Posting.status == PostingStatus.OPEN,
                Posting.valid_to > now,
            )
        ).unique()
    )


def _busiest(session: Session, p: Posting, now: dt.datetime) -> tuple[str, int]:
    """Of the stations that show `p`, the one with the most other fast postings, and how many."""
    others = [o for o in in_force(session, now) if o.id != p.id and active(o, now) and trust.shown(o)]
    everywhere = sum(1 for o in others if o.all_stations)
    per_station = Counter(s.id for o in others if not o.all_stations for s in o.stations)
    shown_at = list(session.scalars(select(Station.id))) if p.all_stations else [s.id for s in p.stations]
    if not shown_at:
        return "", everywhere
    busiest = max(shown_at, key=lambda s: per_station[s])
    station = session.get(Station, busiest)
    return (station.name if station else ""), everywhere + per_station[busiest]


def start(
    session: Session,
    posting_id: int,
    by: Principal,
    *,
    now: dt.datetime,
    hours: float,
    card_min: float,
    per_station: int,
) -> Posting:
    """Marks the posting for fast hiring from now on; refused when it cannot be shown (not open, no
    places, outside its dates) or when one of its stations already has `per_station` marked."""
    # The feed's lock before counting: two staff marking at once on PostgreSQL each counted the marks
    # committed before either, and both went past the cap (SQLite's writes are serialised already).
    feed.lock(session)
    p = service.editable(session, posting_id, by)
    if p.status is not PostingStatus.OPEN or p.places_left == 0:
        raise Invalid("只有还在招人的岗位可以设为快招", code="posting.fast_not_open")
    if not (p.valid_from <= now < p.valid_to) or not trust.shown(p):
        # (outside its dates, waiting for review, sent back, or its employer suspended: on no screen)
        raise Invalid("这个岗位现在不在屏幕上展示，不能设为快招", code="posting.fast_not_shown")
    if not active(p, now):
        station, count = _busiest(session, p, now)
        if count >= per_station:
            where = f"{station}已" if station else "已"
            raise Conflict(
                f"{where}有 {count} 个快招岗位（最多 {per_station} 个）：请先结束其中一个的快招",
                code="posting.fast_limit",
            )
    until = min(p.valid_to, now + dt.timedelta(hours=hours))
    p.fast_from, p.fast_to = now, until
    p.fast_card_to = min(until, now + dt.timedelta(minutes=card_min))
    p.version += 1
    session.flush()
    service.publish(session, [p])
    return p


def start_now(session: Session, posting_id: int, by: Principal, settings) -> Posting:
    """`start` from now with the hub's settings (the staff API's and the console's one call)."""
    return start(
        session,
        posting_id,
        by,
        now=utcnow(),
        hours=settings.fast_hire_hours,
        card_min=settings.fast_hire_card_min,
        per_station=settings.fast_hire_per_station,
    )


def stop(session: Session, posting_id: int, by: Principal, *, now: dt.datetime) -> Posting:
    """Ends the mark now (the posting stays up as an ordinary one)."""
    p = service.editable(session, posting_id, by)
    if active(p, now):
        p.fast_to = now
        p.fast_card_to = min(p.fast_card_to or now, now)
        p.version += 1
        session.flush()
        service.publish(session, [p])
    return p
