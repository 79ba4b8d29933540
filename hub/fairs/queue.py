"""The queue at a booth: a number taken with the card (one per worker and booth while it waits), the
next number called from the booth's page, a number called and not come in time skipped (过号), and
where a number stands. Every change re-publishes the fair: each wall in the hall shows the call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.names import mask_name
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.seats import offers
from hub.workers.models import Worker

from . import links, service
from .models import Booth, Fair, FairStatus, Ticket

GUESS_S = 180  # each number's turn at a booth, until the booth's own calls say otherwise


def _booth(session: Session, booth_id: int) -> Booth:
    """The booth, its fair locked for this transaction (after the feed's lock, as every writer takes them)."""
    booth = session.get(Booth, booth_id)
    if booth is None:
        raise NotFound(f"没有编号为 {booth_id} 的展位", code="fair.booth_not_found")
    offers.locked(session, Fair, booth.fair_id, noun="招聘会")
    return booth


def take(
    session: Session,
    booth_id: int,
    *,
    worker: Worker,
    name: str,
    secret: str,
    device_id: int | None,
    station_id: int | None,
    at: dt.datetime,
    cursor: int | None = None,
) -> Ticket:
    """A number at the booth, the next in its queue. The same worker still waiting there keeps theirs."""
    booth = _booth(session, booth_id)
    fair = booth.fair
    offers.check_not_lost(session, fair, cursor, noun="取号的招聘会")
    held = session.scalar(
        select(Ticket).where(
            Ticket.booth_id == booth.id,
            Ticket.worker_id == worker.id,
            Ticket.served_at.is_(None),
            Ticket.skipped_at.is_(None),
        )
    )
    if held is not None:
        return held  # taken twice (two kiosks, or a resend): one place in the queue, the first number
    if fair.status is FairStatus.CANCELLED:
        raise Conflict("这场招聘会已取消", code="fair.cancelled")
    if fair.status is not FairStatus.OPEN:
        raise Conflict("这场招聘会已停止取号", code="fair.closed")
    if station_id is not None and not offers.shown_at(fair, station_id):
        raise Forbidden("这场招聘会不在本驿站取号", code="fair.other_station")
    if not fair.opens_at - dt.timedelta(hours=2) <= at < fair.closes_at:
        raise Conflict("现在不是这场招聘会取号的时间", code="fair.not_now")
    hashed = links.secret_hash(secret)
    if session.scalar(select(Ticket.id).where(Ticket.secret_hash == hashed)) is not None:
        # (A kiosk draws 32 random letters: only a forged or replayed secret is ever used twice.)
        raise Conflict("这个号的手机查看码已经用过了，请重新取号", code="fair.secret_used")
    last = session.scalar(select(func.max(Ticket.number)).where(Ticket.booth_id == booth.id)) or 0
    ticket = Ticket(
        booth=booth,
        worker_id=worker.id,
        number=last + 1,
        code=f"{booth.letter}{last + 1:03d}",
        device_id=device_id,
        station_id=station_id,
        taken_at=offers.tapped_at(fair, at),
        secret_hash=hashed,
        masked_name=mask_name(name) if name else "",
    )
    session.add(ticket)
    session.flush()
    service.publish(session, fair)  # the booth's queue, on every wall and kiosk that shows the fair
    return ticket


def _current(session: Session, booth: Booth) -> Ticket | None:
    """The number called last at the booth, unless it was skipped."""
    last = session.scalar(
        select(Ticket).where(Ticket.booth_id == booth.id, Ticket.called_at.is_not(None)).order_by(Ticket.number.desc())
    )
    return last if last is not None and last.skipped_at is None else None


def call_next(session: Session, booth_id: int, now: dt.datetime | None = None) -> Ticket | None:
    """叫下一位: the number being served is done (or, called skip_after_s ago and never marked come,
    skipped), and the next waiting number is called. None when nobody waits."""
    now = now or dt.datetime.now(dt.UTC)
    booth = _booth(session, booth_id)
    fair = booth.fair
    if fair.status is FairStatus.CANCELLED:
        raise Conflict("这场招聘会已取消", code="fair.cancelled")
    current = _current(session, booth)
    if current is not None and current.served_at is None:
        if now - current.called_at >= dt.timedelta(seconds=fair.skip_after_s):
            current.skipped_at = now
        else:
            current.served_at = now  # called the next within the time: the one before came
    following = session.scalar(
        select(Ticket).where(Ticket.booth_id == booth.id, Ticket.called_at.is_(None)).order_by(Ticket.number)
    )
    if following is not None:
        following.called_at = now
    session.flush()
    service.publish(session, fair)
    return following


def came(session: Session, booth_id: int, *, hired: bool = False, now: dt.datetime | None = None) -> Ticket:
    """到了 (the number called is at the booth), or 录用 (and the employer takes them on)."""
    now = now or dt.datetime.now(dt.UTC)
    booth = _booth(session, booth_id)
    current = _current(session, booth)
    if current is None:
        raise Invalid("现在没有在叫的号", code="fair.nobody_called", field="ticket")
    current.served_at = current.served_at or now
    if hired:
        current.hired_at = current.hired_at or now
    session.flush()
    service.publish(session, booth.fair)
    return current


@dataclass(frozen=True)
class Place:
    """Where a number stands: waiting with `ahead` before it, called (go now), served or skipped."""

    ticket: Ticket
    state: str  # waiting | called | served | skipped
    ahead: int = 0
    minutes: int = 0  # the guess of the wait, from the booth's own pace


def place(session: Session, ticket: Ticket, now: dt.datetime | None = None) -> Place:
    now = now or dt.datetime.now(dt.UTC)
    if ticket.skipped_at is not None:
        return Place(ticket, "skipped")
    if ticket.served_at is not None:
        return Place(ticket, "served")
    if ticket.called_at is not None:
        return Place(ticket, "called")
    ahead = (
        session.scalar(
            select(func.count()).where(
                Ticket.booth_id == ticket.booth_id, Ticket.called_at.is_(None), Ticket.number < ticket.number
            )
        )
        or 0
    )
    calls = list(
        session.scalars(
            select(Ticket.called_at)
            .where(Ticket.booth_id == ticket.booth_id, Ticket.called_at.is_not(None))
            .order_by(Ticket.called_at.desc())
            .limit(6)
        )
    )
    pace = (calls[0] - calls[-1]).total_seconds() / (len(calls) - 1) if len(calls) > 1 else GUESS_S
    return Place(ticket, "waiting", ahead, max(1, round((ahead + 1) * pace / 60)))


def by_secret(session: Session, secret: str) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.secret_hash == links.secret_hash(secret)))
    if ticket is None:
        raise NotFound("没有这个号", code="fair.ticket_not_found")
    return ticket


def booth_of_link(session: Session, keys, token: str) -> Booth:
    booth = session.get(Booth, links.read(keys, token))
    if booth is None:
        raise NotFound("这个展位已不在了", code="fair.booth_not_found")
    return booth
