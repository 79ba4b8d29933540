"""The market's figures on every device: one `market` document in the change feed, published again
when the figures change (checked every few minutes; the figures move over days).

Every hub process runs the check; the feed's lock makes them take turns, and a process that finds
the document already as it would write it writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db import utcnow
from hub.feed import service as feed
from hub.feed.models import FeedState
from hub.feed.scope import EVERYONE
from wire.documents import MARKET_DOC_ID, MarketDoc

from . import pay_guide, shortage

log = logging.getLogger(__name__)
EVERY_S = 300
KIND = "market"


def market_doc(session: Session, now: dt.datetime) -> MarketDoc:
    rates = [
        [r.trade_id, r.unit.value, r.low_fen, r.median_fen, r.high_fen, r.postings, r.official]
        for r in pay_guide.guide_rates(session, now)
    ]
    short = [[s.trade_id, s.places, s.workers, s.ratio, s.trend] for s in shortage.shortages(session, now)]
    return {"id": MARKET_DOC_ID, "at": int(now.timestamp()), "rates": rates, "shortage": short}


def publish_if_changed(session: Session, now: dt.datetime | None = None) -> bool:
    """Records the market document when its figures differ from the one devices hold; True if it did."""
    doc = market_doc(session, now or utcnow())
    feed.lock(session)  # (then read: another process may have just published the same figures)
    held = session.scalar(select(FeedState).where(FeedState.kind == KIND, FeedState.entity_id == MARKET_DOC_ID))
    if held is not None and held.op == "put":
        before = json.loads(held.doc)
        if (before.get("rates"), before.get("shortage")) == (doc["rates"], doc["shortage"]):
            return False
    feed.record(session, [feed.Change(KIND, MARKET_DOC_ID, EVERYONE, dict(doc))])
    return True


async def run_forever(db, stop) -> None:
    """Checks the figures at start, then every EVERY_S seconds, until `stop` is set."""
    import anyio

    while not stop.is_set():
        try:
            await anyio.to_thread.run_sync(once, db)
        except Exception as exc:  # tried again next time; the hub goes on serving
            log.error("market figures not published: %s", type(exc).__name__)
        with anyio.move_on_after(EVERY_S):
            await stop.wait()


def once(db) -> bool:
    with db.write() as session:
        return publish_if_changed(session)
