"""Staff routes for announcements."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, StaffDep
from hub.fields import IdPath

from . import service
from .schemas import AnnouncementIn, AnnouncementOut

router = APIRouter(prefix="/api/v1/announcements", tags=["announcements"])


@router.post("", response_model=AnnouncementOut, status_code=201)
def create_announcement(body: AnnouncementIn, staff: StaffDep, db: DbDep) -> AnnouncementOut:
    with db.write() as session:
        return AnnouncementOut.of(service.create(session, body, staff))


@router.put("/{announcement_id}", response_model=AnnouncementOut)
def update_announcement(announcement_id: IdPath, body: AnnouncementIn, staff: StaffDep, db: DbDep) -> AnnouncementOut:
    with db.write() as session:
        return AnnouncementOut.of(service.update(session, announcement_id, body, staff))


@router.delete("/{announcement_id}", status_code=204)
def withdraw_announcement(announcement_id: IdPath, staff: StaffDep, db: DbDep) -> None:
    with db.write() as session:
        service.withdraw(session, announcement_id, staff)
