"""Signing in and out of the console (rate-limited per address and name)."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.deps import DbDep, LimitsDep
from hub.errors import TooMany
from hub.staff.service import check_password
from hub.web import staff_session
from hub.web.pages import render

from .forms import console_router, form_of

router = console_router()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "staff/login.html", {"error": "", "name": ""})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, db: DbDep, limits: LimitsDep):
    form = await form_of(request)
    name = form.get("name", "")
    try:
        limits.login.hit(f"{request.client.host if request.client else '?'}:{name}")
    except TooMany:
        return render(request, "staff/login.html", {"error": "尝试次数太多，请过一分钟再试", "name": name}, 429)
    with db.write() as session:
        user = check_password(session, name, form.get("password", ""))
        if user is None:
            return render(request, "staff/login.html", {"error": "用户名或密码不对", "name": name}, 401)
        response = RedirectResponse("/staff", status_code=303)
        staff_session.start(request, response, user)
        return response


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    await form_of(request)
    response = RedirectResponse("/staff/login?bye=1", status_code=303)
    staff_session.end(response)
    return response
