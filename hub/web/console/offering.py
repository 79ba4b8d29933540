"""What the console's pages of offerings with seats (技能培训, 包车) share: the list page with the
form that offers one, and the stations it may be offered at."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from hub.staff.service import Principal
from hub.web.pages import render

from .postings import own_stations


def list_page(
    request: Request, session: Session, staff: Principal, template: str, form: dict, errors: dict, status: int, **rows
) -> HTMLResponse:
    """The offerings (`rows`: the template's lists) above or below the form, as sent with its errors."""
    context = {"staff": staff, "stations": own_stations(session, staff), "form": form, "errors": errors}
    return render(request, template, context | rows, status)
