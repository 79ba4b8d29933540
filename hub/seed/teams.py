"""The demo's worker teams on the wall (零工团队上墙): two at the first station, one with orders done."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.names import mask_name
from hub.stations.models import Station
from hub.teams import service as teams
from hub.teams.models import Team
from hub.trades.models import Trade

# (name, leader, members, districts, trade slugs)
TEAMS = (
    ("老王水电安装队", "王建军", 6, "青川区、滨江区", ("plumber", "electrician", "installer")),
    ("巧手家政小组", "李秀梅", 8, "青川区", ("cleaner", "housekeeper")),
)


def seed_teams(session: Session, station: Station) -> list[Team]:
    trades = {t.slug: t for t in session.scalars(select(Trade))}
    made = []
    for name, leader, members, districts, slugs in TEAMS:
        team = Team(
            name=name,
            station_id=station.id,
            leader=mask_name(leader),
            members=members,
            districts=districts,
            trades=[trades[s] for s in slugs if s in trades],
        )
        session.add(team)
        session.flush()
        teams.publish(session, team)
        made.append(team)
    return made
