"""Employers in the console: add, edit, verify (the credit code's check digit tested on entry)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.deps import DbDep
from hub.deps import SessionStaffDep as Staff
from hub.employers import service as employers
from hub.employers.models import Employer
from hub.employers.schemas import EmployerIn
from hub.fields import IdPath
from hub.web.pages import render

from .forms import attempt, console_router, form_of, validate_all

router = console_router()
FIELDS = ("name", "credit_code", "contact_person", "contact_phone", "district", "address")


def _page(request, session, staff, form, errors, editing: Employer | None = None, status=200) -> HTMLResponse:
    listed = session.scalars(select(Employer).order_by(Employer.id.desc()).limit(200)).all()
    return render(
        request,
        "staff/employers.html",
        {"staff": staff, "employers": listed, "form": form, "errors": errors, "editing": editing},
        status,
    )


@router.get("/employers", response_class=HTMLResponse)
def employer_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        return _page(request, session, staff, {}, {})


@router.get("/employers/{employer_id}", response_class=HTMLResponse)
def edit_page(employer_id: IdPath, request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        e = employers.get(session, employer_id)
        form = {k: getattr(e, k) or "" for k in FIELDS}
        return _page(request, session, staff, form, {}, editing=e)


async def _save(request: Request, staff, db, employer_id: int | None):
    form = await form_of(request)
    with db.write() as session:
        editing = employers.get(session, employer_id) if employer_id else None

        data, errors = validate_all(
            EmployerIn,
            {k: form.get(k, "") for k in FIELDS},
            lambda parts: employers.code_problems(session, parts.get("credit_code"), employer_id),
        )
        if data is not None:
            _, errors = attempt(
                lambda: (
                    employers.create(session, data, staff)
                    if editing is None
                    else employers.update(session, employer_id, data, staff)
                )
            )
        if not errors:
            return RedirectResponse("/staff/employers", status_code=303)
        session.rollback()
        return _page(request, session, staff, form, errors, editing=editing, status=422)


@router.post("/employers", response_class=HTMLResponse)
async def create_employer(request: Request, staff: Staff, db: DbDep):
    return await _save(request, staff, db, None)


@router.post("/employers/{employer_id}", response_class=HTMLResponse)
async def update_employer(employer_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _save(request, staff, db, employer_id)


@router.post("/employers/{employer_id}/verify")
async def verify_employer(employer_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    """Staff saw the business licence; `verified=no` takes the mark away again."""
    form = await form_of(request)
    with db.write() as session:
        employers.verify(session, employer_id, form.get("verified", "yes") != "no", staff)
    return RedirectResponse("/staff/employers", status_code=303)
