"""What every offering with seats shares: the stations that show it, who may change or see it,
and the preamble of taking a seat — the feed's lock, then the offering's row, then the checks that
do not depend on what is offered (a row the hub lost in a restore, a tap dated before it existed,
the same worker again). hub.training and hub.buses each add their own rules and words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import Scope
from hub.staff.service import Principal
from hub.stations.models import Station


class Offer(Protocol):
    id: int
    all_stations: bool
    stations: list[Station]
    created_at: dt.datetime


Row = TypeVar("Row")


@dataclass(frozen=True)
class Kind:
    """One kind of offering: its tables and the words of its messages. (The refusals this module makes
    carry `offer.*` codes, the same for every kind: a kiosk shows their words, not their codes.)"""

    model: Any  # the offering's table (hub.training.models.Course)
    seat: Any  # its seats' table
    column: Any  # the seat's foreign key to the offering
    noun: str  # 培训
    this: str  # 这期培训


def scope(offer: Offer) -> Scope:
    return Scope(stations=None if offer.all_stations else frozenset(s.id for s in offer.stations))


def shown_at(offer: Offer, station_id: int | None) -> bool:
    return offer.all_stations or any(s.id == station_id for s in offer.stations)


def may_edit(offer: Offer, by: Principal) -> bool:
    """Administrators change any offering; station staff those shown only at their own stations."""
    return by.is_admin or (not offer.all_stations and {s.id for s in offer.stations} <= by.station_ids)


def may_see(offer: Offer, by: Principal) -> bool:
    """Every station's staff see an offering shown everywhere (and their own workers on its list)."""
    return by.is_admin or offer.all_stations or any(by.may_station(s.id) for s in offer.stations)


def visible(offer: Offer, rows: Sequence[Any], by: Principal) -> list:
    """The seats the caller may see: all of an offering they run, else those taken at their stations."""
    return list(rows) if may_edit(offer, by) else [r for r in rows if by.may_station(r.station_id)]


def choose_stations(session: Session, offer: Offer, station_ids: list[int] | None, by: Principal) -> None:
    """Where the offering is shown: every station (administrators only) or the ones listed, each of
    which station staff must hold."""
    if station_ids is None:
        if not by.is_admin:
            raise Invalid("驿站工作人员只能发布到自己的驿站，请选择", code="offer.stations_needed", field="station_ids")
        offer.all_stations, offer.stations = True, []
        return
    if not station_ids:
        raise Invalid("至少选择一个驿站，或选择全部驿站", code="offer.no_station", field="station_ids")
    stations = list(session.scalars(select(Station).where(Station.id.in_(station_ids))))
    if len(stations) != len(set(station_ids)):
        raise Invalid("选择的驿站里有不存在的", code="offer.station_unknown", field="station_ids")
    for sid in station_ids:
        if not by.may_station(sid):
            raise Forbidden(f"编号为 {sid} 的驿站不是您的", code="offer.station_not_yours", field="station_ids")
    offer.all_stations, offer.stations = False, stations


def locked(session: Session, model: type[Row], offer_id: int, *, noun: str) -> Row:
    """The offering's row, locked for this transaction — after the feed's lock, which the seats-left
    document needs: every writer takes the two in that order, or two hub processes deadlock."""
    feed.lock(session)
    # (populate_existing: the row may have been read unlocked a moment before, see `take`)
    stmt = select(model).where(model.id == offer_id).with_for_update(of=model)
    offer = session.scalar(stmt.execution_options(populate_existing=True))
    if offer is None:
        raise NotFound(f"没有编号为 {offer_id} 的{noun}", code="offer.not_found")
    return offer


def check_not_lost(session: Session, offer: Offer, cursor: int | None, *, noun: str) -> None:
    """A device that chose from what a hub showed before it was restored from an older backup chose
    an offering that was lost, whose id may now be another's."""
    if cursor is None:
        return
    restored = feed.restored_after(session, cursor)
    if restored is not None and offer.created_at >= restored:
        raise Conflict(f"{noun}已不在了（系统从备份恢复过）", code="offer.lost_in_restore")


def tapped_at(offer: Offer, at: dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    """When the worker tapped, as far as the hub can believe it: a tap dated before the offering
    existed comes from a kiosk whose clock is wrong (a flat clock battery says 1970), so the hub
    judges it by when it arrived — not by the offering's creation, which would pass any deadline."""
    return at if at >= offer.created_at else (now or dt.datetime.now(dt.UTC))


def seat_of(session: Session, seat_model: Any, column: Any, offer_id: int, worker_id: int) -> Any:
    """This worker's seat on the offering, if they hold one."""
    return session.scalar(select(seat_model).where(column == offer_id, seat_model.worker_id == worker_id))


def count(session: Session, column: Any, offer_id: int) -> int:
    return session.scalar(select(func.count()).where(column == offer_id)) or 0


def count_by(session: Session, column: Any, offer_ids: Iterable[int]) -> dict[int, int]:
    ids = list(offer_ids)
    counts = dict(session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column)).all())
    return {oid: counts.get(oid, 0) for oid in ids}


def take(
    session: Session,
    kind: Kind,
    offer_id: int,
    *,
    worker_id: int,
    station_id: int | None,
    at: dt.datetime,
    cursor: int | None,
    eligible: Callable[[Any, dt.datetime], None],
    new_seat: Callable[[Any, dt.datetime], Any],
    publish: Callable[[Any], None],
) -> Any:
    """Takes a seat. The offering's row is locked (`locked`), so two hub processes giving the last
    seat at once queue here and the second finds it gone. The same worker again keeps their seat
    and its first code, and hears of a cancellation like anyone; `eligible` raises what the kind's
    own rules refuse, as of `at` (when they tapped, an offline kiosk's time).

    Judged twice: first at a glance, without the feed's lock, which every hub process waits on
    while another's batch ends — most seats asked are of a full offering (a course fills in
    minutes, and kiosks that were offline go on asking), and are refused there; then under the
    locks, on the row read afresh, which alone may give a seat. Unlocked, the count can only miss a
    seat given back at this very moment, and the refusal is then the one of a moment earlier."""
    glance = session.scalar(select(kind.model).where(kind.model.id == offer_id))
    if glance is not None:  # (none: `locked` says so)
        _judge(
            session, kind, glance, worker_id=worker_id, station_id=station_id, at=at, cursor=cursor, eligible=eligible
        )
    offer = locked(session, kind.model, offer_id, noun=kind.noun)
    held = _judge(
        session, kind, offer, worker_id=worker_id, station_id=station_id, at=at, cursor=cursor, eligible=eligible
    )
    if held is not None:
        return held
    seat = new_seat(offer, tapped_at(offer, at))
    session.add(seat)
    session.flush()
    publish(offer)  # seats left, on every wall and kiosk that shows it
    return seat


def _judge(
    session: Session,
    kind: Kind,
    offer: Any,
    *,
    worker_id: int,
    station_id: int | None,
    at: dt.datetime,
    cursor: int | None,
    eligible: Callable[[Any, dt.datetime], None],
) -> Any:
    """The worker's seat if they hold one (signed up twice: two kiosks, or a resend — one seat, the
    first code), None if a seat may be given; raises the refusal otherwise."""
    check_not_lost(session, offer, cursor, noun="报名的" + kind.noun)
    at = tapped_at(offer, at)
    held = seat_of(session, kind.seat, kind.column, offer.id, worker_id)
    if held is not None and offer.status != "cancelled" and shown_at(offer, station_id):
        return held
    eligible(offer, at)
    if held is not None:
        return held
    if count(session, kind.column, offer.id) >= offer.seats:
        raise Conflict(f"{kind.this}的名额已经报满了", code="offer.full")
    return None
