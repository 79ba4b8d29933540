"""Staff route listing the trade catalogue."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, StaffDep

from . import service

router = APIRouter(prefix="/api/v1/trades", tags=["trades"])


@router.get("")
def list_trades(staff: StaffDep, db: DbDep) -> dict:
    with db.read() as session:
        return {
            "categories": [service.category_doc(c) for c in service.all_categories(session)],
            "trades": [service.trade_doc(t) for t in service.all_trades(session)],
        }
