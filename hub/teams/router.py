"""Team routes for staff: put a team on their station's wall, change it, retire it."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, SettingsDep, StaffDep
from hub.fields import IdPath

from . import service
from .models import Team
from .schemas import TeamIn, TeamOut, TeamPatch

router = APIRouter(prefix="/api/v1/teams", tags=["teams"])


def out(team: Team, done: int, public_url: str) -> TeamOut:
    return TeamOut(
        id=team.id,
        name=team.name,
        station_id=team.station_id,
        leader=team.leader,
        members=team.members,
        districts=team.districts,
        trade_ids=[t.id for t in team.trades],
        active=team.active,
        orders_done=done,
        order_url=f"{public_url.rstrip('/')}/o/new?team={team.id}",
    )


@router.post("", response_model=TeamOut, status_code=201)
def put_on_wall(body: TeamIn, staff: StaffDep, db: DbDep, settings: SettingsDep) -> TeamOut:
    with db.write() as session:
        return out(service.create(session, body, staff), 0, settings.public_url)


@router.get("", response_model=list[TeamOut])
def listing(staff: StaffDep, db: DbDep, settings: SettingsDep) -> list[TeamOut]:
    with db.read() as session:
        teams = service.listing(session, staff)
        done = service.orders_done(session, [t.id for t in teams])
        return [out(t, done[t.id], settings.public_url) for t in teams]


@router.patch("/{team_id}", response_model=TeamOut)
def edit(team_id: IdPath, body: TeamPatch, staff: StaffDep, db: DbDep, settings: SettingsDep) -> TeamOut:
    with db.write() as session:
        team = service.update(session, team_id, body, staff)
        return out(team, service.orders_done(session, [team.id])[team.id], settings.public_url)
