"""The documents the feed carries, as one definition the hub writes and every device reads: their
keys, their types and what each means. A document is JSON on the wire and in the device store."""

from __future__ import annotations

from typing import TypedDict

# (A functional TypedDict: "from" is a Python keyword.)
PostingDoc = TypedDict(
    "PostingDoc",
    {
        "id": int,
        "title": str,
        "trade": int,  # trade id (the trade document)
        "category": int,  # the trade's category id
        "employer": int,  # employer id (the employer document)
        "headcount": int,
        "filled": int,
        "pay_min": int,  # fen
        "pay_max": int,  # fen
        "unit": str,  # hour | day | piece | lesson | month
        "settle": str,  # daily | weekly | monthly | completion
        "start": str,  # first working day, ISO date
        "end": "str | None",  # last working day, ISO date
        "hours": str,  # daily hours in words ("8:00–17:00")
        "district": str,
        "address": str,
        "lat": float,
        "lon": float,
        # The point is the job's own; False where it stands in for none (0,0, or the station's point
        # the console gives): devices then say and weigh no distance (hub.postings.service.own_place).
        "own_place": bool,
        "stations": "list[int] | None",  # shown at these stations only; None: at every station
        "contact": str,
        "phone": str,  # the employer's contact number (public, on every screen)
        "req": str,  # what is asked of the worker, in words
        "benefits": str,
        "age_min": "int | None",
        "age_max": "int | None",
        "urgent": bool,
        "cert": bool,  # 持证上岗: a certificate of its trade is asked for (a course completed ranks first)
        "free": bool,  # 不收费: a verified employer and no sign of fees or false posting (hub.trust)
        # 即时快招: [from, interrupting card until, until] (epoch s) — walls interrupt with it, then
        # show it first in its trade's pages; kiosks list it first; it lapses on the device's clock.
        "fast": "list[int] | None",
        "from": int,  # shown from (epoch s)
        "to": int,  # shown until (epoch s): a device drops it then without being told
        "ver": int,  # the posting's version on the hub
    },
)

POSTING_KEYS = frozenset(PostingDoc.__annotations__)


# The market's figures (hub.market), one document for the whole hub (id 1), published again when
# they change. Rows are lists to keep the document small; pay in fen.
class MarketDoc(TypedDict):
    id: int
    at: int  # computed at (epoch s)
    rates: list  # [trade id, unit, low, median, high, postings, official] — 零工岗位工资指导价位
    shortage: list  # [trade id, places, workers, ratio, trend] — 紧缺工种, most short first


MARKET_DOC_ID = 1
