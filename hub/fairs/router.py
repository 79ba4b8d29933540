"""Fair routes for staff: hold a fair with its booths, see each booth's queue and its link, stop or cancel."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from hub.deps import DbDep, KeysDep, StaffDep
from hub.fields import AwareDatetime, IdPath
from hub.seats import offers

from . import links, service
from .models import Fair
from .schemas import BoothOut, FairIn, FairOut, StatusIn

router = APIRouter(prefix="/api/v1/fairs", tags=["fairs"])


def out(session, keys, fair: Fair, by) -> FairOut:
    """The fair as the caller may see it: the booths' links (whoever holds one calls its numbers) only
    for the fair's own staff."""
    figures = service.booth_figures(session, fair)
    own = offers.may_edit(fair, by)
    return FairOut(
        id=fair.id,
        title=fair.title,
        hall=fair.hall,
        opens_at=fair.opens_at,
        closes_at=fair.closes_at,
        skip_after_min=fair.skip_after_s // 60,
        station_ids=None if fair.all_stations else sorted(s.id for s in fair.stations),
        status=fair.status,
        booths=[
            BoothOut(
                id=b.id,
                number=b.number,
                letter=b.letter,
                employer_id=b.employer_id,
                employer_name=b.employer.name,
                jobs=b.jobs,
                places=b.places,
                link="/b/" + links.make(keys, b.id) if own else "",
                **{k: figures[b.id].get(k, 0) for k in ("waiting", "called", "served", "skipped", "hired")},
                serving=figures[b.id]["serving"],
            )
            for b in fair.booths
        ],
    )


@router.post("", response_model=FairOut, status_code=201)
def hold(body: FairIn, staff: StaffDep, db: DbDep, keys: KeysDep) -> FairOut:
    with db.write() as session:
        return out(session, keys, service.create(session, body, staff), staff)


@router.get("", response_model=list[FairOut])
def listing(
    staff: StaffDep,
    db: DbDep,
    keys: KeysDep,
    since: Annotated[AwareDatetime | None, Query(description="closing after this; default a week ago")] = None,
) -> list[FairOut]:
    with db.read() as session:
        after = since or dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
        return [out(session, keys, f, staff) for f in service.listing(session, staff, closed_after=after)]


@router.post("/{fair_id}/status", response_model=FairOut)
def set_status(fair_id: IdPath, body: StatusIn, staff: StaffDep, db: DbDep, keys: KeysDep) -> FairOut:
    with db.write() as session:
        return out(session, keys, service.set_status(session, fair_id, body.status, staff), staff)
