"""Staff routes for stations."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import AdminDep, DbDep, StaffDep
from hub.fields import IdPath

from . import service
from .schemas import StationIn, StationOut

router = APIRouter(prefix="/api/v1/stations", tags=["stations"])


@router.get("", response_model=list[StationOut])
def list_stations(staff: StaffDep, db: DbDep) -> list[StationOut]:
    with db.read() as session:
        return [StationOut.model_validate(s) for s in service.all_stations(session)]


@router.post("", response_model=StationOut, status_code=201)
def create_station(body: StationIn, admin: AdminDep, db: DbDep) -> StationOut:
    with db.write() as session:
        return StationOut.model_validate(service.create(session, body))


@router.put("/{station_id}", response_model=StationOut)
def update_station(station_id: IdPath, body: StationIn, admin: AdminDep, db: DbDep) -> StationOut:
    with db.write() as session:
        return StationOut.model_validate(service.update(session, station_id, body))
