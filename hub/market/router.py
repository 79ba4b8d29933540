"""The market's public figures as JSON — `GET /api/v1/market/pay-guide` and
`GET /api/v1/market/shortage` — with no sign-in: the labour bureau, a newspaper or a worker's
phone may read them; and the official rates administrators set."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import AdminDep, DbDep
from hub.fields import IdPath
from hub.postings.models import PayUnit

from . import official, publish
from .published import cached, pay_guide_body, shortage_body

router = APIRouter(prefix="/api/v1/market", tags=["market"])


@router.get("/pay-guide")
def get_pay_guide(db: DbDep) -> dict:
    return cached(db, "pay-guide", pay_guide_body)


@router.get("/shortage")
def get_shortage(db: DbDep) -> dict:
    return cached(db, "shortage", shortage_body, registrations=True)


@router.put("/official-rates/{trade_id}/{unit}", status_code=204)
def put_official_rate(trade_id: IdPath, unit: PayUnit, body: official.OfficialRateIn, admin: AdminDep, db: DbDep):
    """The city's official rate for a trade and unit: published instead of the market's own."""
    with db.write() as session:
        official.put(session, trade_id, unit, body, admin.user_id)
        publish.publish_if_changed(session)


@router.delete("/official-rates/{trade_id}/{unit}", status_code=204)
def delete_official_rate(trade_id: IdPath, unit: PayUnit, admin: AdminDep, db: DbDep):
    with db.write() as session:
        official.withdraw(session, trade_id, unit)
        publish.publish_if_changed(session)
