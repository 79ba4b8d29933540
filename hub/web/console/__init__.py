"""The staff console under /staff: one module per page family, one router for them all."""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    announcements,
    applications,
    audit,
    buses,
    dashboard,
    devices,
    employers,
    exports,
    fairs,
    fast_hiring,
    imports,
    interviews,
    orders,
    outcomes,
    outreach,
    posters,
    posting_list,
    postings,
    releases,
    reviews,
    signin,
    teams,
    training,
    users,
)

router = APIRouter()
for module in (
    signin,
    dashboard,
    posting_list,
    postings,
    fast_hiring,
    imports,
    employers,
    applications,
    orders,
    interviews,
    training,
    buses,
    fairs,
    teams,
    outreach,
    devices,
    releases,
    posters,
    announcements,
    users,
    audit,
    outcomes,
    reviews,
    exports,
):
    router.include_router(module.router)
