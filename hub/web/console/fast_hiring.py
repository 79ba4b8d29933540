"""即时快招 in the console: one button on a posting's row marks it (every wall that shows it
interrupts with it at once), one ends it; a refusal comes back to the list as a code the page words."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from hub.db import utcnow
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import HubError
from hub.fields import IdPath
from hub.postings import fast

from .forms import console_router, form_of
from .posting_list import list_query

router = console_router()
# The refusals the list can word (a code in the link, never the link's own text).
REFUSALS = {"posting.fast_limit": "limit", "posting.fast_not_open": "not_open", "posting.fast_not_shown": "not_shown"}


@router.post("/postings/{posting_id}/fast")
async def start(posting_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    back = list_query((await form_of(request)).get("back", ""))
    try:
        with db.write() as session:
            fast.start_now(session, posting_id, staff, settings)
    except HubError as exc:
        if exc.code not in REFUSALS:
            raise  # (not found, not theirs: the console's own error pages)
        return RedirectResponse(f"/staff?{list_query(back, fast_refused=posting_id, why=REFUSALS[exc.code])}", 303)
    return RedirectResponse(f"/staff?{list_query(back, fast=posting_id)}", status_code=303)


@router.post("/postings/{posting_id}/fast/end")
async def end(posting_id: IdPath, request: Request, staff: Staff, db: DbDep):
    back = list_query((await form_of(request)).get("back", ""))
    with db.write() as session:
        fast.stop(session, posting_id, staff, now=utcnow())
    return RedirectResponse(f"/staff?{list_query(back, fast_ended=posting_id)}", status_code=303)
