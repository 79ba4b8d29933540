"""Staff accounts, for administrators: add one (with a temporary password shown once), disable or
enable it, reset its password or its second factor, revoke its API tokens. Every change ends the
person's sessions where it should, and is in the audit trail."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from hub.audit.middleware import note
from hub.deps import DbDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Forbidden
from hub.fields import IdPath
from hub.staff import service as staff_service
from hub.staff import totp
from hub.staff.models import ApiToken, Role, StaffUser
from hub.stations.models import Station
from hub.web.pages import render

from .forms import console_router, form_of, many, whole

router = console_router()
ROLES = {"admin": "管理员", "station": "驿站工作人员"}


def _rows(session) -> list[dict]:
    now = dt.datetime.now(dt.UTC)
    tokens = dict(
        session.execute(
            select(ApiToken.user_id, func.count()).where(ApiToken.revoked_at.is_(None)).group_by(ApiToken.user_id)
        ).all()
    )
    return [
        {
            "id": u.id,
            "name": u.name,
            "role": ROLES[u.role.value],
            "stations": "、".join(s.name for s in u.stations),
            "disabled": u.disabled_at is not None,
            "locked": bool(u.locked_until and u.locked_until > now),
            "second": totp.enrolled(u),
            "tokens": tokens.get(u.id, 0),
            "must_change": u.must_change_password,
        }
        for u in session.scalars(select(StaffUser).order_by(StaffUser.id))
    ]


def _page(request, session, staff, *, errors=None, form=None, shown=None, status=200) -> HTMLResponse:
    stations = {s.id: s.name for s in session.scalars(select(Station).order_by(Station.id))}
    return render(
        request,
        "staff/users.html",
        {
            "staff": staff,
            "users": _rows(session),
            "roles": ROLES,
            "stations": stations,
            "errors": errors or {},
            "form": form or {},
            "shown": shown,
        },
        status,
    )


@router.get("/users", response_class=HTMLResponse)
def user_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    staff.require_admin()
    with db.read() as session:
        return _page(request, session, staff)


@router.post("/users", response_class=HTMLResponse)
async def create_user(request: Request, staff: Staff, db: DbDep):
    staff.require_admin()
    form = await form_of(request)
    with db.write() as session:
        role = Role(form["role"]) if form.get("role") in ROLES else None
        name = str(form.get("name", "")).strip()[:40]
        station_ids = [n for s in many(form, "station_ids") if (n := whole(s))]
        errors: dict[str, str] = {}
        for problem in staff_service.user_problems(session, name, role, station_ids):
            errors.setdefault(problem.field or "name", problem.message)
        if errors:
            return _page(request, session, staff, errors=errors, form=form, status=422)
        password = staff_service.temporary_password()
        user = staff_service.create_user(session, name, role, None, station_ids if role is Role.STATION else [])
        staff_service.set_temporary(user, password)
        password = staff_service.grouped(password)
        note(request, target=f"user_id={user.id}", detail={"role": role.value, "stations": station_ids})
        return _page(request, session, staff, shown={"name": user.name, "password": password})


def _other(session, staff, user_id: int) -> StaffUser:
    staff.require_admin()
    user = staff_service.get_user(session, user_id)
    if user.id == staff.user_id:
        raise Forbidden("不能在这里更改自己的账号（改自己的密码请到“我的账号”）", code="staff.own_account")
    return user


async def _act(request: Request, staff, db, user_id: int, act) -> HTMLResponse:
    await form_of(request)
    with db.write() as session:
        user = _other(session, staff, user_id)
        shown = act(session, user)
        return _page(request, session, staff, shown=shown)


@router.post("/users/{user_id}/disable", response_class=HTMLResponse)
async def disable(user_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _act(request, staff, db, user_id, lambda s, u: staff_service.disable(s, u))


@router.post("/users/{user_id}/enable", response_class=HTMLResponse)
async def enable(user_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _act(request, staff, db, user_id, lambda s, u: staff_service.enable(u))


@router.post("/users/{user_id}/reset-password", response_class=HTMLResponse)
async def reset_password(user_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _act(
        request,
        staff,
        db,
        user_id,
        lambda s, u: {"name": u.name, "password": staff_service.grouped(staff_service.reset_password(s, u))},
    )


@router.post("/users/{user_id}/reset-2fa", response_class=HTMLResponse)
async def reset_second_factor(user_id: IdPath, request: Request, staff: Staff, db: DbDep):
    def act(session, user):
        totp.reset(user)
        staff_service.sessions.end_all(session, user.id)

    return await _act(request, staff, db, user_id, act)


@router.post("/users/{user_id}/revoke-tokens", response_class=HTMLResponse)
async def revoke_tokens(user_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _act(
        request, staff, db, user_id, lambda s, u: note(request, detail={"revoked": staff_service.revoke_tokens(s, u)})
    )
