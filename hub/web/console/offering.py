"""What the console's pages of offerings with seats or places (技能培训, 包车, 招聘会) share: the list
page with the form that offers one, the employers it may name, and the steps taken from its page."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.employers.models import Employer
from hub.errors import HubError, Invalid
from hub.staff.service import Principal
from hub.web.pages import render

from .forms import attempt, form_of
from .postings import own_stations

E = TypeVar("E", bound=enum.Enum)


def list_page(
    request: Request, session: Session, staff: Principal, template: str, form: dict, errors: dict, status: int, **rows
) -> HTMLResponse:
    """The offerings (`rows`: the template's lists) above or below the form, as sent with its errors."""
    context = {"staff": staff, "stations": own_stations(session, staff), "form": form, "errors": errors}
    return render(request, template, context | rows, status)


def blank(staff: Principal, **fields) -> dict:
    """A new offering's form as first shown: `fields`, and every station for administrators."""
    return fields | {"all_stations": "yes" if staff.is_admin else ""}


async def submit(request: Request, db, check: Callable, create: Callable, done: Callable, page: Callable):
    """The list page's form sent: `check(session, form)` gives (data, every problem at once), then
    `create(session, data)` (which may refuse too) and on to `done(made)`; else the list page again
    as `page(session, form, errors, 422)`, nothing kept."""
    form = await form_of(request)
    with db.write() as session:
        data, errors = check(session, form)
        if not errors:
            made, errors = attempt(lambda: create(session, data))
        if not errors:
            return RedirectResponse(done(made), status_code=303)
        session.rollback()
        return page(session, form, errors, 422)


def employers(session: Session) -> list[Employer]:
    """The employers a form may name: every one not suspended (the services refuse a suspended one)."""
    return list(session.scalars(select(Employer).where(Employer.suspended_at.is_(None)).order_by(Employer.name)))


def status_of(form: dict, kind: type[E]) -> E:
    """The status a page's button sends; anything else (a forged form) is a 422 told on the page."""
    try:
        return kind(form.get("status", ""))
    except ValueError:
        raise Invalid("状态不对", code="offer.status_unknown", field="status") from None


async def step(request: Request, db, action: Callable, page: Callable, done: str):
    """Runs one step from an offering's page (`action(session, form)`); a refused step (a cancelled
    offering, another station's, a forged field) comes back as `page(session, message, status)`,
    nothing kept. Done: back to `done`."""
    form = await form_of(request)
    with db.write() as session:
        try:
            action(session, form)
        except HubError as exc:
            session.rollback()
            return page(session, exc.message, exc.status)
    return RedirectResponse(done, status_code=303)
