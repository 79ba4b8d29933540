"""Holding a fair: its booths and their letters, who may change it, and the document every kiosk and
wall that shows it holds — each booth's queue, the number it serves now, and the latest calls."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from hub.employers.models import Employer
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.seats import offers
from hub.staff.service import Principal

from .models import Booth, Fair, FairStatus, Ticket
from .schemas import FairIn

CALLS_SHOWN = 6  # the calling board's lines: the newest call on top, a few before it for who looked away
MAX_HOURS = 14  # a fair is a day's event


def problems(values: Mapping[str, Any], now: dt.datetime | None = None) -> list[Invalid]:
    """Every rule between fields that `values` break (a field left out is not checked)."""
    found = []
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens is not None and closes is not None:
        if closes <= opens:
            found.append(Invalid("结束时间要晚于开始时间", code="fair.closes_before_opens", field="closes_at"))
        elif closes - opens > dt.timedelta(hours=MAX_HOURS):
            found.append(Invalid(f"一场招聘会不能超过{MAX_HOURS}小时", code="fair.too_long", field="closes_at"))
    if closes is not None and now is not None and closes <= now:
        found.append(Invalid("这场招聘会已经结束了", code="fair.over", field="closes_at"))
    numbers = [b.number for b in values.get("booths") or ()]
    if len(set(numbers)) != len(numbers):
        found.append(Invalid("展位号有重复的", code="fair.booth_twice", field="booths"))
    return found


def letter(i: int) -> str:
    """The letter of the i-th booth's numbers: A … Z, then AA, AB … (a hall of 200 booths has room)."""
    letters = string.ascii_uppercase
    return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]


def create(session: Session, data: FairIn, by: Principal, now: dt.datetime | None = None) -> Fair:
    now = now or dt.datetime.now(dt.UTC)
    found = problems(data.model_dump() | {"booths": data.booths}, now)
    if found:
        raise found[0]
    fair = Fair(
        title=data.title,
        hall=data.hall,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        skip_after_s=data.skip_after_min * 60,
    )
    offers.choose_stations(session, fair, data.station_ids, by)
    ids = {b.employer_id for b in data.booths}
    employers = {e.id: e for e in session.scalars(select(Employer).where(Employer.id.in_(ids)))}
    if len(employers) != len(ids) or any(e.suspended_at is not None for e in employers.values()):
        raise Invalid("展位里有不存在或已被暂停的用人单位", code="fair.employer_unknown", field="booths")
    fair.booths = [
        Booth(number=b.number, letter=letter(i), employer=employers[b.employer_id], jobs=b.jobs, places=b.places)
        for i, b in enumerate(data.booths)
    ]
    session.add(fair)
    session.flush()
    publish(session, fair)
    return fair


def get(session: Session, fair_id: int) -> Fair:
    fair = session.get(Fair, fair_id)
    if fair is None:
        raise NotFound(f"没有编号为 {fair_id} 的招聘会", code="fair.not_found")
    return fair


def editable(session: Session, fair_id: int, by: Principal) -> Fair:
    feed.lock(session)  # before the fair's row, as a number taken takes them (hub.fairs.queue)
    fair = session.scalar(select(Fair).where(Fair.id == fair_id).with_for_update(of=Fair))
    if fair is None:
        raise NotFound(f"没有编号为 {fair_id} 的招聘会", code="fair.not_found")
    if not offers.may_edit(fair, by):
        raise Forbidden("别的驿站办的招聘会只有管理员可以修改", code="fair.edit_forbidden")
    return fair


def set_status(session: Session, fair_id: int, status: FairStatus, by: Principal) -> Fair:
    """Stop taking numbers (those taken are still called), cancel, or take numbers again."""
    fair = editable(session, fair_id, by)
    if fair.status is FairStatus.CANCELLED and status is not FairStatus.CANCELLED:
        raise Conflict("已取消的招聘会不能重新开放", code="fair.cancelled", field="status")
    fair.status = status
    session.flush()
    publish(session, fair)
    return fair


def listing(session: Session, by: Principal, *, closed_after: dt.datetime) -> list[Fair]:
    rows = session.scalars(select(Fair).where(Fair.closes_at >= closed_after).order_by(Fair.opens_at, Fair.id))
    return [f for f in rows if offers.may_see(f, by)]


def booth_figures(session: Session, fair: Fair) -> dict[int, dict]:
    """Per booth: waiting, called, served, skipped, hired, and the number served now. Counted by the
    database (it runs at every number taken: reading every ticket each time grew with the fair)."""
    ids = [b.id for b in fair.booths]
    figures = {bid: {"waiting": 0, "called": 0, "served": 0, "skipped": 0, "hired": 0, "serving": ""} for bid in ids}
    t = Ticket
    called = t.called_at.is_not(None)
    counted = session.execute(
        select(
            t.booth_id,
            func.count(case((t.called_at.is_(None), 1))),
            func.count(t.called_at),
            func.count(case((called & t.served_at.is_not(None), 1))),
            func.count(case((called & t.skipped_at.is_not(None), 1))),
            func.count(case((called & t.hired_at.is_not(None), 1))),
        )
        .where(t.booth_id.in_(ids))
        .group_by(t.booth_id)
    )
    for booth_id, waiting, n_called, served, skipped, hired in counted:
        figures[booth_id].update(waiting=waiting, called=n_called, served=served, skipped=skipped, hired=hired)
    # The number served now: the latest called at each booth, unless it was skipped.
    latest = (
        select(t.booth_id, func.max(t.number).label("number"))
        .where(t.booth_id.in_(ids), called)
        .group_by(t.booth_id)
        .subquery()
    )
    for booth_id, code, skipped in session.execute(
        select(t.booth_id, t.code, t.skipped_at).join(
            latest, (latest.c.booth_id == t.booth_id) & (latest.c.number == t.number)
        )
    ):
        figures[booth_id]["serving"] = "" if skipped is not None else code
    return figures


def last_calls(session: Session, fair: Fair, limit: int = CALLS_SHOWN) -> list[list]:
    """The calling board: [code, booth number, when (epoch s)], the newest first."""
    rows = session.execute(
        select(Ticket.code, Booth.number, Ticket.called_at)
        .join(Booth, Booth.id == Ticket.booth_id)
        .where(Booth.fair_id == fair.id, Ticket.called_at.is_not(None))
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return [[code, number, feed.epoch(at)] for code, number, at in rows]


def fair_doc(session: Session, fair: Fair) -> dict:
    """What a kiosk needs to give numbers and a wall in the hall to show the booths and the calls."""
    figures = booth_figures(session, fair)
    return {
        "id": fair.id,
        "title": fair.title,
        "hall": fair.hall,
        "opens_at": feed.epoch(fair.opens_at),
        "closes_at": feed.epoch(fair.closes_at),
        "taking": fair.status is FairStatus.OPEN,
        "booths": [
            {
                "id": b.id,
                "number": b.number,
                "letter": b.letter,
                "employer": b.employer_id,
                "employer_name": b.employer.name,
                "jobs": b.jobs,
                "places": b.places,
                "waiting": figures[b.id].get("waiting", 0),
                "serving": figures[b.id]["serving"],
            }
            for b in fair.booths
        ],
        "calls": last_calls(session, fair),
        "to": feed.epoch(fair.closes_at),  # held until the hall closes: the feed drops it then
    }


def publish(session: Session, fair: Fair) -> None:
    """A fair is held by every device that shows it until it closes; a cancelled one is withdrawn."""
    doc = fair_doc(session, fair) if fair.status is not FairStatus.CANCELLED else None
    feed.record(session, [feed.Change("fair", fair.id, offers.scope(fair), doc, reason=fair.status.value)])


def numbers_taken(session: Session, fair_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Ticket).join(Booth).where(Booth.fair_id == fair_id)) or 0
