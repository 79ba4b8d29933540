"""Keeping a station's teams: who may change them, and what its walls hold of each — with how many
household orders it has completed (接单), so a resident scanning its QR sees a track record."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.names import mask_name
from hub.errors import Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import Scope
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.staff.service import Principal
from hub.trades.models import Trade

from .models import Team
from .schemas import TeamIn, TeamPatch


def orders_done(session: Session, team_ids: list[int]) -> dict[int, int]:
    counts = dict(
        session.execute(
            select(HouseholdOrder.team_id, func.count())
            .where(HouseholdOrder.team_id.in_(team_ids), HouseholdOrder.status == OrderStatus.COMPLETED)
            .group_by(HouseholdOrder.team_id)
        ).all()
    )
    return {tid: counts.get(tid, 0) for tid in team_ids}


def team_doc(team: Team, done: int) -> dict:
    """What a wall shows of the team, and what it needs to make the QR (the hub's order page for it)."""
    return {
        "id": team.id,
        "name": team.name,
        "station": team.station_id,
        "trades": [t.id for t in team.trades],
        "leader": team.leader,
        "members": team.members,
        "districts": team.districts,
        "done": done,
    }


def publish(session: Session, team: Team) -> None:
    """An active team is on its own station's walls; a retired one leaves them."""
    doc = team_doc(team, orders_done(session, [team.id])[team.id]) if team.active else None
    scope = Scope(stations=frozenset({team.station_id}))
    feed.record(session, [feed.Change("team", team.id, scope, doc, reason="" if team.active else "retired")])


def _trades(session: Session, ids: list[int]) -> list[Trade]:
    trades = list(session.scalars(select(Trade).where(Trade.id.in_(ids))))
    if len(trades) != len(set(ids)):
        raise Invalid("选择的工种里有不存在的", code="team.trade_unknown", field="trade_ids")
    return trades


def create(session: Session, data: TeamIn, by: Principal) -> Team:
    by.require_station(data.station_id)
    team = Team(
        name=data.name,
        station_id=data.station_id,
        leader=mask_name(data.leader),
        members=data.members,
        districts=data.districts,
        trades=_trades(session, data.trade_ids),
    )
    session.add(team)
    session.flush()
    publish(session, team)
    return team


def get(session: Session, team_id: int, by: Principal | None = None) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"没有编号为 {team_id} 的团队", code="team.not_found")
    if by is not None:
        by.require_station(team.station_id)
    return team


def update(session: Session, team_id: int, patch: TeamPatch, by: Principal) -> Team:
    feed.lock(session)
    team = get(session, team_id, by)
    values = patch.model_dump(exclude_unset=True)
    for key, value in values.items():
        if value is None:
            raise Invalid("这一项不能为空", code="team.field_required", field=key)
    if "trade_ids" in values:
        team.trades = _trades(session, values.pop("trade_ids"))
    if "leader" in values:
        values["leader"] = mask_name(values["leader"])
    for key, value in values.items():
        setattr(team, key, value)
    session.flush()
    publish(session, team)
    return team


def listing(session: Session, by: Principal) -> list[Team]:
    query = select(Team).order_by(Team.station_id, Team.name, Team.id)
    if not by.is_admin:
        query = query.where(Team.station_id.in_(by.station_ids))
    return list(session.scalars(query))


def active_at(session: Session, team_id: str | None) -> Team | None:
    """The active team a QR names (`?team=ID`), or None for anything else."""
    if not team_id or not team_id.isascii() or not team_id.isdigit() or len(team_id) > 9:
        return None
    team = session.get(Team, int(team_id))
    return team if team is not None and team.active else None
