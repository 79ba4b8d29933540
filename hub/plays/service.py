"""Taking in a wall's play records: summed per posting and day, unknown postings skipped."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.postings.service import shown_here

from .models import PostingPlay

# A wall shows a posting at most for the whole day, at most once a second: more, summed over
# overlapping records, is a device misreporting (and must not overflow the counters).
DAY_S = 86_400


def record(session: Session, device_id: int, station_id: int, day: dt.date, shown: list[tuple[int, int, float]]) -> int:
    """Adds (posting, showings, seconds) to the day's totals of postings shown at the wall's station;
    returns how many postings counted. The caller holds the device's row lock (one batch at a time
    per device), so read-then-write is safe."""
    wanted = {pid for pid, _n, _s in shown}
    known = shown_here(session, wanted, station_id) if wanted else set()
    rows = {
        r.posting_id: r
        for r in session.scalars(
            select(PostingPlay).where(
                PostingPlay.device_id == device_id, PostingPlay.day == day, PostingPlay.posting_id.in_(known)
            )
        )
    }
    for pid, shows, seconds in shown:
        if pid not in known:
            continue  # a posting deleted since: nothing to attribute the time to
        row = rows.get(pid)
        if row is None:
            row = rows[pid] = PostingPlay(device_id=device_id, posting_id=pid, day=day, shows=0, seconds=0.0)
            session.add(row)
        row.shows = min(row.shows + shows, DAY_S)
        row.seconds = min(row.seconds + seconds, float(DAY_S))
    return len(known)
