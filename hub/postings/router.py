"""Staff routes for postings: publish, edit, close, mark full, reopen, mark for fast hiring."""

from __future__ import annotations

from fastapi import APIRouter

from hub.db import utcnow
from hub.deps import DbDep, SettingsDep, StaffDep
from hub.fields import IdPath

from . import fast, service
from .schemas import PostingIn, PostingOut, PostingPatch, StatusChange

router = APIRouter(prefix="/api/v1/postings", tags=["postings"])


@router.post("", response_model=PostingOut, status_code=201)
def create_posting(body: PostingIn, staff: StaffDep, db: DbDep) -> PostingOut:
    with db.write() as session:
        return PostingOut.of(service.create(session, body, staff))


@router.get("/{posting_id}", response_model=PostingOut)
def get_posting(posting_id: IdPath, staff: StaffDep, db: DbDep) -> PostingOut:
    with db.read() as session:
        return PostingOut.of(service.get(session, posting_id))


@router.patch("/{posting_id}", response_model=PostingOut)
def update_posting(posting_id: IdPath, body: PostingPatch, staff: StaffDep, db: DbDep) -> PostingOut:
    with db.write() as session:
        return PostingOut.of(service.update(session, posting_id, body, staff))


@router.post("/{posting_id}/status", response_model=PostingOut)
def change_status(posting_id: IdPath, body: StatusChange, staff: StaffDep, db: DbDep) -> PostingOut:
    with db.write() as session:
        return PostingOut.of(service.set_status(session, posting_id, body.status, staff))


@router.post("/{posting_id}/fast", response_model=PostingOut)
def start_fast_hiring(posting_id: IdPath, staff: StaffDep, db: DbDep, settings: SettingsDep) -> PostingOut:
    """即时快招 from now for the configured hours (409 when a station already has its limit)."""
    with db.write() as session:
        return PostingOut.of(fast.start_now(session, posting_id, staff, settings))


@router.delete("/{posting_id}/fast", response_model=PostingOut)
def stop_fast_hiring(posting_id: IdPath, staff: StaffDep, db: DbDep) -> PostingOut:
    with db.write() as session:
        return PostingOut.of(fast.stop(session, posting_id, staff, now=utcnow()))
