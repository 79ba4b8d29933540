"""An order's life: posted by a resident, reviewed, published or dispatched, accepted, completed."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.employers.models import Employer
from hub.errors import Conflict, Invalid, NotFound
from hub.figures import service as figures
from hub.postings import service as postings
from hub.postings.models import PayUnit, Settlement
from hub.postings.schemas import PostingIn
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.teams import service as teams
from hub.teams.models import Team
from hub.workers.models import Worker

from .models import HouseholdOrder, OrderStatus
from .schemas import OrderIn

S = OrderStatus
# Which step may follow which: anything else is a clear 409, never a silent overwrite.
NEXT: dict[OrderStatus, set[OrderStatus]] = {
    S.PENDING: {S.REJECTED, S.PUBLISHED, S.DISPATCHED, S.CANCELLED},
    S.DISPATCHED: {S.ACCEPTED, S.DISPATCHED, S.CANCELLED},
    S.ACCEPTED: {S.COMPLETED, S.CANCELLED},
    S.PUBLISHED: {S.CANCELLED},
    S.REJECTED: set(),
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
WORDS = {
    S.PENDING: "待审核",
    S.REJECTED: "未通过",
    S.PUBLISHED: "已发布为岗位",
    S.DISPATCHED: "已派单",
    S.ACCEPTED: "已接单",
    S.COMPLETED: "已完成",
    S.CANCELLED: "已取消",
}
HOUSEHOLD_EMPLOYER = "居民家庭（驿站代发）"


def submit(session: Session, data: OrderIn) -> HouseholdOrder:
    if not data.consent:
        raise Invalid("需要您同意驿站工作人员和接单师傅给您打电话", code="order.consent_needed", field="consent")
    if session.get(Station, data.station_id) is None:
        raise Invalid("请选择一个驿站", code="order.station_needed", field="station_id")
    if data.team_id is not None:  # a team's QR: the order goes to the team's own station, marked for it
        team = session.get(Team, data.team_id)
        if team is None or not team.active or team.station_id != data.station_id:
            raise Invalid("这个团队已不在墙上了，请直接发给驿站", code="order.team_unknown", field="team_id")
    order = HouseholdOrder(
        code="J-" + secrets.token_hex(3).upper(),
        consent_at=dt.datetime.now(dt.UTC),
        **data.model_dump(exclude={"consent"}),
    )
    session.add(order)
    session.flush()
    return order


def get(session: Session, order_id: int, by: Principal | None = None) -> HouseholdOrder:
    order = session.get(HouseholdOrder, order_id)
    if order is None:
        raise NotFound(f"没有编号为 {order_id} 的订单", code="order.not_found")
    if by is not None:
        by.require_station(order.station_id)
    return order


def _move(order: HouseholdOrder, to: OrderStatus) -> None:
    if to not in NEXT[order.status]:
        raise Conflict(
            f"这张单现在是「{WORDS[order.status]}」，不能改为「{WORDS[to]}」",
            code="order.status_conflict",
            field="status",
        )
    order.status = to


def reject(session: Session, order_id: int, reason: str, by: Principal) -> HouseholdOrder:
    order = get(session, order_id, by)
    if not reason.strip():
        raise Invalid("请写明不通过的原因（会告诉居民）", code="order.reason_needed", field="note")
    _move(order, S.REJECTED)
    order.note = reason.strip()[:200]
    return order


def cancel(session: Session, order_id: int, by: Principal) -> HouseholdOrder:
    order = get(session, order_id, by)
    _move(order, S.CANCELLED)
    return order


def _household_employer(session: Session) -> Employer:
    found = session.scalar(select(Employer).where(Employer.name == HOUSEHOLD_EMPLOYER))
    if found is None:
        found = Employer(name=HOUSEHOLD_EMPLOYER, credit_code=None)
        session.add(found)
        session.flush()
    return found


def publish(
    session: Session, order_id: int, trade_id: int, by: Principal, tz: dt.tzinfo, days: int = 3
) -> HouseholdOrder:
    """The order as a posting at its station; the station's phone stands in for the resident's,
    which never goes on a screen."""
    order = get(session, order_id, by)
    _move(order, S.PUBLISHED)
    station = order.station
    if not station.phone:
        raise Invalid(
            f"{station.name}没有登记电话：岗位上要留驿站的电话（不留居民的）",
            code="order.station_phone_missing",
            field="trade_id",
        )
    now = dt.datetime.now(tz)
    posting = postings.create(
        session,
        PostingIn(
            title=order.need,
            trade_id=trade_id,
            employer_id=_household_employer(session).id,
            headcount=1,
            pay_min_fen=order.pay_fen,
            pay_max_fen=order.pay_fen,
            pay_unit=PayUnit.PIECE,
            settlement=Settlement.ON_COMPLETION,
            work_start=now.date(),
            daily_hours=order.when_text,
            district=order.district,
            address=order.address,
            lat=station.lat,
            lon=station.lon,
            station_ids=[station.id],
            contact_person=station.name[:30],
            contact_phone=station.phone or "",
            requirements=order.details,
            valid_from=now,
            valid_to=now + dt.timedelta(days=days),
        ),
        by,
    )
    order.posting_id = posting.id
    return order


def dispatch(session: Session, order_id: int, phone: str, by: Principal) -> HouseholdOrder:
    """To a registered worker who left their phone with consent (found by that phone)."""
    order = get(session, order_id, by)
    worker = session.scalar(select(Worker).where(Worker.phone == phone.strip(), Worker.phone_consent_at.is_not(None)))
    if worker is None:
        raise Invalid(
            "没有用这个手机号登记的零工（请让师傅先在一体机上登记并留电话）", code="order.worker_unknown", field="phone"
        )
    _move(order, S.DISPATCHED)
    order.worker_id, order.dispatched_at = worker.id, dt.datetime.now(dt.UTC)
    order.accepted_at = None
    return order


def accept(session: Session, order: HouseholdOrder) -> HouseholdOrder:
    _move(order, S.ACCEPTED)
    order.accepted_at = dt.datetime.now(dt.UTC)
    return order


def complete(session: Session, order: HouseholdOrder, tz: dt.tzinfo) -> HouseholdOrder:
    """Done: the worker's tally grows, and the station's figures (接单王) are published again."""
    _move(order, S.COMPLETED)
    order.completed_at = dt.datetime.now(dt.UTC)
    session.flush()
    figures.publish(session, [order.station_id], tz)
    if order.team_id is not None:  # the team's 接单 on its wall card
        teams.publish(session, session.get(Team, order.team_id))
    return order


def queue(session: Session, by: Principal, limit: int = 200) -> list[HouseholdOrder]:
    query = select(HouseholdOrder).order_by(HouseholdOrder.id.desc()).limit(limit)
    if not by.is_admin:
        query = query.where(HouseholdOrder.station_id.in_(by.station_ids))
    return list(session.scalars(query))
