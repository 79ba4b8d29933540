"""The labour bureau's workbook: `GET /staff/outcomes.xlsx` — pay guide rates, shortage list and the
month's funnel (station staff get their own stations' funnel); audited as an export."""

from __future__ import annotations

import datetime as dt

from fastapi.responses import Response
from sqlalchemy import select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.market.published import cached, pay_guide_body, shortage_body
from hub.outcomes import service as outcomes
from hub.outcomes import workbook
from hub.stations.models import Station

from .forms import console_router

router = console_router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/outcomes.xlsx")
def export(staff: Staff, db: DbDep, settings: SettingsDep) -> Response:
    today = dt.datetime.now(settings.tz).date()
    rates = cached(db, "pay-guide", pay_guide_body)
    shortage = cached(db, "shortage", shortage_body, registrations=True)
    scope = None if staff.is_admin else staff.station_ids
    with db.read() as session:
        funnel = outcomes.funnel(session, settings.tz, *outcomes.month_bounds(today), scope)
        names = [] if scope is None else session.scalars(select(Station.name).where(Station.id.in_(sorted(scope))))
        place = "全部驿站" if scope is None else "、".join(names)
    body = workbook.build(rates, shortage, funnel, place)
    # (an ASCII file name: every browser keeps it; the sheets inside say what it is in Chinese)
    name = f"lingong-market-{today:%Y-%m}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename={name}"})
