"""Staff routes for employers."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, StaffDep
from hub.fields import IdPath, Input

from . import service
from .schemas import EmployerIn, EmployerOut

router = APIRouter(prefix="/api/v1/employers", tags=["employers"])


class Verification(Input):
    verified: bool = True


@router.post("", response_model=EmployerOut, status_code=201)
def create_employer(body: EmployerIn, staff: StaffDep, db: DbDep) -> EmployerOut:
    with db.write() as session:
        return EmployerOut.model_validate(service.create(session, body, staff))


@router.get("/{employer_id}", response_model=EmployerOut)
def get_employer(employer_id: IdPath, staff: StaffDep, db: DbDep) -> EmployerOut:
    with db.read() as session:
        return EmployerOut.model_validate(service.get(session, employer_id))


@router.put("/{employer_id}", response_model=EmployerOut)
def update_employer(employer_id: IdPath, body: EmployerIn, staff: StaffDep, db: DbDep) -> EmployerOut:
    with db.write() as session:
        return EmployerOut.model_validate(service.update(session, employer_id, body, staff))


@router.post("/{employer_id}/verify", response_model=EmployerOut)
def verify_employer(employer_id: IdPath, body: Verification, staff: StaffDep, db: DbDep) -> EmployerOut:
    """Staff saw the business licence (or withdraw the mark)."""
    with db.write() as session:
        return EmployerOut.model_validate(service.verify(session, employer_id, body.verified, staff))
