"""Staff routes for postings: publish, edit, close, mark full, reopen."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, StaffDep
from hub.fields import IdPath

from . import service
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
