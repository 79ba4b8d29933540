"""The scoring a worker and a posting share, one definition for the kiosk and the hub (NumPy only).

The kiosk ranks the postings of its station for the worker at its reader (kiosk.matching); the hub
ranks registered workers for one new posting (hub.outreach). Both weigh the same parts with the
same weights, and both say why with the same reasons, so a call from the station and the list at
the kiosk never disagree on what suits a worker. Every function here works on scalars and on
arrays alike (NumPy broadcasting), so either side can vectorise over its own axis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Pay normalised to fen per day, so 25 元/小时 and 220 元/天 compare.
PER_DAY = {"hour": 8.0, "day": 1.0, "piece": 8.0, "lesson": 2.0, "month": 1 / 26}
SETTLE = ("daily", "weekly", "monthly", "completion")
WEIGHTS = {"trade": 0.34, "distance": 0.2, "pay": 0.14, "settle": 0.1, "start": 0.1, "urgent": 0.06, "recent": 0.06}
APPLIED_PENALTY = 2.0  # what a worker applied to already sinks below everything else
NO_AGE = -1
NEW_S = 24 * 3600  # a posting up for less than a day is 新
# The nearness of a posting with no place of its own (its point is 0,0 or its station's): unknown,
# so neither near nor far, as hub.outreach weighs a worker whose station has no place. (0 would sink
# every job staff entered without a point below all placed ones; its distance would still be a guess.)
UNPLACED_NEAR = 0.5


@dataclass(frozen=True)
class Reason:
    """Why a posting ranks where it does; the screen turns it into a short chip."""

    code: str  # trade | category | distance | daily | starts | urgent | pay | new | applied (| fast, found: kiosk)
    value: float | int | None = None


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (works on arrays too)."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def placed(doc: dict) -> bool:
    """Whether a posting document's point is the job's own (PostingDoc own_place). A document
    published before the hub said so has no flag: taken as placed, so it reads and ranks as it did
    until the hub publishes it again."""
    return doc.get("own_place") is not False


def per_day_fen(amount: float, unit: str) -> float:
    return amount * PER_DAY.get(unit, 1.0)


def settle_code(settle: str | None) -> int:
    """A settlement as its index in SETTLE, -1 when unknown."""
    return SETTLE.index(settle) if settle in SETTLE else -1


def preferred_settle(settle: str | None) -> int:
    """What the worker wants paid how often: 日结 unless they said otherwise."""
    return SETTLE.index(settle) if settle in SETTLE else 0


def trade_part(exact, same_category):
    """1 for the trade they asked for, 0.5 for another of its category, 0 otherwise."""
    return np.where(exact, 1.0, np.where(same_category, 0.5, 0.0))


def near_part(distance):
    return 1.0 / (1.0 + distance / 3.0)


def pay_part(pay_day, wanted_day):
    """The posting's top pay per day against what the worker wants per day (capped at 1)."""
    return np.clip(pay_day / np.maximum(wanted_day, 1.0), 0.0, 1.0)


def soon_part(starts_in):
    return np.where(starts_in <= 1, 1.0, np.where(starts_in <= 7, 0.6, 0.2))


def recent_part(up_for_s):
    return np.exp(-np.maximum(0.0, up_for_s) / (72 * 3600))


def score(trade, near, pay, settle, soon, urgent, recent):
    """The weighted sum (in this order, so both sides compute the very same floats)."""
    w = WEIGHTS
    return (
        w["trade"] * trade
        + w["distance"] * near
        + w["pay"] * pay
        + w["settle"] * settle
        + w["start"] * soon
        + w["urgent"] * urgent
        + w["recent"] * recent
    )


def reasons(
    *,
    applied: bool,
    trade: float,
    distance: float | None,
    daily: bool,
    starts_in: int,
    urgent: bool,
    pay_ok: bool,
    up_for_s: float,
) -> tuple[Reason, ...]:
    """The chips for one worker and one posting, in the order the kiosk shows them."""
    out: list[Reason] = []
    if applied:
        out.append(Reason("applied"))
    if trade == 1.0:
        out.append(Reason("trade"))
    elif trade == 0.5:
        out.append(Reason("category"))
    if distance is not None:
        out.append(Reason("distance", round(float(distance), 1)))
    if daily:
        out.append(Reason("daily"))
    if starts_in <= 7:
        out.append(Reason("starts", int(starts_in)))
    if urgent:
        out.append(Reason("urgent"))
    if pay_ok:
        out.append(Reason("pay"))
    if up_for_s < NEW_S:
        out.append(Reason("new"))
    return tuple(out)
