"""Chartered bus routes: staff offer departures, follow their manifests and mark who boarded."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request

from hub.audit.middleware import note
from hub.deps import DbDep, StaffDep
from hub.fields import AwareDatetime, IdPath

from . import seats, service
from .schemas import BoardIn, DepartureIn, DepartureOut, DeparturePatch, SeatOut, StatusIn, audited

router = APIRouter(prefix="/api/v1/buses", tags=["buses"])


def _out(session, departure) -> DepartureOut:
    return DepartureOut.of(departure, service.taken(session, departure.id))


@router.post("", response_model=DepartureOut, status_code=201)
def offer(body: DepartureIn, request: Request, staff: StaffDep, db: DbDep) -> DepartureOut:
    with db.write() as session:
        made = _out(session, service.create(session, body, staff))
    note(request, target=f"departure_id={made.id}", detail=audited(made))
    return made


@router.get("", response_model=list[DepartureOut])
def listing(
    staff: StaffDep,
    db: DbDep,
    since: Annotated[AwareDatetime | None, Query(description="leaving after this; default a day ago")] = None,
) -> list[DepartureOut]:
    with db.read() as session:
        after = since or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        departures = service.listing(session, staff, left_after=after)
        taken = service.taken_by_departure(session, [d.id for d in departures])
        return [DepartureOut.of(d, taken[d.id]) for d in departures]


@router.patch("/{departure_id}", response_model=DepartureOut)
def edit(departure_id: IdPath, body: DeparturePatch, request: Request, staff: StaffDep, db: DbDep) -> DepartureOut:
    note(request, detail={"fields": sorted(body.model_fields_set)})
    with db.write() as session:
        return _out(session, service.update(session, departure_id, body, staff))


@router.post("/{departure_id}/status", response_model=DepartureOut)
def set_status(departure_id: IdPath, body: StatusIn, request: Request, staff: StaffDep, db: DbDep) -> DepartureOut:
    note(request, detail={"status": body.status.value})
    with db.write() as session:
        return _out(session, service.set_status(session, departure_id, body.status, staff))


@router.get("/{departure_id}/manifest", response_model=list[SeatOut])
def manifest(departure_id: IdPath, staff: StaffDep, db: DbDep) -> list[SeatOut]:
    with db.read() as session:
        _departure, rows = seats.manifest(session, departure_id, staff)
        return [SeatOut.of(s) for s in rows]


@router.post("/{departure_id}/seats/{seat_id}", response_model=SeatOut)
def board(
    departure_id: IdPath, seat_id: IdPath, body: BoardIn, request: Request, staff: StaffDep, db: DbDep
) -> SeatOut:
    note(request, detail={"boarded": body.boarded})
    with db.write() as session:
        return SeatOut.of(seats.board(session, departure_id, seat_id, staff, boarded=body.boarded))
